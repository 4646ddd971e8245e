package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** A customer's reopen marker sorts right before the text that reopened it, and is still a valid paging cursor. */
class ConversationEventsTest {

    @Test
    void justBeforeIsTheNextSmallerIdOfTheSameShape() {
        // Crockford's base32 has no U: the id below ...V is ...T.
        assertEquals("01ARZ3NDEKTSV4RRFFQ69G5FAT", ConversationEvents.justBefore("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertEquals("01ARZ3NDEKTSV4RRFFQ69G5FAV", ConversationEvents.justBefore("01ARZ3NDEKTSV4RRFFQ69G5FAW"));
        // A borrow across digits: ...A0 → ...9Z.
        assertEquals("01ARZ3NDEKTSV4RRFFQ69G5F9Z", ConversationEvents.justBefore("01ARZ3NDEKTSV4RRFFQ69G5FA0"));
        String seq = new MessageIds(Clock.fixed(Instant.parse("2026-12-01T20:00:00Z"), ZoneOffset.UTC)).next();
        String before = ConversationEvents.justBefore(seq);
        assertTrue(before.compareTo(seq) < 0, before + " !< " + seq);
        assertTrue(MessageIds.isId(before), before);
        assertEquals(seq.length(), before.length());
    }

    @Test
    void aMarkerNamesItsKindAndWhoDidItAndIsNoMessage() {
        Instant at = Instant.parse("2026-12-01T14:02:00Z");
        Message resolved = ConversationEvents.event("+15550000000#+15551234567", ConversationEvents.RESOLVED, "X", "X",
                at, "ann", "Ann Example");
        assertEquals(Message.Direction.EVENT, resolved.direction());
        assertEquals("resolved", resolved.status());
        assertEquals("ann", resolved.agent());
        assertEquals("Ann Example", resolved.details().get(ConversationEvents.AGENT_NAME));
        assertEquals("", resolved.body());
        assertEquals("+15551234567", resolved.to());
        // Stored and read back the same way as every message.
        assertEquals(resolved, Message.from(resolved.toItem()));
    }
}
