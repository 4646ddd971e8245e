package dev.switchboard.console.enrich;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * Scores each message once per console instance: a bounded cache by message id in front of a bounded worker pool.
 * Nothing here ever waits for a score; a full queue means the message goes without.
 */
@ApplicationScoped
// At start-up, so that its meters are there from the first scrape.
@Startup
public class SentimentService {

    private final SentimentScorer scorer;
    private final ThreadPoolExecutor workers;
    // Completed and in-flight scores; an in-flight one is shared, so a message passing twice is scored once.
    private final Map<String, CompletableFuture<Sentiment>> scores;
    private final Counter scored;
    private final Counter cached;
    private final Counter skipped;
    private final Timer scoring;
    private final boolean scoresLocally;

    @Inject
    public SentimentService(SentimentConfig config, SentimentScorer scorer, MeterRegistry registry) {
        this.scorer = scorer;
        this.scoresLocally = config.scoreLocally();
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueSize()), task -> {
                    Thread t = new Thread(task, "sentiment-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        int capacity = config.cacheSize();
        this.scores = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Sentiment>> eldest) {
                return size() > capacity;
            }
        };
        this.scored = Counter.builder("console.sentiment.scored")
                .description("Messages scored (each once per instance)").register(registry);
        this.cached = Counter.builder("console.sentiment.cached")
                .description("Times a message's score was taken from the cache or an in-flight scoring")
                .register(registry);
        this.skipped = Counter.builder("console.sentiment.skipped")
                .description("Messages shown without sentiment because the scoring queue was full").register(registry);
        this.scoring = Timer.builder("console.sentiment.scoring").description("Time to score one message, on a worker")
                .register(registry);
        registry.gauge("console.sentiment.queue", workers, w -> w.getQueue().size());
    }

    /** Whether this instance scores what its agents see (the fallback; see {@link SentimentConfig#scoreLocally()}). */
    public boolean scoresLocally() {
        return scoresLocally;
    }

    /** @return the message's score if it is scored already on this instance, else null */
    public Sentiment cached(String messageId) {
        CompletableFuture<Sentiment> score;
        synchronized (scores) {
            score = scores.get(messageId);
        }
        if (score == null || !score.isDone()) {
            return null;
        }
        cached.increment();
        return score.join();
    }

    /**
     * Scores a message unless it is scored or being scored already, without waiting.
     *
     * @return its score, to come; null when the queue is full (the message is then tried again the next time)
     */
    public CompletableFuture<Sentiment> request(String messageId, String text) {
        CompletableFuture<Sentiment> score;
        synchronized (scores) {
            score = scores.get(messageId);
            if (score == null) {
                score = new CompletableFuture<>();
                scores.put(messageId, score);
            } else {
                cached.increment();
                return score;
            }
        }
        CompletableFuture<Sentiment> toComplete = score;
        try {
            workers.execute(() -> toComplete.complete(scoreNow(text)));
            return score;
        } catch (RejectedExecutionException e) {
            synchronized (scores) {
                scores.remove(messageId, score);
            }
            skipped.increment();
            return null;
        }
    }

    private Sentiment scoreNow(String text) {
        long start = System.nanoTime();
        Sentiment sentiment;
        try {
            sentiment = scorer.score(text);
        } catch (RuntimeException e) {
            sentiment = Sentiment.failed("error");
        }
        scoring.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        scored.increment();
        return sentiment;
    }

    /** Stops the workers; scores still queued are dropped. */
    @PreDestroy
    public void stop() {
        workers.shutdownNow();
    }
}
