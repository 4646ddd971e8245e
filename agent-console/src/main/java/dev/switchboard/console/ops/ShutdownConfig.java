package dev.switchboard.console.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What happens on SIGTERM. Not {@code quarkus.shutdown.timeout}: in Quarkus 3.30.8 its request counter counts every
 * WebSocket handshake as a request that never ends, so with one browser ever connected every shutdown waited the whole
 * timeout (30 s of 30 s, measured on the console as on the switchboard).
 */
@ConfigMapping(prefix = "console.shutdown")
public interface ShutdownConfig {

    /**
     * How long requests already under way (sign-ins, mostly) get to finish once the console is told to stop; new ones
     * are answered 503, which the proxy retries on another instance.
     */
    @WithDefault("10s")
    Duration timeout();

    /** How long closing the browsers' sockets (1012 "reconnect") may take before the drain goes on without them. */
    @WithDefault("3s")
    Duration socketCloseTimeout();
}
