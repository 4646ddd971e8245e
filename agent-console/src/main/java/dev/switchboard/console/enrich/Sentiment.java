package dev.switchboard.console.enrich;

import java.util.List;

/**
 * One message's sentiment as the browser gets it.
 *
 * @param label
 *            {@code very_negative}, {@code negative}, {@code neutral}, {@code positive}, {@code very_positive}; null
 *            when scoring failed
 * @param score
 *            the class, 0 (very negative) .. 4 (very positive); null when scoring failed
 * @param flag
 *            null for a real score; {@code empty} (no words: blank, emoji, digits) or {@code not_english}, both read as
 *            neutral; {@code timeout} or {@code error} when the model gave no answer
 */
public record Sentiment(String label, Integer score, String flag) {

    static final List<String> LABELS = List.of("very_negative", "negative", "neutral", "positive", "very_positive");

    static Sentiment of(int score) {
        return new Sentiment(LABELS.get(score), score, null);
    }

    static Sentiment neutral(String flag) {
        return new Sentiment(LABELS.get(2), 2, flag);
    }

    static Sentiment failed(String flag) {
        return new Sentiment(null, null, flag);
    }

    /** Whether this is the model's reading of the text and so belongs in a trend. */
    boolean scored() {
        return flag == null;
    }
}
