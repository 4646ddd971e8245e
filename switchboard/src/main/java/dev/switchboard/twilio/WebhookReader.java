package dev.switchboard.twilio;

import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.web.ApiException;

/** Reads a webhook off the wire without ever holding more than the size cap allows. */
@ApplicationScoped
public class WebhookReader {

    static final String FORM = "application/x-www-form-urlencoded";

    private final WebhookConfig config;
    private final TwilioConfig twilio;

    WebhookReader(WebhookConfig config, TwilioConfig twilio) {
        this.config = config;
        this.twilio = twilio;
    }

    /**
     * @throws ApiException
     *             415 unless the body is declared a form, 413 when it is declared over the cap
     */
    public WebhookRequest read(InputStream body, HttpServerRequest request) throws IOException {
        // Quarkus REST lets a request without Content-Type through to a form endpoint; Twilio always sends it.
        if (!isForm(request.getHeader("Content-Type"))) {
            throw ApiException.unsupportedType("a webhook's content type must be " + FORM);
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.length() < 19 && declared.chars().allMatch(Character::isDigit)
                && Long.parseLong(declared) > config.maxBodyBytes()) {
            throw ApiException.tooLarge(
                    "request body over " + config.maxBodyBytes() + " bytes (switchboard.webhook.max-body-bytes)");
        }
        // One byte past the limit is enough to know it was exceeded.
        byte[] bytes = body.readNBytes(config.maxBodyBytes() + 1);
        return new WebhookRequest(WebhookUrl.of(request, twilio), request.getHeader("X-Twilio-Signature"), bytes);
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().equalsIgnoreCase(FORM);
    }
}
