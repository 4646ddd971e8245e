package dev.switchboard.console.socket;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter, bounded: {@code min · 2^(failures-1)}, at most {@code max}, less a random share.
 */
record Backoff(Duration min, Duration max, double jitter) {

    Backoff {
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1");
        }
    }

    /** The delay before the attempt after {@code failures} failed ones (1 for the first retry). */
    long delayMillis(int failures, DoubleSupplier random) {
        long base = min.toMillis();
        long cap = max.toMillis();
        long delay = base;
        for (int i = 1; i < failures && delay < cap; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, cap);
        return Math.max(1, Math.round(delay * (1 - jitter * random.getAsDouble())));
    }
}
