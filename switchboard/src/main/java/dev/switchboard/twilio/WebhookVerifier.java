package dev.switchboard.twilio;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.switchboard.web.ApiException;

/** Decides whether a webhook really comes from Twilio for this account, before anything in it is believed. */
@ApplicationScoped
public class WebhookVerifier {

    private static final Logger LOG = Logger.getLogger(WebhookVerifier.class);

    private final WebhookSignatures signatures;
    private final TwilioConfig twilio;
    private final WebhookConfig config;

    WebhookVerifier(WebhookSignatures signatures, TwilioConfig twilio, WebhookConfig config) {
        this.signatures = signatures;
        this.twilio = twilio;
        this.config = config;
    }

    /**
     * @return the webhook's parameters
     *
     * @throws ApiException
     *             413 over the size cap, 400 for a malformed body, 403 unsigned, wrongly signed or for another account
     */
    public Map<String, String> verify(WebhookRequest request) {
        if (request.body().length > config.maxBodyBytes()) {
            throw ApiException.tooLarge(
                    "request body over " + config.maxBodyBytes() + " bytes (switchboard.webhook.max-body-bytes)");
        }
        Map<String, String> params = FormBody.parse(request.body());
        if (request.signature() == null || request.signature().isBlank()) {
            throw ApiException.forbidden("X-Twilio-Signature header is missing");
        }
        if (!signatures.isValid(request.url(), params, request.signature())) {
            LOG.warnf("refused a webhook whose signature does not match %s", request.url());
            throw ApiException.forbidden("X-Twilio-Signature does not match this request to " + request.url());
        }
        if (!twilio.accountSid().equals(params.get("AccountSid"))) {
            throw ApiException.forbidden("AccountSid is not this switchboard's account");
        }
        return params;
    }
}
