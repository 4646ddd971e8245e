package dev.switchboard.console.enrich;

import java.time.Duration;

/** A {@link RelativeConfig} with the tick and bound a test needs. */
record TestRelativeConfig(Duration tick, int maxTracked) implements RelativeConfig {
}
