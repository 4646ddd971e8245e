package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.bench.Webhooks.Webhook;
import dev.switchboard.local.TwilioSignature;

/**
 * Text-to-score through the stream, as an agent sees it: from the moment a signed inbound webhook is due to the moment
 * the agent's browser socket ({@code /console/ws} of the agent console) receives the {@code sentiment} frame of that
 * message. On the way the message is stored by the switchboard; the console's scoring reader (its own KCL application)
 * reads its INSERT from the messages table's stream, scores it and writes the score back onto the item; the
 * switchboard's reader reads that MODIFY and sends the {@code sentiment} frame to the agent's switchboard socket; the
 * console relays it, with the conversation's trend, to the browser. So two stream hops, the scoring, one conditional
 * write and two sockets.
 *
 * <p>
 * On a stack of its own ({@link SentimentStack}): the demo agent signs in at the console and goes available; probes
 * until a message is scored end to end (both readers hold their leases); a warm-up at the first rate; then each rate,
 * open loop, customers round-robin (all assigned to the agent), and waits for the last scores. Reports per phase the
 * percentiles of text-to-score and of text-to-shown (the message's own frame), messages scored against sent, sentiment
 * frames that came twice, and the slowest score of every few seconds (a growing backlog shows there). The last phase,
 * above the issue's 50 msg/s, shows what happens there.
 */
final class SentimentStreamBenchmark {

    static final double TARGET_P50_MS = 500;
    static final double TARGET_P99_MS = 1500;
    /** The rate the latency targets are set at. */
    static final int TARGET_RATE = 20;
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final Duration FIRST_SCORE_TIMEOUT = Duration.ofSeconds(240);
    private static final int TIMELINE_SECONDS = 5;
    private static final int CAPACITY = 20;
    private static final long HTTP_DRAIN_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EVENTS_LAG = Pattern
            .compile("^switchboard_events_lag_seconds\\{[^}]*quantile=\"([0-9.]+)\"[^}]*} ([0-9.E+-]+)");
    private static final Pattern STORED = Pattern
            .compile("^console_scoring_total\\{[^}]*outcome=\"stored\"[^}]*} ([0-9.E+-]+)");

    /** This run's message ids: SM, 8 hex digits of the run, 24 of the message's number. */
    private final String prefix = "SM" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    private final Pattern ids = Pattern.compile(Pattern.quote(prefix) + "([0-9a-f]{24})");
    private final Pattern scoredId = Pattern
            .compile("\"messageId\"\\s*:\\s*\"" + Pattern.quote(prefix) + "([0-9a-f]{24})\"");

    private final SentimentStreamOptions options;
    private final CpuUsage cpu = new CpuUsage();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Integer, Long> due = new ConcurrentHashMap<>();
    private final Map<Integer, Long> shown = new ConcurrentHashMap<>();
    private final Map<Integer, Long> scored = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> sentimentFrames = new ConcurrentHashMap<>();
    private final Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    private final List<Phase> phases = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private int nextId;

    /** One measured phase. */
    record Phase(int rate, boolean overload, int sent, int acceptedCount, int scoredCount, int duplicates,
            Histogram toScore, Histogram toShown, Histogram webhooks, Map<String, Integer> failures,
            double caughtUpSeconds, String timeline, long storedByConsole, CpuUsage.Split cpu, String loadBefore,
            String loadAfter, String eventsLag) {

        double p(double percentile) {
            return PhaseResult.ms(toScore, percentile);
        }

        int missing() {
            return acceptedCount - scoredCount;
        }
    }

    private record Batch(int first, int count, long lastDue, Histogram webhooks, Map<String, Integer> failures) {
    }

    SentimentStreamBenchmark(SentimentStreamOptions options) {
        this.options = options;
    }

    /** @return how many messages of the measured phases were not accepted or never scored (0: all were) */
    int run() throws Exception {
        System.out.printf(Locale.ROOT,
                "%nText-to-score through the stream, %s; load average %s; rates %s/s%s, %d s each after %d s of"
                        + " warm-up, %d customers; scoring poll %s, events poll %s%n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0)),
                loadAverage(), options.rates(),
                options.overload() > 0 ? ", then " + options.overload() + "/s above the claim" : "", options.duration(),
                options.warmup(), options.customers(),
                options.scoringPollInterval().map(d -> d.toMillis() + "ms").orElse("default"),
                options.eventsPollInterval().map(d -> d.toMillis() + "ms").orElse("default"));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(Instant.now().atOffset(ZoneOffset.UTC));
        Path logDir = options.root().resolve("bench/target/sentiment-logs").resolve(stamp);
        try (SentimentStack stack = SentimentStack.start(options, logDir, cpu)) {
            try {
                runStack(stack);
            } catch (Exception e) {
                System.err.println("the applications' logs: " + stack.logs());
                throw e;
            }
        }
        summary();
        return phases.stream().filter(p -> !p.overload()).mapToInt(p -> p.missing() + p.sent() - p.acceptedCount())
                .sum();
    }

    private void runStack(SentimentStack stack) throws Exception {
        Webhooks target = new Webhooks(stack.switchboard(), "local-dev-token", options.customers());
        try (ConsoleBrowser browser = ConsoleBrowser.open(http, stack.console(), SentimentStack.AGENT,
                SentimentStack.PASSWORD, this::frame)) {
            browser.available(CAPACITY, Duration.ofSeconds(30));
            System.out.println("agent " + SentimentStack.AGENT + " signed in at the console and available (capacity "
                    + CAPACITY + ")");
            awaitFirstScore(target, stack);
            int first = options.phases().get(0);
            if (options.warmup() > 0) {
                Batch warmup = send(first, first * options.warmup(), target);
                int missing = await(warmup, options.drain());
                System.out.printf(Locale.ROOT, "[warm-up %d/s] %d webhooks, not measured; scores missing %d%n", first,
                        warmup.count(), missing);
            }
            List<Integer> rates = options.phases();
            for (int i = 0; i < rates.size(); i++) {
                int rate = rates.get(i);
                boolean overload = options.overload() > 0 && i == rates.size() - 1;
                long storedBefore = stored(stack.console());
                String loadBefore = loadAverage();
                CpuUsage.Sample cpuBefore = cpu.sample();
                Batch batch = send(rate, rate * options.duration(), target);
                CpuUsage.Split split = cpu.since(cpuBefore);
                // Above the claim the backlog takes longer to clear: wait for it, as long as the phase ran and more.
                await(batch, options.drain() + (overload ? 2 * options.duration() : 0));
                Phase phase = phase(rate, overload, batch, stored(stack.console()) - storedBefore, split, loadBefore,
                        eventsLag(stack.switchboard()));
                phases.add(phase);
                batches.add(batch);
                report(phase);
                if (!stack.alive()) {
                    throw new IllegalStateException("the switchboard or the console died during the run");
                }
            }
            catchUp(stack);
            System.out.println("  frames received by the browser: " + new TreeMap<>(browser.counts()));
        }
    }

    /**
     * After the last phase: waits up to {@code --stream-drain} seconds more until every accepted message of every phase
     * has its score at the browser, then says how many of each phase were scored by then. A message scored after its
     * phase's wait was late, not skipped; one never scored was skipped (or lost).
     */
    private void catchUp(SentimentStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drain());
        long unscored;
        do {
            unscored = accepted.stream().filter(id -> !scored.containsKey(id)).count();
            if (unscored == 0) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        System.out.printf(Locale.ROOT,
                "at the end (after up to %d s more for late scores): the console stored %d scores in all;%n",
                options.drain(), stored(stack.console()));
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            int acceptedCount = 0;
            int scoredByNow = 0;
            for (int id = batch.first(); id < batch.first() + batch.count(); id++) {
                if (accepted.contains(id)) {
                    acceptedCount++;
                    if (scored.containsKey(id)) {
                        scoredByNow++;
                    }
                }
            }
            Phase phase = phases.get(i);
            System.out.printf(Locale.ROOT,
                    "  %d msg/s: %d of %d accepted messages scored at the browser by now (%d"
                            + " within the phase's wait)%n",
                    phase.rate(), scoredByNow, acceptedCount, phase.scoredCount());
        }
    }

    /** Called from the socket's thread with every frame the browser receives. */
    private void frame(String agent, String type, String text, long nanos) {
        switch (type) {
        case "sentiment" -> {
            Matcher m = scoredId.matcher(text);
            if (m.find()) {
                int id = Integer.parseInt(m.group(1), 16);
                scored.putIfAbsent(id, nanos);
                sentimentFrames.merge(id, 1, Integer::sum);
            }
        }
        case "update", "assigned" -> {
            Matcher m = ids.matcher(text);
            while (m.find()) {
                shown.putIfAbsent(Integer.parseInt(m.group(1), 16), nanos);
            }
            if (type.equals("assigned")) {
                scoredInHistory(text, nanos);
            }
        }
        case "error" -> System.err.println("the console sent " + text);
        default -> {
        }
        }
    }

    /**
     * A conversation assigned after its message was scored shows the stored score in the history it arrives with, and
     * no {@code sentiment} frame follows: that is when the agent saw the score.
     */
    private void scoredInHistory(String text, long nanos) {
        try {
            for (JsonNode message : JSON.readTree(text).path("history")) {
                Matcher m = ids.matcher(message.path("id").asText(""));
                if (m.matches() && message.hasNonNull("sentiment")) {
                    scored.putIfAbsent(Integer.parseInt(m.group(1), 16), nanos);
                }
            }
        } catch (IOException e) {
            System.err.println("an assigned frame that is not JSON: " + e);
        }
    }

    /**
     * Sends a probe every 2 s until one is scored and its score reaches the browser: until both stream readers hold
     * their first leases (the KCL takes seconds after start) latencies would measure that.
     */
    private void awaitFirstScore(Webhooks target, SentimentStack stack) throws Exception {
        long began = System.nanoTime();
        long deadline = began + FIRST_SCORE_TIMEOUT.toNanos();
        int first = nextId;
        while (System.nanoTime() < deadline) {
            if (!stack.alive()) {
                throw new IllegalStateException("the switchboard or the console died before the first score");
            }
            int id = nextId++;
            int status = target.send(webhook(target, id));
            if (status != 200) {
                System.out.println("probe webhook answered " + status);
            }
            for (int i = 0; i < 20; i++) {
                for (int probe = first; probe <= id; probe++) {
                    if (scored.containsKey(probe)) {
                        System.out.printf(Locale.ROOT,
                                "the first score reached the browser %.1f s after the first probe%n",
                                (System.nanoTime() - began) / 1e9);
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no probe was scored at the browser within " + FIRST_SCORE_TIMEOUT);
    }

    /**
     * {@code count} webhooks at {@code rate} a second, open loop: webhook {@code k} is due at {@code k / rate} s
     * whether or not earlier ones were answered, and every latency counts from when it was due.
     */
    private Batch send(int rate, int count, Webhooks target) throws InterruptedException {
        int first = nextId;
        nextId += count;
        List<Webhook> prepared = new ArrayList<>(count);
        for (int id = first; id < first + count; id++) {
            prepared.add(webhook(target, id));
        }
        OpenLoop.Sent sent = OpenLoop.send(rate, first, java.util.Collections.nCopies(count, target), prepared, due,
                accepted, MAX_MICROS, HTTP_DRAIN_SECONDS);
        return new Batch(first, count, sent.lastDueNanos(), sent.latency(), sent.failures());
    }

    /** Waits until every accepted message of the batch is scored at the browser, or {@code seconds} after the last. */
    private int await(Batch batch, int seconds) throws InterruptedException {
        return OpenLoop.awaitNonePending(batch.first(), batch.count(),
                batch.lastDue() + TimeUnit.SECONDS.toNanos(seconds),
                id -> accepted.contains(id) && !scored.containsKey(id));
    }

    private Phase phase(int rate, boolean overload, Batch batch, long storedByConsole, CpuUsage.Split split,
            String loadBefore, String eventsLag) {
        Histogram toScore = new Histogram(MAX_MICROS, 3);
        Histogram toShown = new Histogram(MAX_MICROS, 3);
        int acceptedCount = 0;
        int scoredCount = 0;
        int duplicates = 0;
        long start = due.get(batch.first());
        long lastScore = start;
        long[] slowest = new long[(int) (TimeUnit.NANOSECONDS.toSeconds(batch.lastDue() - start) / TIMELINE_SECONDS)
                + 1];
        for (int id = batch.first(); id < batch.first() + batch.count(); id++) {
            if (!accepted.contains(id)) {
                continue;
            }
            acceptedCount++;
            long dueAt = due.get(id);
            Long shownAt = shown.get(id);
            if (shownAt != null) {
                toShown.recordValue(micros(shownAt - dueAt));
            }
            Long at = scored.get(id);
            if (at == null) {
                continue;
            }
            scoredCount++;
            lastScore = Math.max(lastScore, at);
            long micros = micros(at - dueAt);
            toScore.recordValue(micros);
            int slot = (int) (TimeUnit.NANOSECONDS.toSeconds(dueAt - start) / TIMELINE_SECONDS);
            slowest[slot] = Math.max(slowest[slot], micros);
            if (sentimentFrames.getOrDefault(id, 0) > 1) {
                duplicates++;
            }
        }
        StringBuilder timeline = new StringBuilder();
        for (long micros : slowest) {
            timeline.append(timeline.isEmpty() ? "" : " ").append(micros / 1000);
        }
        return new Phase(rate, overload, batch.count(), acceptedCount, scoredCount, duplicates, toScore, toShown,
                batch.webhooks(), batch.failures(), scoredCount == 0 ? Double.NaN : (lastScore - batch.lastDue()) / 1e9,
                timeline.toString(), storedByConsole, split, loadBefore, loadAverage(), eventsLag);
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
    }

    /** Message {@code id}: a corpus text from customer {@code id mod customers}, with this run's message id. */
    private Webhook webhook(Webhooks target, int id) {
        Map<String, String> params = new LinkedHashMap<>();
        String sid = prefix + String.format("%024x", id);
        String from = Webhooks.customerNumber(id % options.customers());
        params.put("MessageSid", sid);
        params.put("AccountSid", Webhooks.ACCOUNT_SID);
        params.put("From", from);
        params.put("To", Webhooks.BUSINESS_NUMBER);
        params.put("Body", SentimentBenchmark.CORPUS.get(id % SentimentBenchmark.CORPUS.size()));
        params.put("NumMedia", "0");
        return new Webhook(TwilioSignature.formBody(params),
                TwilioSignature.sign("local-dev-token", target.url().toString(), params), sid,
                Webhooks.BUSINESS_NUMBER + "#" + from);
    }

    private void report(Phase p) {
        System.out.printf(Locale.ROOT, "[%d webhooks/s for %d s%s, open loop, timed from each webhook's due time]%n"
                + "  text to score (sentiment frame at the browser): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms%n"
                + "  text to shown (the message's own frame): p50 %.1f  p99 %.1f  max %.1f ms%n"
                + "  sent %d, accepted %d, scored at the browser %d, never scored %d, sentiment frames twice %d;"
                + " stored by the console %d; last score %.1f s after the last webhook was due%n"
                + "  webhook answered (HTTP): p50 %.1f  p99 %.1f  max %.1f ms; %s%n"
                + "  slowest score (ms) of each %d s of the phase: %s%n  switchboard stream lag (write to"
                + " handling, last ~2 min): %s%n  %s%n  load average before %s, after %s%n", p.rate(),
                options.duration(), p.overload() ? ", above the claim" : "", p.p(50), p.p(90), p.p(99),
                PhaseResult.maxMs(p.toScore()), PhaseResult.ms(p.toShown(), 50), PhaseResult.ms(p.toShown(), 99),
                PhaseResult.maxMs(p.toShown()), p.sent(), p.acceptedCount(), p.scoredCount(), p.missing(),
                p.duplicates(), p.storedByConsole(), p.caughtUpSeconds(), PhaseResult.ms(p.webhooks(), 50),
                PhaseResult.ms(p.webhooks(), 99), PhaseResult.maxMs(p.webhooks()),
                p.failures().isEmpty() ? "webhook failures 0" : "webhook failures " + new TreeMap<>(p.failures()),
                TIMELINE_SECONDS, p.timeline(), p.eventsLag(), p.cpu(), p.loadBefore(), p.loadAfter());
    }

    private void summary() {
        System.out.println();
        System.out.println("== Text to score through the stream: summary ==");
        System.out.printf(Locale.ROOT,
                "  targets at %d msg/s: p50 < %.0f ms, p99 < %.0f ms; at every rate up to 50 msg/s every message"
                        + " scored%n",
                TARGET_RATE, TARGET_P50_MS, TARGET_P99_MS);
        System.out.println("  | msg/s | sent | scored | never scored | twice | p50 ms | p90 ms | p99 ms | max ms"
                + " | last score after last webhook | console CPU | switchboard CPU | DynamoDB CPU | other CPU"
                + " | load avg before / after |");
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT,
                    "  | %d%s | %d | %d | %d | %d | %.0f | %.0f | %.0f | %.0f | %.1f s | %.2f | %.2f | %.2f | %.2f"
                            + " | %s / %s |%n",
                    p.rate(), p.overload() ? " (above)" : "", p.sent(), p.scoredCount(), p.missing(), p.duplicates(),
                    p.p(50), p.p(90), p.p(99), PhaseResult.maxMs(p.toScore()), p.caughtUpSeconds(),
                    p.cpu().cores().getOrDefault("console", Double.NaN),
                    p.cpu().cores().getOrDefault("switchboard", Double.NaN),
                    p.cpu().cores().getOrDefault("dynamodb", Double.NaN), p.cpu().other(), p.loadBefore().split(" ")[0],
                    p.loadAfter().split(" ")[0]);
        }
        phases.stream().filter(p -> p.rate() == TARGET_RATE && !p.overload()).findFirst()
                .ifPresent(p -> System.out.printf(Locale.ROOT, "  at %d msg/s: p50 %s, p99 %s%n", TARGET_RATE,
                        p.p(50) < TARGET_P50_MS ? "MET" : "MISSED", p.p(99) < TARGET_P99_MS ? "MET" : "MISSED"));
        boolean allScored = phases.stream().filter(p -> !p.overload())
                .allMatch(p -> p.missing() == 0 && p.acceptedCount() == p.sent());
        System.out.println("  every message of the measured phases scored: " + (allScored ? "MET" : "MISSED"));
    }

    /** The console's {@code console.scoring{outcome=stored}} counter: scores it wrote so far. */
    private long stored(URI console) {
        for (String line : metrics(console)) {
            Matcher m = STORED.matcher(line);
            if (m.find()) {
                return (long) Double.parseDouble(m.group(1));
            }
        }
        return 0;
    }

    private String eventsLag(URI switchboard) {
        Map<String, String> quantiles = new TreeMap<>();
        for (String line : metrics(switchboard)) {
            Matcher m = EVENTS_LAG.matcher(line);
            if (m.find()) {
                quantiles.merge(m.group(1),
                        String.format(Locale.ROOT, "%.0f ms", 1000 * Double.parseDouble(m.group(2))), (a, b) -> a);
            }
        }
        return quantiles.isEmpty() ? "n/a" : quantiles.toString();
    }

    private List<String> metrics(URI base) {
        try {
            return List.of(http.send(
                    HttpRequest.newBuilder(URI.create(base + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().split("\n"));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The 1, 5 and 15 minute load averages of the machine. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
