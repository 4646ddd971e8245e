package dev.switchboard.console.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The console's settings. Production sets them through environment variables ({@code console.switchboard-url} →
 * {@code CONSOLE_SWITCHBOARD_URL}).
 */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    /** What the switchboard base URL is read from in production; named by the start-up check when it is missing. */
    String SWITCHBOARD_URL_ENV = "CONSOLE_SWITCHBOARD_URL";

    /**
     * Base URL of the switchboard (its {@code /auth/login} and {@code /agents/ws}), e.g. {@code http://localhost:8080}.
     * Required: start-up fails without it. Any instance of the switchboard will do; the console keeps no state.
     */
    Optional<URI> switchboardUrl();

    /** How long one call to the switchboard's login may take before it counts as unreachable. */
    @WithDefault("5s")
    Duration switchboardTimeout();

    /** The cookie that carries an agent's token. */
    Cookie cookie();

    /** Reconnecting an agent's upstream socket after it dropped. */
    Reconnect reconnect();

    /**
     * Interval of WebSocket pings, to the browsers and to the switchboard. Under the idle windows of proxies in between
     * (Heroku closes a connection silent for 55 s), so that idle agents stay connected.
     */
    @WithDefault("20s")
    Duration pingInterval();

    /**
     * Origins allowed to open {@code /console/ws}, e.g. {@code https://console.example.com}. Unset: only the console's
     * own origin (the scheme, from {@code X-Forwarded-Proto} behind a proxy, and the {@code Host} of the request).
     */
    Optional<List<String>> allowedOrigins();

    /** Size limit of one command from a browser; larger ones close the browser's socket. */
    @WithDefault("16384")
    int maxCommandBytes();

    interface Cookie {

        /**
         * Name of the HttpOnly cookie with the token; a second cookie, this name with {@code _name} appended, carries
         * the agent's display name.
         */
        @WithDefault("console_token")
        String name();

        /**
         * Always mark the cookies {@code Secure}. Without it they are {@code Secure} only when the request came over
         * HTTPS (directly or, behind a load balancer, by {@code X-Forwarded-Proto: https}).
         */
        @WithDefault("false")
        boolean secure();
    }

    interface Reconnect {

        /** Delay before the first reconnect attempt; it doubles with each failed attempt. */
        @WithDefault("500ms")
        Duration minDelay();

        /** Longest delay between attempts, so a long outage is still retried often. */
        @WithDefault("15s")
        Duration maxDelay();

        /**
         * Share of each delay drawn at random (0 to 1), so that many agents dropped together by a restarting
         * switchboard do not all come back at the same instant.
         */
        @WithDefault("0.5")
        double jitter();
    }
}
