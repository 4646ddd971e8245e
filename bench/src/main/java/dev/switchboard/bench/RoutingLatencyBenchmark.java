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
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import dev.switchboard.bench.Webhooks.Webhook;
import dev.switchboard.local.TwilioSignature;

/**
 * Webhook-to-agent-frame latency: from the moment a signed inbound webhook ({@code POST /twilio/messages}) is due to
 * the moment an agent's socket receives the frame carrying that message (an {@code update} whose message is it, or an
 * {@code assigned} whose history holds it). Every message body carries a unique mark, {@code bmk<id>z}, which is all
 * the benchmark looks for in the frames.
 *
 * <p>
 * For each number of instances asked for (1: delivery in process; 2: Redis pub/sub between them), on a fresh stack:
 * <ol>
 * <li>starts DynamoDB Local, S3Mock, the Twilio stand-in, Redis (two instances only) and the packaged switchboards, and
 * waits until each is ready;</li>
 * <li>creates the agents, spread evenly over the instances, connects each one's socket to its instance and makes it
 * available;</li>
 * <li>sends a probe message every 2 s until one reaches an agent: the stream consumer's first lease takes a while after
 * start;</li>
 * <li>for each rate: a warm-up at that rate (not measured), then the measured phase, open loop, webhooks alternating
 * between the instances, customers reused round-robin (so that after the first warm-up almost every frame is an
 * {@code update} of a conversation that already has its agent); then waits for the last frames.</li>
 * </ol>
 * Everything it starts, it stops. A benchmark, not a test: it never runs in the build.
 */
public final class RoutingLatencyBenchmark {

    static final double TARGET_P50_MS = 250;
    static final double TARGET_P99_MS = 1000;
    private static final Duration FIRST_EVENT_TIMEOUT = Duration.ofSeconds(180);
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);
    private static final long HTTP_DRAIN_SECONDS = 60;
    private static final Pattern MARK = Pattern.compile("bmk(\\d+)z");
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final int CONNECT_ATTEMPTS = 3;
    private static final int TIMELINE_SECONDS = 2;
    private static final String LEASE_TABLE = "switchboard-events";

    private final RoutingOptions options;
    private final CpuUsage cpu = new CpuUsage();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Scenario> scenarios = new ArrayList<>();

    /** Per stack: when each message was due, when its first frame came, which frame that was. */
    private final Map<Integer, Long> due = new ConcurrentHashMap<>();
    private final Map<Integer, Long> received = new ConcurrentHashMap<>();
    private final Map<Integer, String> firstFrame = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> updateFrames = new ConcurrentHashMap<>();
    private final Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    private int nextId;
    private int reconnects;

    /** One measured phase's outcome. */
    record Scenario(int instances, int rate, int messages, int acceptedCount, double sendSeconds, Histogram frames,
            Histogram webhooks, int lost, int duplicates, Map<String, Integer> firstFrames,
            Map<String, Integer> failures, CpuUsage.Split cpu, String loadBefore, String loadAfter, String timeline) {

        double p(double percentile) {
            return PhaseResult.ms(frames, percentile);
        }

        double max() {
            return PhaseResult.maxMs(frames);
        }

        int nonAccepted() {
            return messages - acceptedCount;
        }
    }

    /** A measured or warm-up batch: its ids, the HTTP latencies from each webhook's due time, and failures. */
    private record Batch(int first, int count, long lastDueNanos, double sendSeconds, Histogram webhooks,
            Map<String, Integer> failures) {
    }

    private RoutingLatencyBenchmark(RoutingOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        RoutingOptions options;
        try {
            options = RoutingOptions.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(RoutingOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        int exit;
        try {
            RoutingLatencyBenchmark benchmark = new RoutingLatencyBenchmark(options);
            benchmark.run();
            exit = benchmark.errors() == 0 ? 0 : InboundBenchmark.EXIT_ERRORS;
            if (exit != 0) {
                System.err.println("error: " + benchmark.errors() + " webhooks failed or frames were lost (see above)");
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Webhook-to-agent-frame latency benchmark, %s%n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0)));
        System.out.printf(Locale.ROOT,
                "machine: %d cores, JDK %s, load average %s; instances %s, rates %s/s, %d s each after %d s of"
                        + " warm-up, %d customers, %d agents (%d available x capacity %d), poll interval %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), loadAverage(), options.instances(),
                options.rates(), options.duration(), options.warmup(), options.customers(), options.agents(),
                options.available(), options.capacity(),
                options.pollInterval().map(d -> d.toMillis() + "ms").orElse("default (100ms)"));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(Instant.now().atOffset(ZoneOffset.UTC));
        for (int instances : options.instances()) {
            Path logDir = options.root().resolve("bench/target/routing-logs").resolve(stamp + "-" + instances);
            System.out.printf("%n=== %d instance%s ===%n", instances,
                    instances == 1 ? " (delivery in process)" : "s (Redis pub/sub between them)");
            try (RoutingStack stack = RoutingStack.start(options.appJar(), instances, options.pollInterval(), logDir,
                    cpu)) {
                try {
                    runStack(stack);
                } catch (Exception e) {
                    System.err.println("the switchboards' logs: " + stack.logs());
                    throw e;
                }
            }
        }
        summary();
    }

    private void runStack(RoutingStack stack) throws Exception {
        due.clear();
        received.clear();
        firstFrame.clear();
        updateFrames.clear();
        accepted.clear();
        List<RoutingStack.Instance> instances = stack.instances();
        List<Webhooks> targets = new ArrayList<>();
        for (RoutingStack.Instance instance : instances) {
            targets.add(new Webhooks(instance.url(), "local-dev-token", options.customers()));
        }

        AdminApi api = new AdminApi(http, instances.get(0).url());
        String admin = api.login(RoutingStack.ADMIN, RoutingStack.ADMIN_PASSWORD);
        List<String> names = new ArrayList<>();
        for (int a = 0; a < options.agents(); a++) {
            names.add("bench-agent-" + (a + 1));
        }
        long began = System.nanoTime();
        Map<String, String> tokens = api.createAndSignIn(admin, names, options.setupConcurrency());
        System.out.printf(Locale.ROOT, "created %d agents through the admin API and signed each in once in %.1f s%n",
                names.size(), (System.nanoTime() - began) / 1e9);
        List<AgentSocket> agents = Collections.synchronizedList(new ArrayList<>());
        try {
            began = System.nanoTime();
            ExecutorService connecting = Executors.newFixedThreadPool(options.setupConcurrency());
            List<Future<?>> work = new ArrayList<>();
            for (int a = 0; a < names.size(); a++) {
                // Available agents alternate between instances; so do the others.
                RoutingStack.Instance home = instances.get(a % instances.size());
                String name = names.get(a);
                boolean available = a < options.available();
                work.add(connecting.submit(() -> {
                    agents.add(connect(home, name, tokens.get(name), available));
                    if (options.agents() <= 10) {
                        System.out.println("agent " + name
                                + (available ? " available (capacity " + options.capacity() + ")" : " away") + " on "
                                + home.name());
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> f : work) {
                    f.get();
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } finally {
                connecting.shutdownNow();
            }
            System.out.printf(Locale.ROOT,
                    "%d agents connected in %.1f s: %d available (capacity %d), %d signed in and away%n", names.size(),
                    (System.nanoTime() - began) / 1e9, options.available(), options.capacity(),
                    names.size() - options.available());

            awaitFirstEvent(targets, stack);
            for (int rate : options.rates()) {
                if (options.warmup() > 0) {
                    Batch warmup = send(rate, rate * options.warmup(), targets);
                    int missing = awaitFrames(warmup);
                    System.out.printf(Locale.ROOT,
                            "[warm-up %d/s] %d webhooks in %.1f s, not measured; %s; frames" + " missing %d%n", rate,
                            warmup.count(), warmup.sendSeconds(), failureLine(warmup.failures()), missing);
                }
                Map<String, double[]> eventsBefore = events(instances);
                String loadBefore = loadAverage();
                CpuUsage.Sample cpuBefore = cpu.sample();
                Batch batch = send(rate, rate * options.duration(), targets);
                CpuUsage.Split split = cpu.since(cpuBefore);
                awaitFrames(batch);
                String loadAfter = loadAverage();
                Scenario scenario = scenario(instances.size(), rate, batch, split, loadBefore, loadAfter);
                scenarios.add(scenario);
                report(scenario);
                eventLine(instances, eventsBefore, events(instances));
                if (!stack.alive()) {
                    throw new IllegalStateException("a switchboard died during the run");
                }
            }
            Map<String, Integer> allFrames = new TreeMap<>();
            int withConversations = 0;
            for (AgentSocket agent : agents) {
                if (options.agents() <= 10) {
                    System.out.println("  frames received by " + agent.agent() + ": " + new TreeMap<>(agent.counts()));
                }
                agent.counts().forEach((type, n) -> allFrames.merge(type, n, Integer::sum));
                withConversations += agent.counts().containsKey("assigned") ? 1 : 0;
            }
            System.out.println("  frames received by all agents: " + allFrames + "; agents assigned a conversation: "
                    + withConversations);
            printLeases(stack.dynamodb());
        } finally {
            agents.forEach(AgentSocket::close);
        }
    }

    /**
     * Connects the agent's socket and makes them available, reconnecting (as the console does) up to
     * {@value #CONNECT_ATTEMPTS} times when the switchboard closes the socket or never confirms.
     */
    private AgentSocket connect(RoutingStack.Instance home, String name, String token, boolean available)
            throws Exception {
        for (int attempt = 1;; attempt++) {
            AgentSocket socket = AgentSocket.connect(http, home.url(), name, token, this::frame);
            try {
                socket.awaitOpened(Duration.ofSeconds(30));
                if (available) {
                    socket.available(options.capacity(), Duration.ofSeconds(15));
                } else {
                    socket.away();
                }
                synchronized (this) {
                    reconnects += attempt - 1;
                }
                return socket;
            } catch (RuntimeException e) {
                socket.close();
                System.out.println("agent " + name + " on " + home.name() + ": attempt " + attempt + " failed ("
                        + e.getMessage() + ")");
                if (attempt == CONNECT_ATTEMPTS) {
                    throw new IllegalStateException(name + " could not connect to " + home.name(), e);
                }
            }
        }
    }

    /**
     * The stream's shards as the KCL's lease table has them at the end: a shard closing (DynamoDB Local rolls them
     * over) means a hand-over to its child, which shows as a stall in the latencies.
     */
    private static void printLeases(URI dynamodb) {
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynamodb).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .build()) {
            List<Map<String, AttributeValue>> leases = client.scan(ScanRequest.builder().tableName(LEASE_TABLE).build())
                    .items();
            System.out.println("  stream leases at the end (" + leases.size() + "):");
            for (Map<String, AttributeValue> lease : leases) {
                System.out.println("    " + attribute(lease, "leaseKey") + " owner " + attribute(lease, "leaseOwner")
                        + ", checkpoint " + attribute(lease, "checkpoint") + ", parents "
                        + attribute(lease, "parentShardIds"));
            }
        } catch (RuntimeException e) {
            System.out.println("  could not read the lease table " + LEASE_TABLE + ": " + e);
        }
    }

    private static String attribute(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return "-";
        }
        String text = value.s() != null ? value.s() : value.hasSs() ? String.valueOf(value.ss()) : value.toString();
        // Shard ids and sequence numbers are long; their ends tell them apart.
        return text.length() > 40 ? "..." + text.substring(text.length() - 24) : text;
    }

    /** Called from the sockets' threads with every frame. */
    private void frame(String agent, String type, String text, long nanos) {
        Matcher mark = MARK.matcher(text);
        while (mark.find()) {
            int id = Integer.parseInt(mark.group(1));
            if (received.putIfAbsent(id, nanos) == null) {
                firstFrame.put(id, type);
            }
            if (type.equals("update")) {
                updateFrames.merge(id, 1, Integer::sum);
            }
        }
    }

    /**
     * Sends a probe every 2 s until one reaches an agent: until then the stream has no consumer (the KCL takes its
     * first lease seconds after start), and latencies would measure that.
     */
    private void awaitFirstEvent(List<Webhooks> targets, RoutingStack stack) throws Exception {
        long began = System.nanoTime();
        long deadline = began + FIRST_EVENT_TIMEOUT.toNanos();
        int first = nextId;
        while (System.nanoTime() < deadline) {
            if (!stack.alive()) {
                throw new IllegalStateException("a switchboard died before the first change event");
            }
            int id = nextId++;
            Webhooks target = targets.get(id % targets.size());
            int status = target.send(webhook(target, id));
            if (status != 200) {
                System.out.println("probe webhook answered " + status);
            }
            for (int i = 0; i < 20; i++) {
                for (int probe = first; probe <= id; probe++) {
                    if (received.containsKey(probe)) {
                        System.out.printf(Locale.ROOT,
                                "first change event reached an agent %.1f s after the first" + " probe%n",
                                (System.nanoTime() - began) / 1e9);
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no probe reached an agent within " + FIRST_EVENT_TIMEOUT);
    }

    /**
     * Sends {@code count} webhooks at {@code rate} a second, open loop: webhook {@code k} is due at {@code k / rate} s
     * whether or not earlier ones have been answered, and every latency is measured from when it was due, so that a
     * stall counts against every message it delays.
     */
    private Batch send(int rate, int count, List<Webhooks> targets) throws InterruptedException {
        int first = nextId;
        nextId += count;
        List<Webhooks> chosen = new ArrayList<>(count);
        List<Webhook> prepared = new ArrayList<>(count);
        for (int id = first; id < first + count; id++) {
            // Alternates between instances message by message, and moves each customer to the other instance
            // from one round of customers to the next.
            Webhooks target = targets.get((id + id / options.customers()) % targets.size());
            chosen.add(target);
            prepared.add(webhook(target, id));
        }
        OpenLoop.Sent sent = OpenLoop.send(rate, first, chosen, prepared, due, accepted, MAX_MICROS,
                HTTP_DRAIN_SECONDS);
        return new Batch(first, count, sent.lastDueNanos(), sent.sendSeconds(), sent.latency(), sent.failures());
    }

    /** Waits until every accepted message of the batch has reached an agent, or the drain time has passed. */
    private int awaitFrames(Batch batch) throws InterruptedException {
        return OpenLoop.awaitNonePending(batch.first(), batch.count(),
                batch.lastDueNanos() + TimeUnit.SECONDS.toNanos(options.drain()),
                id -> accepted.contains(id) && !received.containsKey(id));
    }

    private Scenario scenario(int instances, int rate, Batch batch, CpuUsage.Split split, String loadBefore,
            String loadAfter) {
        Histogram frames = new Histogram(MAX_MICROS, 3);
        int lost = 0;
        int duplicates = 0;
        int acceptedCount = 0;
        Map<String, Integer> types = new TreeMap<>();
        long start = due.get(batch.first());
        long[] slowest = new long[(int) (TimeUnit.NANOSECONDS.toSeconds(batch.lastDueNanos() - start)
                / TIMELINE_SECONDS) + 1];
        for (int id = batch.first(); id < batch.first() + batch.count(); id++) {
            if (!accepted.contains(id)) {
                continue;
            }
            acceptedCount++;
            Long at = received.get(id);
            if (at == null) {
                lost++;
                continue;
            }
            long micros = Math.max(0, Math.min(MAX_MICROS, (at - due.get(id)) / 1000));
            frames.recordValue(micros);
            int slot = (int) (TimeUnit.NANOSECONDS.toSeconds(due.get(id) - start) / TIMELINE_SECONDS);
            slowest[slot] = Math.max(slowest[slot], micros);
            types.merge(firstFrame.getOrDefault(id, "?"), 1, Integer::sum);
            if (updateFrames.getOrDefault(id, 0) > 1) {
                duplicates++;
            }
        }
        return new Scenario(instances, rate, batch.count(), acceptedCount, batch.sendSeconds(), frames,
                batch.webhooks(), lost, duplicates, types, batch.failures(), split, loadBefore, loadAfter,
                Arrays.stream(slowest).mapToObj(micros -> Long.toString(micros / 1000))
                        .collect(Collectors.joining(" ")));
    }

    private Webhook webhook(Webhooks target, int id) {
        Map<String, String> params = new LinkedHashMap<>();
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        String from = Webhooks.customerNumber(id % options.customers());
        params.put("MessageSid", sid);
        params.put("AccountSid", Webhooks.ACCOUNT_SID);
        params.put("From", from);
        params.put("To", Webhooks.BUSINESS_NUMBER);
        params.put("Body", "Hi, is my order on its way? The tracking page shows nothing yet. ref bmk" + id + "z");
        params.put("NumMedia", "0");
        return new Webhook(TwilioSignature.formBody(params),
                TwilioSignature.sign("local-dev-token", target.url().toString(), params), sid,
                Webhooks.BUSINESS_NUMBER + "#" + from);
    }

    private void report(Scenario s) {
        System.out.printf(Locale.ROOT,
                "[%d instance%s, %d webhooks/s for %d s, open loop, timed from each webhook's due time]%n"
                        + "  webhook to agent frame: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms; %d messages, %d"
                        + " accepted, frames lost %d, duplicate updates %d; first frame by type %s%n"
                        + "  webhook answered (HTTP, from due time): p50 %.1f  p99 %.1f  max %.1f ms; %s; sent in"
                        + " %.2f s%n  slowest frame (ms) of each %d s of the phase: %s%n  %s%n"
                        + "  load average before %s, after %s%n",
                s.instances(), s.instances() == 1 ? "" : "s", s.rate(), options.duration(), s.p(50), s.p(90), s.p(99),
                s.max(), s.messages(), s.acceptedCount(), s.lost(), s.duplicates(), s.firstFrames(),
                PhaseResult.ms(s.webhooks(), 50), PhaseResult.ms(s.webhooks(), 99), PhaseResult.maxMs(s.webhooks()),
                failureLine(s.failures()), s.sendSeconds(), TIMELINE_SECONDS, s.timeline(), s.cpu(), s.loadBefore(),
                s.loadAfter());
    }

    private static final Pattern EVENTS = Pattern
            .compile("^switchboard_events_total\\{[^}]*event=\"INSERT\"[^}]*} ([0-9.E+-]+)");
    private static final Pattern LAG = Pattern
            .compile("^switchboard_events_lag_seconds\\{[^}]*quantile=\"([0-9.]+)\"[^}]*} ([0-9.E+-]+)");

    /** Per instance: INSERT events handled so far, and the lag quantiles 0.5, 0.9, 0.99 of its recent window. */
    private Map<String, double[]> events(List<RoutingStack.Instance> instances) {
        Map<String, double[]> result = new LinkedHashMap<>();
        for (RoutingStack.Instance instance : instances) {
            double[] values = { 0, Double.NaN, Double.NaN, Double.NaN };
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(instance.url() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String line : body.split("\n")) {
                    Matcher events = EVENTS.matcher(line);
                    if (events.find()) {
                        values[0] += Double.parseDouble(events.group(1));
                    }
                    Matcher lag = LAG.matcher(line);
                    if (lag.find()) {
                        int slot = switch (lag.group(1)) {
                        case "0.5" -> 1;
                        case "0.9" -> 2;
                        case "0.99" -> 3;
                        default -> -1;
                        };
                        if (slot > 0) {
                            values[slot] = 1000 * Double.parseDouble(lag.group(2));
                        }
                    }
                }
            } catch (IOException e) {
                // reported as zero events
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            result.put(instance.name(), values);
        }
        return result;
    }

    private static void eventLine(List<RoutingStack.Instance> instances, Map<String, double[]> before,
            Map<String, double[]> after) {
        for (RoutingStack.Instance instance : instances) {
            double[] b = before.get(instance.name());
            double[] a = after.get(instance.name());
            System.out.printf(Locale.ROOT,
                    "  %s handled %.0f INSERT events in the phase; its stream lag (write to"
                            + " handling, last ~2 min): p50 %.0f  p90 %.0f  p99 %.0f ms%n",
                    instance.name(), a[0] - b[0], a[1], a[2], a[3]);
        }
    }

    private void summary() {
        System.out.println();
        System.out.println("== Summary ==");
        System.out.printf(Locale.ROOT,
                "  %d agents (%d available x capacity %d, the rest away); poll interval %s; targets p50 < %.0f ms,"
                        + " p99 < %.0f ms, 0 lost%n",
                options.agents(), options.available(), options.capacity(),
                options.pollInterval().map(d -> d.toMillis() + "ms").orElse("default (100ms)"), TARGET_P50_MS,
                TARGET_P99_MS);
        System.out.println("  | instances | msg/s | messages | p50 ms | p90 ms | p99 ms | max ms | lost | non-200"
                + " | assigned / update | p50 met | p99 met | other CPU | load avg (1 min) before / after |");
        for (Scenario s : scenarios) {
            System.out.printf(Locale.ROOT,
                    "  | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %d | %d | %d / %d | %s | %s | %.2f | %s / %s |%n",
                    s.instances(), s.rate(), s.messages(), s.p(50), s.p(90), s.p(99), s.max(), s.lost(),
                    s.nonAccepted(), s.firstFrames().getOrDefault("assigned", 0),
                    s.firstFrames().getOrDefault("update", 0), verdict(s.p(50) < TARGET_P50_MS),
                    verdict(s.p(99) < TARGET_P99_MS), s.cpu().other(), s.loadBefore().split(" ")[0],
                    s.loadAfter().split(" ")[0]);
        }
        System.out.println("  agent sockets that needed a reconnect before going available: " + reconnects);
        boolean allMet = scenarios.stream().allMatch(
                s -> s.p(50) < TARGET_P50_MS && s.p(99) < TARGET_P99_MS && s.lost() == 0 && s.nonAccepted() == 0);
        System.out.println("  all targets met: " + verdict(allMet));
    }

    /** Failed webhooks and lost frames in the measured phases: exit status 3 when any. */
    private int errors() {
        return scenarios.stream().mapToInt(s -> s.lost() + s.nonAccepted()).sum();
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static String failureLine(Map<String, Integer> failures) {
        return failures.isEmpty() ? "webhook failures 0" : "webhook failures " + new TreeMap<>(failures);
    }

    /** The 1, 5 and 15 minute load averages of the machine. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
