package dev.switchboard.twilio;

import io.vertx.core.http.HttpServerRequest;

/**
 * The URL Twilio called, which its signature covers: the configured public base URL plus the request's path and query,
 * or else the request's own URL with scheme and host taken from {@code X-Forwarded-*} headers when a proxy set them.
 */
public final class WebhookUrl {

    private WebhookUrl() {
    }

    public static String of(HttpServerRequest request, TwilioConfig twilio) {
        String pathAndQuery = request.uri();
        if (twilio.publicBaseUrl().isPresent()) {
            String base = twilio.publicBaseUrl().get().toString();
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
        }
        String scheme = request.scheme();
        String host = request.getHeader("Host");
        if (twilio.trustForwardedHeaders()) {
            scheme = first(request.getHeader("X-Forwarded-Proto"), scheme);
            host = first(request.getHeader("X-Forwarded-Host"), host);
        }
        if (host == null) {
            host = request.authority() == null ? "localhost" : request.authority().toString();
        }
        return scheme + "://" + host + pathAndQuery;
    }

    /** A proxy chain may list several values; the first is the one the client used. */
    private static String first(String header, String fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
    }
}
