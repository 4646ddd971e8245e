package dev.switchboard.twilio;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The Twilio account this switchboard answers for. */
@ConfigMapping(prefix = "switchboard.twilio")
public interface TwilioConfig {

    /** Account SID; webhooks naming any other account are refused. */
    String accountSid();

    /** Auth token: signs webhooks and authenticates media downloads. Never logged. */
    String authToken();

    /** The business number customers text, in E.164. */
    String businessNumber();

    /**
     * Every number of the account that customers may text here, in E.164, comma-separated; {@link #businessNumber()} is
     * always one of them. A webhook whose {@code To} is none of them is refused with 403 and nothing is stored.
     */
    Optional<List<String>> businessNumbers();

    /** Whether customers may text this number here. */
    default boolean isBusinessNumber(String number) {
        return businessNumber().equals(number) || businessNumbers().map(all -> all.contains(number)).orElse(false);
    }

    /**
     * The public base URL Twilio calls, e.g. {@code https://sms.example.com}. Webhook signatures cover the full URL, so
     * behind a proxy that rewrites hosts this must be set; when empty the URL is rebuilt from the request, with
     * {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} honoured only from {@code quarkus.http.proxy.trusted-proxies}.
     */
    Optional<URI> publicBaseUrl();

    /**
     * Base URL of the Twilio REST API. Unset means Twilio's own; local runs and tests point it at the local stand-in
     * (e.g. {@code http://localhost:8082}).
     */
    Optional<URI> apiBaseUrl();

    /**
     * Base URL Twilio calls back with delivery statuses ({@code <base>/twilio/status}); defaults to
     * {@link #publicBaseUrl()}. Without either, replies are sent without status callbacks.
     */
    Optional<URI> callbackBaseUrl();
}
