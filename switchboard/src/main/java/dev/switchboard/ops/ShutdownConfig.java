package dev.switchboard.ops;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What happens on SIGTERM. Not {@code quarkus.shutdown.timeout}: in Quarkus 3.30.8 its request counter counts every
 * WebSocket handshake as a request that never ends, so with any agent ever connected every shutdown waited the whole
 * timeout (measured: 30 s for 30 s).
 */
@ConfigMapping(prefix = "switchboard.shutdown")
public interface ShutdownConfig {

    /**
     * How long requests already under way (webhooks, mostly) get to finish once the instance is told to stop; new ones
     * are answered 503 (Twilio retries elsewhere). Keep it under the platform's patience: Heroku kills 30 s after
     * SIGTERM, the ECS task definition in {@code infra/} 40 s.
     */
    @WithDefault("25s")
    Duration timeout();
}
