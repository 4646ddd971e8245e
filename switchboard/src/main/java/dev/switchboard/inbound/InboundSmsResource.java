package dev.switchboard.inbound;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.web.ApiException;

/** Twilio's inbound-message webhook. Adapts HTTP to {@link InboundService} and answers with empty TwiML. */
@Path("/twilio/messages")
public class InboundSmsResource {

    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final InboundService inbound;
    private final WebhookConfig config;
    private final TwilioConfig twilio;

    InboundSmsResource(InboundService inbound, WebhookConfig config, TwilioConfig twilio) {
        this.inbound = inbound;
        this.config = config;
        this.twilio = twilio;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_XML)
    public String receive(InputStream body, HttpServerRequest request) throws IOException {
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > config.maxBodyBytes()) {
            throw ApiException.tooLarge(
                    "request body over " + config.maxBodyBytes() + " bytes (switchboard.webhook.max-body-bytes)");
        }
        // One byte past the limit is enough to know it was exceeded, without holding more.
        byte[] bytes = body.readNBytes(config.maxBodyBytes() + 1);
        inbound.receive(
                new WebhookRequest(WebhookUrl.of(request, twilio), request.getHeader("X-Twilio-Signature"), bytes));
        return EMPTY_TWIML;
    }
}
