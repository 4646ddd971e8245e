package dev.switchboard.console.enrich;

/** Reads the sentiment of one text. Implementations never throw; a failure comes back as a flagged result. */
public interface SentimentScorer {

    Sentiment score(String text);
}
