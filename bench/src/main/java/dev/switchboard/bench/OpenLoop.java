package dev.switchboard.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import dev.switchboard.bench.Webhooks.Webhook;

/**
 * Sends prepared webhooks open loop: webhook {@code k} is due at {@code k / rate} s whether or not earlier ones were
 * answered, and each answer's latency counts from when it was due, so that a stall counts against every message it
 * delays.
 */
final class OpenLoop {

    private static final int SENDERS = 64;

    /** What a batch's sending saw: when its last webhook was due, how long sending took, answers and refusals. */
    record Sent(long lastDueNanos, double sendSeconds, Histogram latency, Map<String, Integer> failures) {
    }

    private OpenLoop() {
    }

    /**
     * Sends {@code webhooks.get(k)} to {@code targets.get(k)} for each k, numbered from {@code first}; records each
     * one's due time in {@code due} and each one answered 200 in {@code accepted}.
     */
    static Sent send(int rate, int first, List<Webhooks> targets, List<Webhook> webhooks, Map<Integer, Long> due,
            Set<Integer> accepted, long maxMicros, long drainSeconds) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(maxMicros, 3);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS, runnable -> {
            Thread thread = new Thread(runnable, "webhook");
            thread.setDaemon(true);
            return thread;
        });
        double interval = 1e9 / rate;
        long began = System.nanoTime();
        long lastDue = began;
        for (int k = 0; k < webhooks.size(); k++) {
            long scheduled = began + (long) (k * interval);
            for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int id = first + k;
            due.put(id, scheduled);
            lastDue = scheduled;
            Webhooks target = targets.get(k);
            Webhook webhook = webhooks.get(k);
            pool.execute(() -> {
                String failure;
                try {
                    int status = target.send(webhook);
                    failure = status == 200 ? null : "HTTP " + status;
                } catch (Exception e) {
                    failure = e.getClass().getSimpleName();
                }
                latency.recordValue(Math.min(maxMicros, (System.nanoTime() - scheduled) / 1000));
                if (failure == null) {
                    accepted.add(id);
                } else {
                    failures.merge(failure, 1, Integer::sum);
                }
            });
        }
        double sendSeconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        if (!pool.awaitTermination(drainSeconds, TimeUnit.SECONDS)) {
            failures.merge("not answered within " + drainSeconds + " s", pool.shutdownNow().size(), Integer::sum);
            pool.awaitTermination(15, TimeUnit.SECONDS);
        }
        return new Sent(lastDue, sendSeconds, latency, Map.copyOf(failures));
    }

    /**
     * Waits until none of the webhooks {@code first} to {@code first + count - 1} is {@code pending} any more, or until
     * {@code deadlineNanos}; returns how many still are.
     */
    static int awaitNonePending(int first, int count, long deadlineNanos, IntPredicate pending)
            throws InterruptedException {
        int missing;
        do {
            missing = 0;
            for (int id = first; id < first + count; id++) {
                if (pending.test(id)) {
                    missing++;
                }
            }
            if (missing == 0) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadlineNanos);
        return missing;
    }
}
