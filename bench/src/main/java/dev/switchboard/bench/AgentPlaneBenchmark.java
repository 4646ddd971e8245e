package dev.switchboard.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The agent plane under numbers and under a flood, against one packaged switchboard it starts itself (see
 * bench/README.md):
 * <ol>
 * <li>{@code --agents} agents created through the admin API and signed in once each, {@code --setup-concurrency} at a
 * time;</li>
 * <li>one socket each, {@code --available} of them available: heap (after a full GC, through {@code jcmd}) and RSS per
 * socket;</li>
 * <li>{@code --sockets-per-agent} sockets each (5, the per-agent cap: 1,000 agents make the 5,000 sockets one instance
 * holds): heap and RSS per socket again;</li>
 * <li>back to one socket each, then one agent opening {@code --flood} sockets as fast as {@code --flood-concurrency}
 * threads can.</li>
 * </ol>
 * {@code /q/health/live} is timed every 50 ms throughout, from a process of its own ({@link LivenessProbe}), and
 * reported per phase against the "always under 1 s". Everything it starts, it stops.
 */
public final class AgentPlaneBenchmark {

    static final double TARGET_HEAP_KB = 50;
    static final int TARGET_SOCKETS = 5000;
    /** How long an agent's socket may take to be opened (its first presence frame) on a busy machine. */
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
    private static final AgentSocket.FrameSink IGNORE = (agent, type, text, at) -> {
    };

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Integer> options;
    private final List<String> targets = new ArrayList<>();
    private int failures;

    private AgentPlaneBenchmark(Map<String, Integer> options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("--agents", 1000);
        options.put("--available", 200);
        options.put("--sockets-per-agent", 5);
        options.put("--flood", 2000);
        options.put("--flood-concurrency", 32);
        options.put("--setup-concurrency", 8);
        try {
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException("every flag takes a value");
            }
            for (int i = 0; i < args.length; i += 2) {
                if (!options.containsKey(args[i])) {
                    throw new IllegalArgumentException("unknown flag " + args[i]);
                }
                int value = Integer.parseInt(args[i + 1]);
                if (value < (args[i].equals("--available") ? 0 : 1) || value > 100_000) {
                    throw new IllegalArgumentException(args[i] + " is out of range: " + value);
                }
                options.put(args[i], value);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: bench/run-agents "
                    + options.keySet().stream().map(k -> "[" + k + " N]").reduce((a, b) -> a + " " + b).orElse("")
                    + "; defaults " + options);
            System.exit(2);
            return;
        }
        int exit;
        try {
            AgentPlaneBenchmark benchmark = new AgentPlaneBenchmark(options);
            benchmark.run();
            exit = benchmark.failures == 0 ? 0 : InboundBenchmark.EXIT_ERRORS;
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        int agentCount = options.get("--agents");
        int availableCount = Math.min(agentCount, options.get("--available"));
        int perAgent = options.get("--sockets-per-agent");
        int flood = options.get("--flood");
        int floodConcurrency = options.get("--flood-concurrency");
        int setup = options.get("--setup-concurrency");
        Path root = Path.of(System.getProperty("switchboard.root", ".")).toAbsolutePath().normalize();
        // -Dswitchboard.app=<quarkus-run.jar> runs a copy, so that a rebuild cannot change the app under test.
        Path jar = Optional.ofNullable(System.getProperty("switchboard.app")).map(Path::of)
                .orElse(root.resolve("switchboard/target/quarkus-app/quarkus-run.jar"));
        Path logs = root.resolve("bench/target/agents-logs");
        Files.createDirectories(logs);
        System.out.printf(Locale.ROOT,
                "agent plane: %d agents (%d available) x %d sockets, then one agent opening %d sockets on %d threads;"
                        + " %d cores, load average %s%n",
                agentCount, availableCount, perAgent, flood, floodConcurrency,
                Runtime.getRuntime().availableProcessors(), load());
        try (RoutingStack stack = RoutingStack.start(jar, 1, Optional.empty(), logs, new CpuUsage())) {
            RoutingStack.Instance instance = stack.instances().get(0);
            URI base = instance.url();
            long pid = instance.jvm().pid();
            AdminApi api = new AdminApi(http, base);
            ServerMemory server = new ServerMemory(http, base, pid);
            String admin = api.login(RoutingStack.ADMIN, RoutingStack.ADMIN_PASSWORD);
            String run = Long.toString(System.nanoTime() % 1_000_000, 36);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < agentCount; i++) {
                names.add("bench-" + i + "-" + run);
            }
            try (LivenessProbe liveness = LivenessProbe.start(base)) {
                LivenessProbe.Phase creating = liveness.phase("the agents' creation");
                long began = System.nanoTime();
                Map<String, String> tokens = api.createAndSignIn(admin, names, setup);
                System.out.printf(Locale.ROOT,
                        "created %d agents through POST /admin/agents and signed each in once, %d at a time, in %.1f s%n",
                        agentCount, setup, seconds(began));
                liveness.pause();
                System.out.println("  " + creating.line());
                ServerMemory.Memory before = server.memory();
                System.out.println("before sockets: " + before);

                // One socket per agent; the first --available go available.
                LivenessProbe.Phase connecting = liveness.phase("the first socket of each agent");
                began = System.nanoTime();
                Map<String, List<AgentSocket>> sockets = new ConcurrentHashMap<>();
                AdminApi.parallel(setup, names,
                        name -> sockets.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()))
                                .add(AgentSocket.connect(http, base, name, tokens.get(name), IGNORE)
                                        .awaitOpened(OPEN_TIMEOUT)));
                AdminApi.parallel(setup, names.subList(0, availableCount),
                        name -> sockets.get(name).get(0).available(1, Duration.ofSeconds(30)));
                liveness.pause();
                System.out.printf(Locale.ROOT, "connected %d sockets (%d available) in %.1f s%n", agentCount,
                        availableCount, seconds(began));
                System.out.println("  " + connecting.line());
                ServerMemory.Memory one = server.memory();
                System.out.println(
                        "with one socket each: " + one + "; " + ServerMemory.perSocket(before, one, agentCount));

                int total = agentCount;
                if (perAgent > 1) {
                    LivenessProbe.Phase growing = liveness.phase("the growth to " + perAgent + " sockets each");
                    began = System.nanoTime();
                    List<String> more = new ArrayList<>();
                    for (int k = 1; k < perAgent; k++) {
                        more.addAll(names);
                    }
                    AdminApi.parallel(setup, more, name -> sockets.get(name).add(
                            AgentSocket.connect(http, base, name, tokens.get(name), IGNORE).awaitOpened(OPEN_TIMEOUT)));
                    liveness.pause();
                    total = agentCount * perAgent;
                    long open = sockets.values().stream().flatMap(List::stream).filter(s -> s.closedWith() == null)
                            .count();
                    System.out.printf(Locale.ROOT, "opened %d more sockets in %.1f s: %d open (of %d)%n", more.size(),
                            seconds(began), open, total);
                    System.out.println("  " + growing.line());
                    ServerMemory.Memory all = server.memory();
                    double heapKb = (all.heapBytes() - before.heapBytes()) / 1024.0 / open;
                    System.out.println(
                            "with " + open + " sockets: " + all + "; " + ServerMemory.perSocket(before, all, open));
                    target(String.format(Locale.ROOT,
                            "%d sockets on one instance at <= %.0f KB heap each: %d at %.1f KB", TARGET_SOCKETS,
                            TARGET_HEAP_KB, open, heapKb), open >= TARGET_SOCKETS && heapKb <= TARGET_HEAP_KB);
                    // Back to one socket each: the flood is one agent's, among the others' single sockets.
                    for (List<AgentSocket> own : sockets.values()) {
                        own.subList(1, own.size()).forEach(AgentSocket::close);
                    }
                    // The close frames are out; the switchboard counts the sockets gone a moment later, and the flood
                    // must not start against a full instance.
                    Thread.sleep(2000);
                }

                // The flood: one agent, many sockets, while liveness is timed.
                String flooder = names.get(names.size() - 1);
                Map<String, Integer> outcomes = new ConcurrentHashMap<>();
                List<AgentSocket> floodSockets = Collections.synchronizedList(new ArrayList<>());
                Map<String, Double> gcBefore = server.gc();
                long clientGcBefore = clientGcMillis();
                LivenessProbe.Phase flooding = liveness.phase("the flood");
                began = System.nanoTime();
                ExecutorService floodPool = Executors.newFixedThreadPool(floodConcurrency);
                List<Future<?>> attempts = new ArrayList<>();
                for (int i = 0; i < flood; i++) {
                    attempts.add(floodPool.submit(() -> {
                        try {
                            floodSockets
                                    .add(AgentSocket.connect(http, base, flooder, tokens.get(flooder), IGNORE, true));
                            outcomes.merge("answered 101", 1, Integer::sum);
                        } catch (RuntimeException e) {
                            Throwable cause = e.getCause() == null ? e : e.getCause();
                            outcomes.merge(cause instanceof WebSocketHandshakeException refused
                                    ? "refused " + refused.getResponse().statusCode()
                                    : "failed: " + shorten(String.valueOf(cause)), 1, Integer::sum);
                        }
                    }));
                }
                for (Future<?> f : attempts) {
                    f.get();
                }
                double floodSeconds = seconds(began);
                floodPool.shutdownNow();
                liveness.pause();
                Map<String, Double> gcAfter = server.gc();
                Map<String, Integer> fates = new TreeMap<>();
                floodSockets.forEach(s -> fates.merge(s.closedWith() == null ? "open" : "closed " + s.closedWith(), 1,
                        Integer::sum));
                System.out.printf(Locale.ROOT, "flood: %d handshakes in %.1f s: %s; their sockets now: %s%n", flood,
                        floodSeconds, new TreeMap<>(outcomes), fates);
                System.out.println("  " + flooding.line());
                System.out.printf(Locale.ROOT,
                        "  switchboard GC during the flood: %.0f pauses, %.0f ms in all; the load generator's own GC"
                                + " %d ms%n",
                        gcAfter.get("count") - gcBefore.get("count"), 1000 * (gcAfter.get("sum") - gcBefore.get("sum")),
                        clientGcMillis() - clientGcBefore);
                long othersOpen = names.stream().filter(name -> !name.equals(flooder))
                        .filter(name -> sockets.get(name).get(0).closedWith() == null).count();
                System.out.println("after the flood: " + server.memory() + "; the other " + (agentCount - 1)
                        + " agents' sockets still open: " + othersOpen);
                target(String.format(Locale.ROOT,
                        "liveness always under 1 s during the flood: max %.1f ms, %d over 1 s",
                        flooding.latency().getMaxValue() / 1e3, flooding.slow()[0]),
                        flooding.slow()[0] == 0 && flooding.latency().getTotalCount() > 0);
                if (flooding.failed()[0] > 0 || othersOpen < agentCount - 1) {
                    failures++;
                }
                floodSockets.forEach(AgentSocket::close);
                sockets.values().forEach(list -> list.forEach(AgentSocket::close));
            }
        }
        System.out.println();
        System.out.println("== Targets ==");
        targets.forEach(line -> System.out.println("  " + line));
    }

    private void target(String what, boolean met) {
        targets.add((met ? "MET     " : "MISSED  ") + what);
    }

    private static long clientGcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) : text;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }
}
