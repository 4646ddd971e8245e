package dev.switchboard.console.enrich;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The relative times ("5 minutes ago") the console keeps current in each agent's browser. */
@ConfigMapping(prefix = "console.relative")
public interface RelativeConfig {

    /**
     * How often each agent's stream recomputes the labels it sent and sends a {@code relative} frame with those that
     * changed. The labels change at most once a minute below an hour, so a tick much shorter buys nothing.
     */
    @WithDefault("15s")
    Duration tick();

    /**
     * Messages per agent whose labels are kept current; past it the oldest seen stop being re-sent (their last label
     * stays in the browser). Bounds the memory and the work of a tick for an agent holding long histories.
     */
    @WithDefault("2000")
    int maxTracked();
}
