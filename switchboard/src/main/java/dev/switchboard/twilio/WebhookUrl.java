package dev.switchboard.twilio;

import io.vertx.core.http.HttpServerRequest;

/**
 * The URL Twilio called, which its signature covers: the configured public base URL plus the request's path and query,
 * or else the request's own URL as Quarkus resolved it, which takes {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}
 * into account only from the proxies in {@code quarkus.http.proxy.trusted-proxies}.
 */
public final class WebhookUrl {

    private WebhookUrl() {
    }

    public static String of(HttpServerRequest request, TwilioConfig twilio) {
        if (twilio.publicBaseUrl().isPresent()) {
            String base = twilio.publicBaseUrl().get().toString();
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + request.uri();
        }
        return request.absoluteURI();
    }
}
