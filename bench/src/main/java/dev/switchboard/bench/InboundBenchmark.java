package dev.switchboard.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.HdrHistogram.Histogram;

import dev.switchboard.bench.Webhooks.Webhook;

/**
 * Benchmark of the inbound webhook ({@code POST /twilio/messages}) against a local stack. One run:
 * <ol>
 * <li>starts DynamoDB Local, S3Mock and the packaged switchboard on free ports (unless given {@code --target} and
 * {@code --dynamodb}) and waits until it is ready;</li>
 * <li>warms up with unmeasured webhooks;</li>
 * <li>throughput: N signed webhooks in a closed loop at concurrency C;</li>
 * <li>raw DynamoDB: N PutItems of a message-sized item into a scratch table of the same DynamoDB Local at the same C,
 * then N TransactWriteItems of three puts (what each webhook costs);</li>
 * <li>paced: R webhooks a second for S seconds, each timed from when it was due, not when it went out;</li>
 * <li>projection lag: webhooks at a lower pace (100 a second), each timed from its 200 until its conversation item in
 * DynamoDB lists it as applied ({@link ProjectionLag});</li>
 * <li>a summary against the targets: ingest at least 30 % of the raw put rate (issue 9), p99 under 50 ms at 200 req/s,
 * no 5xx.</li>
 * </ol>
 * Everything it starts, it stops. A benchmark, not a test; the build only runs it tiny, as a smoke run
 * ({@code bench/smoke}), which fails when it exits other than 0: 1 when it could not run, 3 when requests failed.
 */
public final class InboundBenchmark {

    static final double TARGET_RATIO = 0.30;
    static final double TARGET_P99_MS = 50;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final long SETTLE_MILLIS = 2000;
    private static final long IDLE_MILLIS = 5000;
    /** Longest wait for the stream consumer to work off the earlier phases before the lag is measured. */
    private static final Duration BACKLOG_LIMIT = Duration.ofSeconds(180);
    /** The switchboard's conversations table (its default name, as the dev profile keeps it). */
    private static final String CONVERSATIONS_TABLE = "switchboard-conversations";
    /** Exit status of a run that completed but saw failed requests (the build's smoke run fails on it). */
    static final int EXIT_ERRORS = 3;

    private final Options options;
    private final CpuUsage cpu = new CpuUsage();
    private final Load load = new Load(cpu);
    /** Index of the next webhook, across phases, so that customers keep rotating. */
    private long nextWebhook;
    /** Webhooks and raw writes that failed, in every phase, warm-up included. */
    private int failures;

    private InboundBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        int exit;
        try {
            InboundBenchmark benchmark = new InboundBenchmark(options);
            benchmark.run();
            exit = benchmark.failures == 0 ? 0 : EXIT_ERRORS;
            if (exit != 0) {
                System.err.println("error: " + benchmark.failures + " requests failed (see above)");
            }
        } catch (Exception e) {
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Inbound webhook benchmark, %s%n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0)));
        System.out.printf(Locale.ROOT,
                "machine: %d cores, JDK %s; requests %d, concurrency %d, rate %d/s for %d s,"
                        + " warm-up %d, customers %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), options.requests(),
                options.concurrency(), options.rate(), options.duration(), options.warmup(), options.customers());
        System.out.printf(Locale.ROOT,
                "webhook i comes from customer i*7919 mod %d, so no two of %d consecutive webhooks share a"
                        + " conversation; projection lag at %d/s for %d s%n",
                options.customers(), options.customers(), options.lagRate(), options.lagDuration());
        if (options.target().isPresent()) {
            System.out.println("using the running switchboard at " + options.target().get() + " and DynamoDB at "
                    + options.dynamodb().get());
            measure(options.target().get(), options.dynamodb().get(), () -> true);
            return;
        }
        Path logDir = options.root().resolve("bench/target/inbound-logs")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(Instant.now().atOffset(ZoneOffset.UTC)));
        try (LocalStack stack = LocalStack.start(options.appJar(), logDir, cpu)) {
            try {
                measure(stack.target(), stack.dynamodb(), stack::appAlive);
            } catch (Exception e) {
                System.err.println("the switchboard's log: " + stack.appLog());
                throw e;
            }
        }
    }

    private void measure(URI target, URI dynamodb, BooleanSupplier appAlive) throws Exception {
        Webhooks webhooks = new Webhooks(target, options.authToken(), options.customers());
        long starting = System.nanoTime();
        webhooks.awaitReady(target, READY_TIMEOUT, appAlive);
        System.out.printf(Locale.ROOT, "switchboard ready at %s (waited %.1f s)%n%n", webhooks.url(),
                (System.nanoTime() - starting) / 1e9);
        int n = options.requests();
        int c = options.concurrency();
        AppMetrics metrics = new AppMetrics(target);

        if (options.warmup() > 0) {
            PhaseResult warmup = sendClosed("warm-up", webhooks, options.warmup());
            failures += warmup.failed();
            System.out.printf(Locale.ROOT, "[warm-up] %d webhooks at concurrency %d in %.1f s (not measured); %s%n%n",
                    options.warmup(), c, warmup.seconds(), warmup.failureLine());
        }

        settle();
        Optional<AppMetrics.Totals> before = metrics.read();
        PhaseResult ingest = sendClosed("webhooks", webhooks, n);
        Optional<String> serverSide = AppMetrics.between(before, metrics.read());
        report("throughput: " + n + " webhooks, closed loop, concurrency " + c, "req/s", ingest);
        serverSide.ifPresent(line -> System.out.println("  " + line));
        System.out.println();

        PhaseResult put;
        PhaseResult transact;
        try (RawDynamo raw = new RawDynamo(dynamodb, options.customers())) {
            raw.createTables();
            int rawWarmup = Math.min(options.warmup(), n);
            if (rawWarmup > 0) {
                load.closedLoop("put-warmup", rawWarmup, c, i -> raw.put(i));
                load.closedLoop("transact-warmup", rawWarmup, c, i -> raw.transact(i));
            }
            settle();
            put = load.closedLoop("put", n, c, i -> raw.put(rawWarmup + i));
            report("raw PutItem: " + n + " puts of a ~" + raw.itemBytes() + "-byte item, concurrency " + c, "puts/s",
                    put);
            System.out.println();
            settle();
            transact = load.closedLoop("transact", n, c, i -> raw.transact(rawWarmup + i));
            report("raw TransactWriteItems (3 puts, as one webhook stores): " + n + " at concurrency " + c, "tx/s",
                    transact);
            System.out.println();
        }

        int paced = options.pacedRequests();
        List<Webhook> pacedWebhooks = webhooks.build(take(paced), paced);
        settle();
        before = metrics.read();
        PhaseResult open = load.openLoop("paced", paced, options.rate(), pacedThreads(),
                i -> webhooks.send(pacedWebhooks.get(i)));
        serverSide = AppMetrics.between(before, metrics.read());
        report("paced: " + options.rate() + " webhooks/s for " + options.duration() + " s, open loop, timed from"
                + " each request's scheduled start", "req/s achieved", open);
        System.out.println("  service time (from actual send): " + open.latencyLine(open.service()));
        serverSide.ifPresent(line -> System.out.println("  " + line));
        System.out.println();

        awaitProjected(dynamodb, pacedWebhooks.get(pacedWebhooks.size() - 1));
        Optional<LagResult> lag = Optional.empty();
        if (options.lagRequests() > 0) {
            lag = Optional.of(measureLag(webhooks, dynamodb));
            failures += lag.get().phase().failed() + lag.get().missed();
        }
        settle();
        idle();

        failures += ingest.failed() + put.failed() + transact.failed() + open.failed();
        summary(ingest, put, transact, open, lag);
    }

    /**
     * Waits until the stream consumer has worked off what the earlier phases left (their last webhook is projected), so
     * that the lag phase measures the lag, not a backlog; says how long that took.
     */
    private void awaitProjected(URI dynamodb, Webhook last) throws InterruptedException {
        long began = System.nanoTime();
        ProjectionLag drain = new ProjectionLag(dynamodb, CONVERSATIONS_TABLE, BACKLOG_LIMIT);
        try {
            drain.answered(last.messageSid(), last.conversation());
            drain.finish();
        } finally {
            drain.close();
        }
        System.out.printf(Locale.ROOT, "[stream backlog: the paced phase's last webhook %s %.1f s after the phase]%n%n",
                drain.missed() == 0 ? "was projected" : "was still not projected", (System.nanoTime() - began) / 1e9);
    }

    /** The lag phase's webhooks, what they cost, and the lag from each one's 200 to its projection. */
    record LagResult(PhaseResult phase, Histogram lag, int missed) {
    }

    private LagResult measureLag(Webhooks webhooks, URI dynamodb) throws InterruptedException {
        int count = options.lagRequests();
        List<Webhook> batch = webhooks.build(take(count), count);
        long conversations = batch.stream().map(Webhook::conversation).distinct().count();
        settle();
        PhaseResult phase;
        ProjectionLag lag = new ProjectionLag(dynamodb, CONVERSATIONS_TABLE, ProjectionLag.GIVE_UP);
        try {
            phase = load.openLoop("lag", count, options.lagRate(), pacedThreads(), i -> {
                Webhook webhook = batch.get(i);
                int status = webhooks.send(webhook);
                if (status == 200) {
                    lag.answered(webhook.messageSid(), webhook.conversation());
                }
                return status;
            });
            lag.finish();
        } finally {
            lag.close();
        }
        report("projection lag: " + options.lagRate() + " webhooks/s for " + options.lagDuration() + " s over "
                + conversations + " conversations, open loop", "req/s achieved", phase);
        System.out.printf(Locale.ROOT,
                "  write-to-projection lag (200 to the first read showing the message applied; +<= %d ms poll"
                        + " interval + one read): %s; never projected within %d s: %d%n",
                ProjectionLag.POLL_INTERVAL.toMillis(), latencyLine(lag.lag()), ProjectionLag.GIVE_UP.toSeconds(),
                lag.missed());
        System.out.printf(Locale.ROOT,
                "  the lag's own polling: %d BatchGetItems of %d keys in all (%.1f a second), counted in this phase's"
                        + " DynamoDB CPU above%n",
                lag.reads(), lag.keysRead(), lag.reads() / phase.seconds());
        System.out.println();
        return new LagResult(phase, lag.lag(), lag.missed());
    }

    private static String latencyLine(Histogram histogram) {
        return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms (%d messages)",
                PhaseResult.ms(histogram, 50), PhaseResult.ms(histogram, 90), PhaseResult.ms(histogram, 99),
                PhaseResult.maxMs(histogram), histogram.getTotalCount());
    }

    private PhaseResult sendClosed(String name, Webhooks webhooks, int count) throws InterruptedException {
        List<Webhook> batch = webhooks.build(take(count), count);
        return load.closedLoop(name, count, options.concurrency(), i -> webhooks.send(batch.get(i)));
    }

    private long take(int count) {
        long first = nextWebhook;
        nextWebhook += count;
        return first;
    }

    /** Enough threads that requests never wait for one unless the switchboard itself falls behind. */
    private int pacedThreads() {
        return Math.min(256, Math.max(64, 4 * options.concurrency()));
    }

    private static void report(String title, String unit, PhaseResult result) {
        System.out.printf(Locale.ROOT, "[%s]%n  %.1f %s (%d in %.2f s); %s; %s%n  %s%n  %s%n", title,
                result.perSecond(), unit, result.operations(), result.seconds(), result.latencyLine(result.latency()),
                result.failureLine(), result.cpu(), result.cpu().perOperation(result.perSecond()));
    }

    private void summary(PhaseResult ingest, PhaseResult put, PhaseResult transact, PhaseResult open,
            Optional<LagResult> lag) {
        double ratio = ingest.perSecond() / put.perSecond();
        double p99 = open.p(99);
        int serverErrors = ingest.serverErrors() + open.serverErrors();
        int failures = ingest.failed() + open.failed();
        System.out.println("== Summary ==");
        System.out.printf(Locale.ROOT, "  webhook ingest           %8.1f req/s  (concurrency %d; p99 %.1f ms)%n",
                ingest.perSecond(), options.concurrency(), ingest.p(99));
        System.out.printf(Locale.ROOT, "  raw PutItem              %8.1f puts/s (p50 %.1f ms, p99 %.1f ms)%n",
                put.perSecond(), put.p(50), put.p(99));
        System.out.printf(Locale.ROOT, "  raw 3-put transaction    %8.1f tx/s   (p50 %.1f ms, p99 %.1f ms)%n",
                transact.perSecond(), transact.p(50), transact.p(99));
        System.out.printf(Locale.ROOT, "  ingest / raw put         %8.1f %%      target >= %.0f %%: %s%n", 100 * ratio,
                100 * TARGET_RATIO, verdict(ratio >= TARGET_RATIO));
        System.out.printf(Locale.ROOT, "  ingest / raw transaction %8.1f %%      (informative)%n",
                100 * ingest.perSecond() / transact.perSecond());
        System.out.printf(Locale.ROOT, "  p99 at %d req/s         %8.1f ms     target < %.0f ms: %s%n", options.rate(),
                p99, TARGET_P99_MS, verdict(p99 < TARGET_P99_MS));
        System.out.printf(Locale.ROOT, "  5xx (measured phases)    %8d        target 0: %s%n", serverErrors,
                verdict(serverErrors == 0));
        System.out.printf(Locale.ROOT, "  other failures           %8d%n", failures - serverErrors);
        lag.ifPresent(l -> System.out.printf(Locale.ROOT,
                "  projection lag at %d/s   p50 %.1f ms, p99 %.1f ms, max %.1f ms; never projected %d%n",
                options.lagRate(), PhaseResult.ms(l.lag(), 50), PhaseResult.ms(l.lag(), 99), PhaseResult.maxMs(l.lag()),
                l.missed()));
        System.out.println("  | ingest req/s | p50 | p90 | p99 | max | non-200 | put/s | put p50 | put p99 | tx/s"
                + " | ratio | paced p50 | paced p99 | paced errors | 5xx | other CPU |");
        System.out.printf(Locale.ROOT,
                "  | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %.0f | %.1f | %.1f | %.0f | %.1f %%"
                        + " | %.1f | %.1f | %d | %d | %.2f |%n",
                ingest.perSecond(), ingest.p(50), ingest.p(90), ingest.p(99), PhaseResult.maxMs(ingest.latency()),
                ingest.failed(), put.perSecond(), put.p(50), put.p(99), transact.perSecond(), 100 * ratio, open.p(50),
                p99, open.failed(), serverErrors, ingest.cpu().other());
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    /**
     * What the stack uses with no webhook arriving (the stream consumer's polling, lease renewals, timers): the floor
     * under every CPU-per-webhook figure, which at R webhooks a second adds idle cores / R to each.
     */
    private void idle() throws InterruptedException {
        CpuUsage.Sample before = cpu.sample();
        Thread.sleep(IDLE_MILLIS);
        System.out.printf(Locale.ROOT, "[idle: %.0f s, no webhooks]%n  %s%n%n", IDLE_MILLIS / 1000.0,
                cpu.since(before));
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(SETTLE_MILLIS);
    }
}
