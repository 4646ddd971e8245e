package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

import dev.switchboard.console.enrich.RelativeConfig;
import dev.switchboard.console.enrich.RelativeTime;
import dev.switchboard.console.enrich.SentimentConfig;
import dev.switchboard.console.enrich.SentimentModel;
import dev.switchboard.console.enrich.SentimentService;
import dev.switchboard.console.enrich.StreamingEnrichment;
import dev.switchboard.console.enrich.Trends;

/**
 * The agent console's sentiment scoring, in process, with the console's own classes (model, pool, cache, stream): how
 * many customer messages a second it scores with 1 and 2 worker threads, and what a message's trip through
 * {@code Enrichment.enrich} adds to (a) its own frame and (b) its sentiment frame, at a steady rate; then, unless
 * {@code --mode in-process}, text-to-score through the packaged stack ({@link SentimentStreamBenchmark}). See
 * bench/README.md.
 */
public final class SentimentBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    // What customers text a shop's support line: SMS-sized, some several sentences, all English (texts the screen
    // keeps from the model would flatter the figures).
    static final List<String> CORPUS = List.of(
            "Hi, my order still hasn't arrived. It was supposed to be here on Monday.",
            "This is terrible, I am furious, worst service ever",
            "Thank you so much, the replacement came today and it works perfectly!",
            "Can I change the delivery address for order 48213?",
            "I've been waiting 40 minutes for someone to answer. Ridiculous.", "Great, thanks for the quick reply.",
            "The package was left in the rain and everything inside is ruined.",
            "When will the refund show up on my card?", "ok",
            "Your driver was really friendly and helpful, please tell him thanks.",
            "I was charged twice for the same order and nobody is answering my emails. Please fix this today.",
            "Is the store on Main Street open on Sunday?",
            "The size is wrong again. This is the third time I have to send it back.", "Perfect, that works for me.",
            "I want to cancel my subscription.", "Absolutely love the new jacket, fits great!",
            "Why do you keep sending me messages I never asked for?",
            "Can someone call me back? I'd rather explain on the phone.",
            "The tracking page says delivered but there is nothing at my door.", "No worries, take your time.",
            "This app keeps crashing when I try to pay. Very frustrating.", "Thanks, that solved it. Have a nice day!",
            "I ordered a blue one and got a red one.", "Do you ship to Canada?",
            "Honestly the worst customer experience I have ever had. I will never order from you again.",
            "Sure, my email is the same as before.", "The discount code doesn't work at checkout.",
            "Wow, that was fast. Impressed.", "I still haven't heard back about my complaint from last week.",
            "Could you send me the invoice again? I can't find it.",
            "The food was cold and the delivery was an hour late.", "All good now, thank you for your patience.",
            "What time does the technician arrive tomorrow?",
            "I'm really disappointed, the product broke after two days.", "yes please",
            "The new update is great, much easier to use.",
            "Nobody told me there was a cancellation fee. That's not fair.",
            "Where can I leave a review? The staff were wonderful.",
            "My account is locked and I can't reset the password.",
            "Hi! Just checking whether my return was received. Thanks.");

    /** The console's defaults, but with the pool and limits a phase asks for. */
    record Config(int threads, int queueSize, int parseMaxLength) implements SentimentConfig {
        /** The benchmark drives the scorer itself, through the enrichment's own path, as the fallback does. */
        @Override
        public boolean scoreLocally() {
            return true;
        }

        @Override
        public int cacheSize() {
            return 1_000_000;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
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
        public int negativeRun() {
            return 3;
        }

        @Override
        public double directionThreshold() {
            return 0.5;
        }

        @Override
        public int trendConversations() {
            return 5000;
        }
    }

    /** Relative labels are not what this benchmark measures: a tick longer than any run never fires. */
    private static final RelativeConfig NO_TICK = new RelativeConfig() {
        @Override
        public Duration tick() {
            return Duration.ofDays(1);
        }

        @Override
        public int maxTracked() {
            return 1;
        }
    };

    /** One console's enrichment and a subscriber stamping what leaves it. */
    private static final class Console {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final SentimentService service;
        final UnicastProcessor<ObjectNode> upstream = UnicastProcessor.create();
        final Map<String, Long> entered = new ConcurrentHashMap<>();
        final Histogram frameDelay = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram sentimentDelay = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final CountDownLatch scored;
        volatile long lastSentiment;

        Console(SentimentModel model, Config config, int expected) {
            service = new SentimentService(config, model, registry);
            scored = new CountDownLatch(expected);
            new StreamingEnrichment(service, new Trends(config), new RelativeTime(), NO_TICK).enrich(upstream)
                    .subscribe().with(frame -> {
                        long now = System.nanoTime();
                        String type = frame.get("type").asText();
                        if (type.equals("update")) {
                            Long in = entered.get(frame.at("/message/id").asText());
                            synchronized (frameDelay) {
                                frameDelay.recordValue(now - in);
                            }
                        } else if (type.equals("sentiment")) {
                            Long in = entered.get(frame.get("messageId").asText());
                            synchronized (sentimentDelay) {
                                sentimentDelay.recordValue(now - in);
                            }
                            lastSentiment = now;
                            scored.countDown();
                        }
                    });
        }

        void send(String id, String conversation, String body) {
            ObjectNode message = JSON.createObjectNode().put("id", id).put("conversation", conversation)
                    .put("direction", "inbound").put("body", body).put("status", "received")
                    .put("createdAt", Instant.now().toString());
            ObjectNode frame = JSON.createObjectNode().put("type", "update").put("conversation", conversation);
            frame.set("message", message);
            frame.put("optedOut", false);
            entered.put(id, System.nanoTime());
            upstream.onNext(frame);
        }

        double skipped() {
            return registry.get("console.sentiment.skipped").counter().count();
        }

        double meanScoringMs() {
            return registry.get("console.sentiment.scoring").timer().mean(TimeUnit.MILLISECONDS);
        }
    }

    private final SentimentOptions options;
    private final SentimentModel model;
    private int nextId;
    /** Sentiment frames that never arrived, over all phases: exit status 3 when any. */
    private long missing;

    private SentimentBenchmark(SentimentOptions options) {
        this.options = options;
        this.model = new SentimentModel(new Config(1, 1, options.parseMaxLength()), null);
    }

    public static void main(String[] args) throws Exception {
        SentimentOptions options;
        try {
            options = SentimentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int exit = 0;
        if (options.mode().inProcess()) {
            SentimentBenchmark benchmark = new SentimentBenchmark(options);
            benchmark.run();
            if (benchmark.missing > 0) {
                System.err.println("error: " + benchmark.missing + " sentiment frames never arrived (see above)");
                exit = 3;
            }
        }
        if (options.mode().stream()) {
            try {
                int unscored = new SentimentStreamBenchmark(options.stream()).run();
                if (unscored > 0) {
                    System.err.println("error: " + unscored + " messages of the stream phases were refused or never"
                            + " scored at the browser (see above)");
                    exit = 3;
                }
            } catch (Exception e) {
                e.printStackTrace();
                System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                System.exit(1);
            }
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "sentiment benchmark: %d cores, JDK %s, max heap %d MB, load average %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
                loadAverage());
        System.out.printf(Locale.ROOT, "corpus: %d texts, mean %.0f characters; %s%n", CORPUS.size(),
                CORPUS.stream().mapToInt(String::length).average().orElse(0), options);
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        model.load().join();
        long loadMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(Locale.ROOT, "model %s loaded in %d ms; heap used after GC %d MB before, %d MB after%n",
                SentimentModel.VERSION, loadMs, heapBefore >> 20, usedHeapAfterGc() >> 20);
        long parsedBefore = model.parsed();
        CORPUS.forEach(model::score);
        System.out.printf(Locale.ROOT, "the domain layer decides %d of the %d corpus texts without a parse%n",
                CORPUS.size() - (model.parsed() - parsedBefore), CORPUS.size());

        if (options.warmup() > 0) {
            int threads = options.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
            double rate = throughput(threads, options.warmup()).perSecond();
            System.out.printf(Locale.ROOT, "warm-up: %d messages on %d threads, %.1f msg/s%n", options.warmup(),
                    threads, rate);
        }

        Map<Integer, List<Double>> rates = new java.util.TreeMap<>();
        Map<Integer, List<Double>> cpuPerMessage = new java.util.TreeMap<>();
        Map<String, List<double[]>> latencies = new java.util.LinkedHashMap<>();
        for (int run = 1; run <= options.runs(); run++) {
            for (int threads : options.threads()) {
                CpuUsage cpu = new CpuUsage();
                CpuUsage.Sample before = cpu.sample();
                String loadBefore = loadAverage();
                Throughput t = throughput(threads, options.count());
                CpuUsage.Split split = cpu.since(before);
                rates.computeIfAbsent(threads, k -> new ArrayList<>()).add(t.perSecond());
                // CPU per message hardly depends on what else runs on the machine; msg/s does.
                double cpuMs = 1000 * split.cores().get("bench") / t.perSecond();
                cpuPerMessage.computeIfAbsent(threads, k -> new ArrayList<>()).add(cpuMs);
                System.out.printf(Locale.ROOT,
                        "| %d | throughput | %d threads | %.1f msg/s | scoring mean %.1f ms | CPU %.1f ms/msg |"
                                + " bench %.2f cores, other %.2f | load %s / %s |%n",
                        run, threads, t.perSecond(), t.meanScoringMs(), cpuMs, split.cores().get("bench"),
                        split.other(), loadBefore, loadAverage());
            }
            for (int rate : options.rates()) {
                CpuUsage cpu = new CpuUsage();
                CpuUsage.Sample before = cpu.sample();
                String loadBefore = loadAverage();
                double[] l = paced(rate);
                CpuUsage.Split split = cpu.since(before);
                latencies.computeIfAbsent(rate + " msg/s", k -> new ArrayList<>()).add(l);
                System.out.printf(Locale.ROOT,
                        "| %d | %d msg/s, %d threads | frame p50 %.3f / p99 %.3f / max %.3f ms | sentiment p50 %.1f"
                                + " / p90 %.1f / p99 %.1f / max %.1f ms | skipped %.0f | bench %.2f cores, other %.2f"
                                + " | load %s / %s |%n",
                        run, rate, options.latencyThreads(), l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7],
                        split.cores().get("bench"), split.other(), loadBefore, loadAverage());
            }
        }

        System.out.println();
        System.out.println("Medians of " + options.runs() + " runs:");
        for (Map.Entry<Integer, List<Double>> e : rates.entrySet()) {
            System.out.printf(Locale.ROOT, "| throughput, %d threads | %.1f msg/s | runs %s |%n", e.getKey(),
                    median(e.getValue()),
                    e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
        }
        for (Map.Entry<Integer, List<Double>> e : cpuPerMessage.entrySet()) {
            double ms = median(e.getValue());
            System.out.printf(Locale.ROOT,
                    "| CPU per message, %d threads | %.1f ms | i.e. %.0f msg/s if it had all %d cores |%n", e.getKey(),
                    ms, 1000 * Math.min(e.getKey(), Runtime.getRuntime().availableProcessors()) / ms,
                    Math.min(e.getKey(), Runtime.getRuntime().availableProcessors()));
        }
        if (rates.containsKey(1) && rates.containsKey(2)) {
            System.out.printf(Locale.ROOT, "| 2 threads / 1 thread | %.2f |%n",
                    median(rates.get(2)) / median(rates.get(1)));
        }
        String[] names = { "frame p50 ms", "frame p99 ms", "frame max ms", "sentiment p50 ms", "sentiment p90 ms",
                "sentiment p99 ms", "sentiment max ms", "skipped" };
        for (Map.Entry<String, List<double[]>> e : latencies.entrySet()) {
            StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
            for (int i = 0; i < names.length; i++) {
                int index = i;
                row.append(String.format(Locale.ROOT, " %s %.3f |", names[i],
                        median(e.getValue().stream().map(v -> v[index]).toList())));
            }
            System.out.println(row);
        }
    }

    record Throughput(double perSecond, double meanScoringMs) {
    }

    /** Every message at once into a console with a queue that holds them all; until the last score is out. */
    private Throughput throughput(int threads, int count) throws InterruptedException {
        Console console = new Console(model, new Config(threads, count + 10, options.parseMaxLength()), count);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                console.send("m" + nextId++, "c" + (i % 20), CORPUS.get(i % CORPUS.size()));
            }
            if (!console.scored.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("scores missing after 10 minutes");
            }
            double seconds = (console.lastSentiment - start) / 1e9;
            return new Throughput(count / seconds, console.meanScoringMs());
        } finally {
            console.service.stop();
        }
    }

    /**
     * Messages at a steady rate into a console configured as in production (queue 200), each stamped as it enters
     * {@code enrich}; its frame and its sentiment frame stamped as they leave.
     */
    private double[] paced(int rate) throws InterruptedException {
        int count = rate * options.duration();
        Console console = new Console(model, new Config(options.latencyThreads(), 200, options.parseMaxLength()),
                count);
        try {
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                console.send("m" + nextId++, "c" + (i % 20), CORPUS.get(i % CORPUS.size()));
            }
            long skipped = Math.round(console.skipped());
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (console.scored.getCount() > skipped && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            // Skipped messages never get a sentiment frame; the rest must have arrived.
            if (console.scored.getCount() > skipped) {
                System.out.println("warning: " + (console.scored.getCount() - skipped) + " sentiment frames missing");
                missing += console.scored.getCount() - skipped;
            }
            Histogram f = console.frameDelay;
            Histogram s = console.sentimentDelay;
            return new double[] { ms(f.getValueAtPercentile(50)), ms(f.getValueAtPercentile(99)), ms(f.getMaxValue()),
                    ms(s.getValueAtPercentile(50)), ms(s.getValueAtPercentile(90)), ms(s.getValueAtPercentile(99)),
                    ms(s.getMaxValue()), console.skipped() };
        } finally {
            console.service.stop();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
