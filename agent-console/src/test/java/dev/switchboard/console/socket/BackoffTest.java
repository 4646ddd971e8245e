package dev.switchboard.console.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** How long an agent waits between reconnect attempts while the switchboard is away. */
class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15), 0.5);

    @Test
    void doublesFromTheMinimumUpToTheMaximum() {
        assertEquals(500, backoff.delayMillis(1, () -> 0));
        assertEquals(1000, backoff.delayMillis(2, () -> 0));
        assertEquals(8000, backoff.delayMillis(5, () -> 0));
        assertEquals(15000, backoff.delayMillis(6, () -> 0));
        assertEquals(15000, backoff.delayMillis(1000, () -> 0), "a long outage is still retried every 15 s");
    }

    @Test
    void jitterTakesUpToItsShareOff() {
        assertEquals(250, backoff.delayMillis(1, () -> 1));
        assertEquals(7500, backoff.delayMillis(1000, () -> 1));
        assertEquals(11250, backoff.delayMillis(1000, () -> 0.5));
    }

    @Test
    void refusesJitterOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2));
    }
}
