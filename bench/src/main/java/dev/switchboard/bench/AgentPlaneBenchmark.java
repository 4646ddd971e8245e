package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The agent plane under numbers and under a flood, against one packaged switchboard it starts itself (see
 * bench/README.md): {@code --agents} agents created through the admin API, one socket each, {@code --available} of them
 * available; the switchboard's heap (after a full GC, through {@code jcmd}) and RSS per socket; then one agent opening
 * {@code --flood} sockets as fast as {@code --flood-concurrency} threads can, while {@code /q/health/live} is timed
 * every 50 ms. Reports what became of the flood's sockets (kept, replaced by the per-agent cap, refused 503).
 */
public final class AgentPlaneBenchmark {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern HEAP = Pattern
            .compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new java.util.HashMap<>(
                Map.of("--agents", 1000, "--available", 200, "--flood", 2000, "--flood-concurrency", 32));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        new AgentPlaneBenchmark().run(options.get("--agents"), options.get("--available"), options.get("--flood"),
                options.get("--flood-concurrency"));
    }

    private void run(int agentCount, int availableCount, int flood, int floodConcurrency) throws Exception {
        Path root = Path.of(System.getProperty("switchboard.root", ".")).toAbsolutePath().normalize();
        // -Dswitchboard.app=<quarkus-run.jar> runs a copy, so that a rebuild cannot change the app under test.
        Path jar = Optional.ofNullable(System.getProperty("switchboard.app")).map(Path::of)
                .orElse(root.resolve("switchboard/target/quarkus-app/quarkus-run.jar"));
        Path logs = root.resolve("bench/target/agents-logs");
        Files.createDirectories(logs);
        CpuUsage cpu = new CpuUsage();
        System.out.printf(Locale.ROOT,
                "agent plane: %d agents (%d available), then one agent opening %d sockets"
                        + " on %d threads; machine load %s%n",
                agentCount, availableCount, flood, floodConcurrency, load());
        try (RoutingStack stack = RoutingStack.start(jar, 1, Optional.empty(), logs, cpu)) {
            RoutingStack.Instance instance = stack.instances().get(0);
            URI base = instance.url();
            long pid = instance.jvm().pid();
            String admin = login(base, RoutingStack.ADMIN, RoutingStack.ADMIN_PASSWORD);
            long began = System.nanoTime();
            List<String> names = new ArrayList<>();
            Map<String, String> tokens = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < agentCount; i++) {
                String name = "bench-" + i + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
                names.add(name);
                work.add(pool.submit(() -> {
                    createAgent(base, admin, name);
                    tokens.put(name, login(base, name, name + "-password"));
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            System.out.printf(Locale.ROOT, "created and signed in %d agents in %.1f s%n", agentCount,
                    (System.nanoTime() - began) / 1e9);
            Memory before = memory(base, pid);
            System.out.println("before sockets: " + before);
            List<AgentSocket> sockets = new ArrayList<>();
            AgentSocket.FrameSink ignore = (agent, type, text, at) -> {
            };
            began = System.nanoTime();
            for (String name : names) {
                sockets.add(AgentSocket.connect(http, base, name, tokens.get(name), ignore));
            }
            for (int i = 0; i < availableCount && i < sockets.size(); i++) {
                sockets.get(i).available(1, Duration.ofSeconds(30));
            }
            System.out.printf(Locale.ROOT, "connected %d sockets (%d available) in %.1f s%n", sockets.size(),
                    Math.min(availableCount, sockets.size()), (System.nanoTime() - began) / 1e9);
            Memory with = memory(base, pid);
            System.out.println("with sockets:   " + with);
            System.out.printf(Locale.ROOT, "per socket: heap %.1f KB, RSS %.1f KB%n",
                    (with.heapBytes() - before.heapBytes()) / 1024.0 / sockets.size(),
                    (with.rssBytes() - before.rssBytes()) / 1024.0 / sockets.size());

            // The flood: one agent, many sockets, while liveness is timed.
            String flooder = names.get(names.size() - 1);
            Histogram liveness = new ConcurrentHistogram(3);
            AtomicBoolean flooding = new AtomicBoolean(true);
            Thread prober = new Thread(() -> probe(base, liveness, flooding), "liveness");
            prober.start();
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            List<AgentSocket> floodSockets = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService floodPool = Executors.newFixedThreadPool(floodConcurrency);
            began = System.nanoTime();
            List<Future<?>> attempts = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                attempts.add(floodPool.submit(() -> {
                    try {
                        floodSockets.add(AgentSocket.connect(http, base, flooder, tokens.get(flooder), ignore));
                        outcomes.merge("opened", 1, Integer::sum);
                    } catch (RuntimeException e) {
                        String cause = String.valueOf(e.getCause() == null ? e : e.getCause());
                        outcomes.merge(cause.contains("503") ? "refused 503" : "failed: " + shorten(cause), 1,
                                Integer::sum);
                    }
                }));
            }
            for (Future<?> f : attempts) {
                f.get();
            }
            double floodSeconds = (System.nanoTime() - began) / 1e9;
            flooding.set(false);
            prober.join();
            long stillOpen = sockets.stream().filter(s -> s.counts().containsKey("presence")).count();
            System.out.printf(Locale.ROOT, "flood: %d handshakes in %.1f s: %s%n", flood, floodSeconds, outcomes);
            System.out.printf(Locale.ROOT,
                    "liveness during the flood: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    liveness.getTotalCount(), liveness.getValueAtPercentile(50) / 1e3,
                    liveness.getValueAtPercentile(99) / 1e3, liveness.getMaxValue() / 1e3);
            System.out.println("after the flood: " + memory(base, pid) + "; the " + sockets.size()
                    + " agents' sockets saw presence: " + stillOpen);
            floodSockets.forEach(AgentSocket::close);
            sockets.forEach(AgentSocket::close);
            pool.shutdownNow();
            floodPool.shutdownNow();
            floodPool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    record Memory(long heapBytes, long rssBytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap %.1f MB (after GC), RSS %.1f MB", heapBytes / 1048576.0,
                    rssBytes / 1048576.0);
        }
    }

    private Memory memory(URI base, long pid) throws Exception {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher heap = HEAP.matcher(metrics);
        double used = 0;
        while (heap.find()) {
            used += Double.parseDouble(heap.group(1));
        }
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new Memory((long) used, rss);
    }

    private void probe(URI base, Histogram liveness, AtomicBoolean running) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/q/health/live"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpClient own = HttpClient.newHttpClient();
        while (running.get()) {
            long start = System.nanoTime();
            try {
                own.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                System.err.println("liveness probe failed: " + e);
            }
            liveness.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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

    private String login(URI base, String agent, String password) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/auth/login")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers
                                .ofString("{\"agent\":\"" + agent + "\",\"password\":\"" + password + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException(
                    "login of " + agent + " answered " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    private void createAgent(URI base, String adminToken, String name) throws Exception {
        String body = "{\"agent\":\"" + name + "\",\"password\":\"" + name + "-password\",\"displayName\":\"" + name
                + "\",\"roles\":[\"agent\"]}";
        HttpResponse<String> response = http
                .send(HttpRequest.newBuilder(URI.create(base + "/admin/agents")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "creating " + name + " answered " + response.statusCode() + " " + response.body());
        }
    }
}
