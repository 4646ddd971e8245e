package dev.switchboard.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Drives operations in a closed loop (fixed concurrency, as fast as answers come) or an open loop (fixed rate). */
final class Load {

    /** Highest latency recorded, in microseconds; anything slower counts as this. */
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

    /** One operation, by index; returns an HTTP status (200 is success) or throws. */
    @FunctionalInterface
    interface Operation {
        int run(int index) throws Exception;
    }

    /** How long a paced phase waits for its backlog after the last request was due. */
    private static final long DRAIN_SECONDS = 60;

    private final CpuUsage cpu;

    Load(CpuUsage cpu) {
        this.cpu = cpu;
    }

    /**
     * {@code threads} threads each take the next index and run it synchronously until {@code count} are done.
     */
    PhaseResult closedLoop(String name, int count, int threads, Operation operation) throws InterruptedException {
        Tally tally = new Tally();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                await(start);
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long begin = System.nanoTime();
                    tally.record(operation, i, begin, begin);
                }
            }, name + "-" + t);
            workers[t].start();
        }
        CpuUsage.Sample before = cpu.sample();
        long began = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        long wall = System.nanoTime() - began;
        return tally.result(name, count, wall, cpu.since(before));
    }

    /**
     * Starts operation {@code i} at {@code i / rate} seconds whether or not earlier ones have answered, on a pool of
     * {@code threads}, and measures each from its scheduled start, so that a stall counts against every request it
     * delays (no coordinated omission). Requests still waiting for a thread {@value #DRAIN_SECONDS} s after the last
     * was due are abandoned and count as failures.
     */
    PhaseResult openLoop(String name, int count, int rate, int threads, Operation operation)
            throws InterruptedException {
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        double interval = 1e9 / rate;
        CpuUsage.Sample before = cpu.sample();
        long began = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long scheduled = began + (long) (i * interval);
            for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            pool.execute(new Scheduled(i, scheduled, tally, operation));
        }
        pool.shutdown();
        if (!pool.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
            // Overloaded past hope: what never went out fails, timed until now (a lower bound on its latency).
            List<Runnable> unsent = pool.shutdownNow();
            long now = System.nanoTime();
            for (Runnable task : unsent) {
                tally.unsent(((Scheduled) task).scheduled, now);
            }
            pool.awaitTermination(15, TimeUnit.SECONDS);
        }
        long wall = System.nanoTime() - began;
        return tally.result(name, count, wall, cpu.since(before));
    }

    /** Request {@code index} of a paced phase, due at {@code scheduled}. */
    private record Scheduled(int index, long scheduled, Tally tally, Operation operation) implements Runnable {
        @Override
        public void run() {
            tally.record(operation, index, scheduled, System.nanoTime());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Latencies and failures, recorded from many threads. */
    private static final class Tally {
        final Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
        final Histogram service = new ConcurrentHistogram(MAX_MICROS, 3);
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        final AtomicReference<String> firstFailure = new AtomicReference<>();

        void record(Operation operation, int index, long scheduled, long sent) {
            String failure;
            try {
                int status = operation.run(index);
                failure = status == 200 ? null : "HTTP " + status;
            } catch (Exception e) {
                failure = e.getClass().getSimpleName();
                firstFailure.compareAndSet(null, e.toString());
            }
            long end = System.nanoTime();
            latency.recordValue(Math.min(MAX_MICROS, (end - scheduled) / 1000));
            service.recordValue(Math.min(MAX_MICROS, (end - sent) / 1000));
            if (failure != null) {
                failures.merge(failure, 1, Integer::sum);
            }
        }

        void unsent(long scheduled, long now) {
            latency.recordValue(Math.min(MAX_MICROS, (now - scheduled) / 1000));
            failures.merge("not sent within " + DRAIN_SECONDS + " s of the phase's end", 1, Integer::sum);
        }

        PhaseResult result(String name, int count, long wall, CpuUsage.Split cpu) {
            return new PhaseResult(name, count, wall, latency, service, Map.copyOf(failures), firstFailure.get(), cpu);
        }
    }
}
