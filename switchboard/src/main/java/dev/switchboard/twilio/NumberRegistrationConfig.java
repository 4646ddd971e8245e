package dev.switchboard.twilio;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Registering this deployment's webhook URLs on the business number at start-up (Twilio's IncomingPhoneNumber update),
 * as the classic switchboard did: whoever deploys never has to copy URLs into Twilio's console. Off unless asked for;
 * local runs and tests leave it off.
 */
@ConfigMapping(prefix = "switchboard.twilio.number-registration")
public interface NumberRegistrationConfig {

    /** Register at start-up. Every instance does it; the update sets the same URLs, so the last one changes nothing. */
    @WithDefault("false")
    boolean enabled();

    /**
     * Base URL Twilio should call, e.g. {@code https://sms.example.com}; the number's SmsUrl becomes
     * {@code <base>/twilio/messages} and its status callback {@code <base>/twilio/status}. Defaults to
     * {@code switchboard.twilio.public-base-url}; without either nothing is registered.
     */
    Optional<URI> baseUrl();

    /**
     * The number's SmsFallbackUrl, which Twilio calls once when the SmsUrl answers 5xx or not at all within 15 s.
     * Defaults to the SmsUrl itself: behind a load balancer that does not retry POSTs (an AWS ALB), that second
     * delivery reaches another, healthy instance, and it is safe because webhooks are idempotent on MessageSid.
     */
    Optional<URI> fallbackUrl();
}
