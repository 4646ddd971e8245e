package dev.switchboard.history;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The score the agent console wrote onto an inbound message item (attribute {@value #ATTRIBUTE}, a map), once for the
 * whole system: every agent, every console instance and routing read this one.
 *
 * @param label
 *            {@code very_negative}, {@code negative}, {@code neutral}, {@code positive}, {@code very_positive}
 * @param score
 *            the class, 0 (very negative) .. 4 (very positive)
 * @param flag
 *            null for a real score; {@code empty} or {@code not_english} (read as neutral)
 * @param model
 *            the console's sentiment model version that produced it
 * @param at
 *            when it was written (epoch ms); a change whose {@code sentimentAt} is not older than the message's
 *            {@code updatedAt} is the score's own write
 */
public record StoredSentiment(String label, int score, String flag, String model, long at) {

    /** The message item's attribute holding the score; written only with {@code attribute_not_exists}. */
    public static final String ATTRIBUTE = "sentiment";

    /** The score read from a stored item, or null when it has none (yet). */
    public static StoredSentiment from(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(ATTRIBUTE);
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        Long score = Attributes.longOrNull(m, "score");
        return new StoredSentiment(Attributes.string(m, "label"), score == null ? 2 : score.intValue(),
                Attributes.string(m, "flag"), Attributes.string(m, "model"), Attributes.longOf(m, "at"));
    }

    /**
     * How negative the customer sounds, 0 (neutral or better) to 1 (very negative): what steers routing. Flagged texts
     * (no words, not English) say nothing.
     */
    public double negativity() {
        if (flag != null) {
            return 0;
        }
        return switch (score) {
        case 0 -> 1.0;
        case 1 -> 0.6;
        default -> 0;
        };
    }

    /** Whether this change of the item is the score's own write rather than a later change (status, media). */
    public static boolean isScoreWrite(Map<String, AttributeValue> item) {
        StoredSentiment stored = from(item);
        return stored != null && stored.at() >= Attributes.longOf(item, "updatedAt");
    }
}
