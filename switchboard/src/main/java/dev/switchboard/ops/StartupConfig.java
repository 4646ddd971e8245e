package dev.switchboard.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the switchboard does for itself at start-up. */
@ConfigMapping(prefix = "switchboard.startup")
public interface StartupConfig {

    /**
     * Create missing tables and the media bucket at start-up. On for local runs and tests; off in production, where the
     * infrastructure code owns them.
     */
    @WithDefault("false")
    boolean createResources();
}
