package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.history.Conversation;

/** The queue's order: waiting time plus a bounded boost for negativity, and nobody starved past the limit. */
class QueueOrderTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void anAngryConversationGoesBeforeAnOlderNeutralOneWithinTheBoost() {
        Conversation neutral = waiting("neutral", Duration.ofSeconds(90), 0);
        Conversation angry = waiting("angry", Duration.ofSeconds(10), 100);
        assertEquals(List.of("angry", "neutral"),
                ids(QueueOrder.order(List.of(neutral, angry), Duration.ofMinutes(2), Duration.ofMinutes(5), NOW)));
        // Half as negative, half the boost (60 s): the neutral one, 80 s older, keeps its place.
        Conversation annoyed = waiting("annoyed", Duration.ofSeconds(10), 50);
        assertEquals(List.of("neutral", "annoyed"),
                ids(QueueOrder.order(List.of(neutral, annoyed), Duration.ofMinutes(2), Duration.ofMinutes(5), NOW)));
    }

    @Test
    void aNeutralConversationOlderThanTheLimitGoesFirstWhateverTheBoost() {
        Duration boost = Duration.ofMinutes(30);
        Duration limit = Duration.ofMinutes(3);
        Conversation old = waiting("old", Duration.ofMinutes(4), 0);
        Conversation angry = waiting("angry", Duration.ofMinutes(1), 100);
        assertEquals(List.of("old", "angry"), ids(QueueOrder.order(List.of(angry, old), boost, limit, NOW)));
        // Positive control: under the limit, the large boost wins.
        Conversation young = waiting("young", Duration.ofMinutes(2), 0);
        assertEquals(List.of("angry", "young"), ids(QueueOrder.order(List.of(young, angry), boost, limit, NOW)));
    }

    private static Conversation waiting(String id, Duration waited, int negativity) {
        return new Conversation(id, "+15550000000", "+15551234567", Conversation.State.WAITING, NOW.minus(waited), null,
                null, null, null, null, 0, 1, null, null, false, negativity);
    }

    private static List<String> ids(List<Conversation> conversations) {
        return conversations.stream().map(Conversation::id).toList();
    }
}
