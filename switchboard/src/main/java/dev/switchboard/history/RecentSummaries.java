package dev.switchboard.history;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The conversation summaries this instance's projection wrote last, as each write returned them: the next message of
 * the conversation is folded onto that instead of a fresh read, and routing takes the summary the projection just wrote
 * instead of reading it back. Never the decision: every projection write is conditional on the version and state it
 * started from, so an entry that another writer has overtaken costs one failed condition and a read.
 * <p>
 * Bounded to {@link #MAX_ENTRIES} (least recently used goes first). Only the stream's shard processors use it, one
 * thread per shard, so one lock does.
 */
final class RecentSummaries {

    /** Conversations remembered; a summary is a few kilobytes at most (its remembered ids dominate). */
    static final int MAX_ENTRIES = 4096;
    /** How old a write may be for routing to take its result instead of reading the summary. */
    static final Duration FRESH = Duration.ofSeconds(2);

    private record Entry(Map<String, AttributeValue> item, Set<String> events, long writtenAt) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** The summary as this instance last wrote it, or null. */
    synchronized Map<String, AttributeValue> item(String conversation) {
        Entry entry = entries.get(conversation);
        return entry == null ? null : entry.item();
    }

    /** The summary as the write of {@code eventId} left it, if that was the last write and recent. */
    synchronized Optional<Map<String, AttributeValue>> justWritten(String conversation, String eventId) {
        Entry entry = entries.get(conversation);
        if (entry == null || eventId == null || !entry.events().contains(eventId)
                || System.nanoTime() - entry.writtenAt() > FRESH.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(entry.item());
    }

    synchronized void wrote(String conversation, Map<String, AttributeValue> item, Set<String> events) {
        if (item == null || item.isEmpty()) {
            entries.remove(conversation);
            return;
        }
        entries.put(conversation, new Entry(Map.copyOf(item), Set.copyOf(events), System.nanoTime()));
    }

    synchronized void forget(String conversation) {
        entries.remove(conversation);
    }
}
