package dev.switchboard.twilio;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.twilio.security.RequestValidator;

/** Checks {@code X-Twilio-Signature} with Twilio's own validator. */
@ApplicationScoped
public class WebhookSignatures {

    private final RequestValidator validator;

    WebhookSignatures(TwilioConfig config) {
        this.validator = new RequestValidator(config.authToken());
    }

    /**
     * @param url
     *            the full URL Twilio called, query string included
     * @param params
     *            every POST parameter
     * @param signature
     *            the header's value
     */
    public boolean isValid(String url, Map<String, String> params, String signature) {
        return signature != null && !signature.isBlank() && validator.validate(url, params, signature);
    }
}
