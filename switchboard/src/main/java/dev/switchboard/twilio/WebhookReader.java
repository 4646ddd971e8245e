package dev.switchboard.twilio;

import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.web.ApiException;

/** Reads a webhook off the wire without ever holding more than the size cap allows. */
@ApplicationScoped
public class WebhookReader {

    private final WebhookConfig config;
    private final TwilioConfig twilio;

    WebhookReader(WebhookConfig config, TwilioConfig twilio) {
        this.config = config;
        this.twilio = twilio;
    }

    public WebhookRequest read(InputStream body, HttpServerRequest request) throws IOException {
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
}
