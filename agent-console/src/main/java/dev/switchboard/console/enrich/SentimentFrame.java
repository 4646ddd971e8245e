package dev.switchboard.console.enrich;

/** A message's sentiment, sent after the message's own frame, with its conversation's trend updated by it. */
public record SentimentFrame(String type, String conversation, String messageId, Sentiment sentiment, Trend trend) {

    public SentimentFrame(String conversation, String messageId, Sentiment sentiment, Trend trend) {
        this("sentiment", conversation, messageId, sentiment, trend);
    }
}
