package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches which switchboard instance reads the messages stream: every {@link #PERIOD} it asks each instance, directly
 * (not through the proxy), for its {@code switchboard_events_shards} gauge, which counts the shards whose lease it
 * holds and whose processor has started. From those readings come the stream lease take-over time after a kill (kill →
 * the first reading, sent after the kill, in which an instance reads a shard) and every gap in which no instance read
 * the stream. Resolution is the period plus the time an instance takes to answer.
 */
final class LeaseWatch implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(200);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private static final Pattern SHARDS = Pattern
            .compile("(?m)^switchboard_events_shards(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)");

    /** One round: when it was sent (ms on the drill's clock) and each instance's shards, -1 when it did not answer. */
    record Round(long sentAt, int[] shards) {

        /** The first instance reading a shard, or -1. */
        int holder() {
            for (int i = 0; i < shards.length; i++) {
                if (shards[i] > 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A stretch of rounds in which no instance read the stream; {@code taker} is who read it next (-1: nobody yet). */
    record Gap(long from, long to, int taker) {

        long millis() {
            return to - from;
        }
    }

    private final List<URI> metrics = new ArrayList<>();
    private final LongSupplier clock;
    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ANSWER_WITHIN).build();
    private final Thread thread;
    private volatile boolean closed;

    LeaseWatch(List<String> instanceUrls, LongSupplier clock) {
        instanceUrls.forEach(url -> metrics.add(URI.create(url + "/q/metrics")));
        this.clock = clock;
        this.thread = new Thread(this::run, "lease-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            long sentAt = clock.getAsLong();
            List<CompletableFuture<Integer>> answers = metrics.stream().map(this::shards).toList();
            int[] shards = answers.stream().mapToInt(CompletableFuture::join).toArray();
            rounds.add(new Round(sentAt, shards));
            long next = sentAt + PERIOD.toMillis() - clock.getAsLong();
            if (next > 0) {
                try {
                    Thread.sleep(next);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private CompletableFuture<Integer> shards(URI uri) {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(ANSWER_WITHIN).build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                    if (response.statusCode() != 200) {
                        return -1;
                    }
                    Matcher m = SHARDS.matcher(response.body());
                    return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
                }).exceptionally(e -> -1);
    }

    /** The instance that read the stream in the latest round, if any. */
    Optional<Integer> holder() {
        if (rounds.isEmpty()) {
            return Optional.empty();
        }
        int holder = rounds.get(rounds.size() - 1).holder();
        return holder < 0 ? Optional.empty() : Optional.of(holder);
    }

    /**
     * The first round sent at or after {@code at} (a kill) in which an instance read the stream. The killed instance
     * counts only from a second on: an answer of its own in the first rounds was on its way before it died, and it
     * needs far longer than that to be restarted.
     */
    Optional<Round> firstLeasedFrom(long at, int killed) {
        return rounds.stream().filter(r -> r.sentAt() >= at).filter(r -> {
            int[] shards = r.shards().clone();
            if (killed >= 0 && killed < shards.length && r.sentAt() < at + 1_000) {
                shards[killed] = 0;
            }
            return new Round(r.sentAt(), shards).holder() >= 0;
        }).findFirst();
    }

    /** Every stretch without a reader between {@code from} and {@code to} (ms on the drill's clock). */
    List<Gap> gaps(long from, long to) {
        List<Gap> gaps = new ArrayList<>();
        Long openedAt = null;
        for (Round round : rounds) {
            if (round.sentAt() < from || round.sentAt() > to) {
                continue;
            }
            if (round.holder() < 0 && openedAt == null) {
                openedAt = round.sentAt();
            } else if (round.holder() >= 0 && openedAt != null) {
                gaps.add(new Gap(openedAt, round.sentAt(), round.holder()));
                openedAt = null;
            }
        }
        if (openedAt != null) {
            gaps.add(new Gap(openedAt, to, -1));
        }
        return gaps;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
