package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsTakenInTheSameMillisecondStillSortInOrder() {
        MessageIds ids = new MessageIds(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            taken.add(ids.next());
        }
        List<String> sorted = new ArrayList<>(taken);
        sorted.sort(null);
        assertEquals(taken, sorted);
        assertEquals(taken.size(), new HashSet<>(taken).size());
    }

    @Test
    void laterTimeSortsAfterEarlierTimeEvenWithRandomness() {
        String early = new MessageIds(Clock.fixed(Instant.parse("2026-11-22T10:00:00.001Z"), ZoneOffset.UTC)).next();
        String late = new MessageIds(Clock.fixed(Instant.parse("2026-11-22T10:00:00.002Z"), ZoneOffset.UTC)).next();
        assertTrue(early.compareTo(late) < 0, early + " !< " + late);
    }

    @Test
    void aClockSteppingBackDoesNotBreakTheOrder() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:05Z"));
        MessageIds ids = new MessageIds(clock);
        String before = ids.next();
        clock.now = Instant.parse("2026-11-22T10:00:01Z");
        assertTrue(before.compareTo(ids.next()) < 0);
    }

    @Test
    void onlyWellFormedIdsPassAsCursors() {
        assertTrue(MessageIds.isId(new MessageIds().next()));
        assertFalse(MessageIds.isId("zzz"));
        assertFalse(MessageIds.isId("01M80FH8RAVZT0ZMWCPMEMWS3I"));
        assertFalse(MessageIds.isId(null));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
