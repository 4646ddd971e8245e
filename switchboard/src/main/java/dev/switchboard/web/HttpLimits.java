package dev.switchboard.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The body cap of the JSON endpoints. Quarkus's own {@code quarkus.http.limits.max-body-size} is the backstop for every
 * route and must be at least the largest route cap (the picture upload's, {@code switchboard.media.max-upload-bytes});
 * this one is checked first, from {@code Content-Length}, on every path but {@code POST /media}.
 */
@ConfigMapping(prefix = "switchboard.http")
public interface HttpLimits {

    /** Largest body declared to any endpoint but {@code /media}; 413 above. */
    @WithDefault("1M")
    MemorySize maxBodySize();
}
