package dev.switchboard.console.enrich;

import java.time.Duration;

/** The defaults of {@link SentimentConfig}, with the pool sizes a test needs. */
record TestSentimentConfig(int threads, int queueSize, int cacheSize, Duration timeout, int negativeRun)
        implements SentimentConfig {

    TestSentimentConfig(int threads, int queueSize, int cacheSize) {
        this(threads, queueSize, cacheSize, Duration.ofSeconds(5));
    }

    TestSentimentConfig(int threads, int queueSize, int cacheSize, Duration timeout) {
        this(threads, queueSize, cacheSize, timeout, 3);
    }

    /** These tests drive the per-instance fallback path. */
    @Override
    public boolean scoreLocally() {
        return true;
    }

    @Override
    public int parseMaxLength() {
        return 80;
    }

    @Override
    public int maxCharacters() {
        return 1600;
    }

    @Override
    public boolean loadAtStartup() {
        return false;
    }

    @Override
    public int trendWindow() {
        return 5;
    }

    @Override
    public int trendMinMessages() {
        return 2;
    }

    @Override
    public double negativeThreshold() {
        return -0.5;
    }

    @Override
    public double directionThreshold() {
        return 0.5;
    }

    @Override
    public int trendConversations() {
        return 100;
    }
}
