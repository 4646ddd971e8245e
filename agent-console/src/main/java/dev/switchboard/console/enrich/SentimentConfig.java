package dev.switchboard.console.enrich;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the console's sentiment scoring; every one bounds CPU or memory of a console instance. */
@ConfigMapping(prefix = "console.sentiment")
public interface SentimentConfig {

    /**
     * Worker threads running CoreNLP. Each keeps one core busy while it parses, so more threads than cores only add
     * latency.
     */
    @WithDefault("2")
    int threads();

    /**
     * Messages waiting for a worker. When full, a message is shown without sentiment (counted as skipped) rather than
     * delaying anything; it is tried again the next time it passes (e.g. on a reconnect).
     */
    @WithDefault("200")
    int queueSize();

    /** Messages whose score is remembered (by message id), so that each is scored once per console instance. */
    @WithDefault("20000")
    int cacheSize();

    /**
     * Longest time one message may take to score (SMS-sized texts take 20-80 ms when warm); it then counts as failed
     * and shows without sentiment. Generous, because a cold JVM on a busy machine takes seconds for its first ones.
     */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Sentences longer than this many tokens are not parsed (CoreNLP {@code parse.maxlen}); the PCFG parser's time
     * grows with the cube of a sentence's length, so one run-on message could otherwise hold a worker for seconds. Such
     * a sentence counts as neutral.
     */
    @WithDefault("80")
    int parseMaxLength();

    /** Characters of a message that are scored; the rest is ignored (an SMS conversation rarely goes past 1600). */
    @WithDefault("1600")
    int maxCharacters();

    /**
     * Load the model in a background thread at start-up (a few seconds, about 160 MB of heap) instead of on the first
     * message; start-up itself never waits for it.
     */
    @WithDefault("true")
    boolean loadAtStartup();

    /** The customer's last scored messages a conversation's trend is computed over. */
    @WithDefault("5")
    int trendWindow();

    /** Scored customer messages a conversation needs before its trend can be flagged negative. */
    @WithDefault("2")
    int trendMinMessages();

    /**
     * A trend whose mean (scores mapped to -2 very negative .. +2 very positive) is below this is flagged
     * {@code negative}, which the console highlights.
     */
    @WithDefault("-0.5")
    double negativeThreshold();

    /**
     * This many negative texts in a row, the newest ones, flag the trend negative whatever came before them (within
     * {@code trend-window}); 0 turns the rule off.
     */
    @WithDefault("3")
    int negativeRun();

    /**
     * How far the mean of the newer half of a trend's points must move from the older half's to read as rising or
     * falling rather than steady.
     */
    @WithDefault("0.5")
    double directionThreshold();

    /** Conversations whose trend is kept; the least recently touched is forgotten first. */
    @WithDefault("5000")
    int trendConversations();

    /**
     * Fallback only: score the messages this instance's agents see, here, per instance (an LRU by message id). Off (the
     * default), every customer message is scored once for the whole system from the messages stream (package
     * {@code scoring}) and its stored score reaches the browser through the switchboard's {@code sentiment} frame; turn
     * it on only for a console that cannot read the stream.
     */
    @WithDefault("false")
    boolean scoreLocally();
}
