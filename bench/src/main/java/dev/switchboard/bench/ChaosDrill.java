package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.local.TwilioSignature;

/**
 * The operations drill (bench/run-chaos): {@code ./scripts/run --instances 3} on ports of its own, 4 agents connected
 * through HAProxy, signed webhooks at a fixed rate to the proxy, one reply per conversation; one switchboard killed
 * with SIGKILL (the launcher restarts it), by default the one reading the stream, and later
 * {@code scripts/rolling-restart switchboards}. Reports what a user would notice: non-200 answers, messages stored
 * once, delivered to one agent, replies sent once, reconnect times and write-to-agent lag before, during and after; and
 * how long the stream went unread: the lease take-over after the kill and every gap (see {@link LeaseWatch}).
 */
public final class ChaosDrill {

    // The bench's runtime classpath has no JSON library; the frames' few fields are read with patterns.
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern CONVERSATION = Pattern.compile("\"conversation\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CUSTOMER = Pattern.compile("\"customer\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CHAOS_BODY = Pattern.compile("\"body\"\\s*:\\s*\"(chaos [0-9]+)\"");
    private static final Pattern TOKEN_FIELD = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "local-dev-token";
    private static final String ACCOUNT = "AC00000000000000000000000000000000";
    private static final String BUSINESS = "+15550000000";

    private static int rate = 50;
    private static int seconds = 60;
    private static int killAt = 15;
    private static int rollAt = 30;
    private static int instances = 3;
    private static int agents = 4;
    private static int customers = 80;
    private static int base = 28000;
    /** Which switchboard the kill hits: {@code holder} (the one reading the stream then) or a name, {@code sb2}. */
    private static String kill = "holder";
    /**
     * Where the drill's fresh data folder (DynamoDB Local's SQLite files) goes: memory-backed {@code /dev/shm} when the
     * machine has it, since on this machine's disk every commit's sync made DynamoDB Local the bottleneck of the whole
     * drill (docs/benchmarks.md); production has DynamoDB, not a local file. {@code --data-dir} chooses another.
     */
    private static Path dataParent = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
            ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));

    private static String proxy;
    /** Body → when its webhook was sent (ms since the start). */
    private static final Map<String, Long> SENT_AT = new ConcurrentHashMap<>();
    /** Body → the agents who were shown it, and when first. */
    private static final Map<String, Set<String>> SEEN_BY = new ConcurrentHashMap<>();
    private static final Map<String, Long> FIRST_SEEN = new ConcurrentHashMap<>();
    private static final Map<Integer, AtomicInteger> STATUSES = new ConcurrentHashMap<>();
    private static final List<Long> RECONNECT_MS = new CopyOnWriteArrayList<>();
    private static final Set<String> REPLIED = ConcurrentHashMap.newKeySet();
    /**
     * The console's scores that reached an agent ({@code sentiment} frames): the console's own stream reading works.
     */
    private static final AtomicInteger SCORES = new AtomicInteger();
    /** Replies sent again after a reconnect because no frame had shown them stored. */
    private static final AtomicInteger RESENT = new AtomicInteger();
    /**
     * What must never happen whatever the load: a message stored twice, shown to two agents, a reply sent twice. Any of
     * them ends the drill with exit status 3 (bench/README.md); non-200s and lag depend on the machine.
     */
    private static boolean broken;
    private static long start;

    private ChaosDrill() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--kill")) {
                kill = args[i + 1];
                continue;
            }
            if (args[i].equals("--data-dir")) {
                dataParent = Path.of(args[i + 1]);
                continue;
            }
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
            case "--rate" -> rate = v;
            case "--seconds" -> seconds = v;
            case "--kill-at" -> killAt = v;
            case "--roll-at" -> rollAt = v;
            case "--instances" -> instances = v;
            case "--agents" -> agents = v;
            case "--customers" -> customers = v;
            case "--base-port" -> base = v;
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dataParent);
        Path data = Files.createTempDirectory(dataParent, "chaos-drill");
        System.out.println("data and logs in " + data);
        Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_DATA_DIR", data.toString(), "DYNAMODB_PORT",
                Integer.toString(base), "S3_PORT", Integer.toString(base + 1), "SWITCHBOARD_PORT",
                Integer.toString(base + 80), "CONSOLE_PORT", Integer.toString(base + 81), "TWILIO_STANDIN_PORT",
                Integer.toString(base + 82), "SWITCHBOARD_INSTANCE_PORT", Integer.toString(base + 90),
                "CONSOLE_INSTANCE_PORT", Integer.toString(base + 190), "REDIS_PORT", Integer.toString(base + 79)));
        proxy = "http://localhost:" + (base + 80);
        String standIn = "http://localhost:" + (base + 82);
        ProcessBuilder launcher = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                "local/target/classes", "dev.switchboard.local.LocalRun", "--instances", Integer.toString(instances),
                "--consoles", "1").redirectErrorStream(true);
        launcher.environment().putAll(env);
        Process run = launcher.start();
        List<String> launcherLines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> up = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("20") && !line.startsWith("\t") && !line.contains(" INFO ")) {
                        launcherLines.add(line);
                    }
                    if (line.startsWith("Switchboard is up.")) {
                        up.complete(null);
                    }
                }
            } catch (Exception e) {
                up.completeExceptionally(e);
            }
            up.completeExceptionally(new IllegalStateException("the launcher ended: " + launcherLines));
        });
        reader.setDaemon(true);
        reader.start();
        try {
            long launched = System.nanoTime();
            up.get(300, TimeUnit.SECONDS);
            System.out.printf("system up %.1f s after launch (%d switchboards)%n", (System.nanoTime() - launched) / 1e9,
                    instances);
            drill(data.resolve("run"), env, standIn);
        } finally {
            run.destroy();
            run.waitFor(30, TimeUnit.SECONDS);
            run.destroyForcibly();
            System.out.println("launcher said:");
            launcherLines.stream().filter(
                    l -> l.contains("exited") || l.contains("again") || l.contains("request") || l.contains("leased"))
                    .forEach(l -> System.out.println("  " + l));
        }
        if (broken) {
            System.out.println("FAILED: a message stored twice, shown to two agents, or a reply sent twice (above)");
            System.exit(3);
        }
    }

    private static void drill(Path run, Map<String, String> env, String standIn) throws Exception {
        String admin = login("admin", "admin-password");
        List<Agent> connected = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String name = "chaos-" + i + "-" + Long.toString(System.nanoTime() % 100_000, 36);
            post("/admin/agents", admin, "{\"agent\":\"" + name + "\",\"password\":\"" + name
                    + "-password\",\"displayName\":\"Chaos " + i + "\",\"roles\":[\"agent\"]}");
            Agent agent = new Agent(name);
            agent.connect();
            connected.add(agent);
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            numbers.add("+1555" + (2_000_000 + i * 7919 + ThreadLocalRandom.current().nextInt(7000)));
        }
        start = System.currentTimeMillis();
        List<String> instanceUrls = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            instanceUrls.add("http://localhost:" + (base + 90 + i));
        }
        LeaseWatch leases = new LeaseWatch(instanceUrls, () -> System.currentTimeMillis() - start);
        long killedAt = -1;
        int killedIndex = -1;
        List<CompletableFuture<?>> answers = new ArrayList<>();
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long t0 = System.nanoTime();
        boolean killed = false;
        CompletableFuture<Integer> rolling = null;
        for (long n = 0; n < total; n++) {
            long due = t0 + n * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            double at = (System.nanoTime() - t0) / 1e9;
            if (!killed && at >= killAt) {
                killed = true;
                killedIndex = kill.equals("holder") ? leases.holder().orElse(1)
                        : Integer.parseInt(kill.substring(2)) - 1;
                String name = "sb" + (killedIndex + 1);
                long pid = pidOf(run, name);
                System.out.printf("%5.1f s  kill -9 %s (pid %d)%s%n", at, name, pid, leases.holder()
                        .map(h -> ", sb" + (h + 1) + " reads the stream").orElse(", nobody reads the stream"));
                killedAt = System.currentTimeMillis() - start;
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (rolling == null && at >= rollAt) {
                System.out.printf("%5.1f s  scripts/rolling-restart switchboards%n", at);
                rolling = rollingRestart(env);
            }
            String customer = numbers.get((int) (n % numbers.size()));
            String body = "chaos " + n;
            SENT_AT.put(body, System.currentTimeMillis() - start);
            answers.add(webhook(customer, body).thenAccept(
                    status -> STATUSES.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.out.printf("%5.1f s  load done: %s%n", (System.nanoTime() - t0) / 1e9, STATUSES);
        if (rolling != null) {
            System.out.println("rolling restart exit " + rolling.get(600, TimeUnit.SECONDS));
        }
        // Settle: everything acked must reach an agent.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && FIRST_SEEN.size() < SENT_AT.size()) {
            Thread.sleep(500);
        }
        report(admin, numbers, standIn, connected);
        leaseReport(leases, killedAt, killedIndex);
        leases.close();
        connected.forEach(Agent::close);
    }

    private static void report(String admin, List<String> numbers, String standIn, List<Agent> agentsList)
            throws Exception {
        int stored = 0;
        int storedTwice = 0;
        for (String customer : numbers) {
            String page = get("/conversations/" + customer + "/messages?limit=100", admin);
            Map<String, Integer> counts = new HashMap<>();
            Matcher m = CHAOS_BODY.matcher(page);
            while (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (e.getKey().startsWith("chaos ")) {
                    stored++;
                    if (e.getValue() > 1) {
                        storedTwice++;
                    }
                }
            }
        }
        long once = SEEN_BY.values().stream().filter(s -> s.size() == 1).count();
        long twice = SEEN_BY.values().stream().filter(s -> s.size() > 1).count();
        String sent = HTTP.send(HttpRequest.newBuilder(URI.create(standIn + "/_standin/messages")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Integer> replies = new HashMap<>();
        Matcher to = TO.matcher(sent);
        while (to.find()) {
            replies.merge(to.group(1), 1, Integer::sum);
        }
        long repliedOnce = replies.values().stream().filter(v -> v == 1).count();
        long repliedMore = replies.values().stream().filter(v -> v > 1).count();
        broken = storedTwice > 0 || twice > 0 || repliedMore > 0;
        int ok = STATUSES.getOrDefault(200, new AtomicInteger()).get();
        System.out.println();
        System.out.printf("webhooks sent %d, answered 200 %d, non-200 %d %s%n", SENT_AT.size(), ok, SENT_AT.size() - ok,
                STATUSES);
        System.out.printf("acked messages stored %d of %d, stored twice %d%n", stored, ok, storedTwice);
        System.out.printf("messages shown to exactly one agent %d, to two or more %d, to none %d%n", once, twice,
                SENT_AT.size() - SEEN_BY.size());
        System.out.printf("replies asked %d; sent by the stand-in once %d, more than once %d (sent again after a"
                + " reconnect, same clientId: %d)%n", REPLIED.size(), repliedOnce, repliedMore, RESENT.get());
        System.out.printf("console scores shown to agents (sentiment frames) %d%n", SCORES.get());
        List<Long> reconnects = new ArrayList<>(RECONNECT_MS);
        Collections.sort(reconnects);
        System.out.printf("agent reconnects %d, p50 %s ms, max %s ms%n", reconnects.size(), pct(reconnects, 50),
                reconnects.isEmpty() ? "-" : reconnects.get(reconnects.size() - 1));
        phase("before (0-" + killAt + " s)", 0, killAt * 1000L);
        phase("during (" + killAt + "-" + (rollAt + 20) + " s)", killAt * 1000L, (rollAt + 20) * 1000L);
        phase("after (" + (rollAt + 20) + "-" + seconds + " s)", (rollAt + 20) * 1000L, seconds * 1000L);
        agentsList.forEach(a -> System.out.printf("  %s: %d reconnect(s)%n", a.name, a.reconnects.get()));
    }

    /** Stream lease take-over after the kill, and every stretch in which no instance read the stream. */
    private static void leaseReport(LeaseWatch leases, long killedAt, int killedIndex) {
        long end = System.currentTimeMillis() - start;
        if (killedAt >= 0) {
            String killedName = "sb" + (killedIndex + 1);
            System.out.println(leases.firstLeasedFrom(killedAt, killedIndex)
                    .map(r -> String.format("stream lease take-over after kill -9 of %s: %d ms (sb%d reads the stream)",
                            killedName, r.sentAt() - killedAt, r.holder() + 1))
                    .orElse("stream lease take-over after kill -9 of " + killedName + ": none within the drill"));
        }
        List<LeaseWatch.Gap> gaps = leases.gaps(0, end);
        long longest = gaps.stream().mapToLong(LeaseWatch.Gap::millis).max().orElse(0);
        System.out.printf("stream unread %d time(s), longest %d ms (watched every %d ms):%n", gaps.size(), longest,
                LeaseWatch.PERIOD.toMillis());
        gaps.forEach(g -> System.out.printf("  from %5.1f s for %5d ms, then %s%n", g.from() / 1e3, g.millis(),
                g.taker() < 0 ? "nobody" : "sb" + (g.taker() + 1)));
    }

    private static void phase(String name, long from, long to) {
        List<Long> lags = new ArrayList<>();
        SENT_AT.forEach((body, sentAt) -> {
            Long seen = FIRST_SEEN.get(body);
            if (seen != null && sentAt >= from && sentAt < to) {
                lags.add(seen - sentAt);
            }
        });
        Collections.sort(lags);
        System.out.printf("write-to-agent lag %-18s n=%d p50 %s ms p99 %s ms%n", name, lags.size(), pct(lags, 50),
                pct(lags, 99));
    }

    private static String pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return Long.toString(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    private static long pidOf(Path run, String name) throws Exception {
        for (String line : Files.readAllLines(run.resolve("instances"))) {
            String[] f = line.split("\t");
            if (f[0].equals(name)) {
                return Long.parseLong(f[2]);
            }
        }
        throw new IllegalStateException("no " + name);
    }

    private static CompletableFuture<Integer> rollingRestart(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                "local/target/classes", "dev.switchboard.local.RollingRestart", "switchboards").inheritIO();
        builder.environment().putAll(env);
        Process process = builder.start();
        return process.onExit().thenApply(Process::exitValue);
    }

    private static CompletableFuture<Integer> webhook(String customer, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        params.put("AccountSid", ACCOUNT);
        params.put("From", customer);
        params.put("To", BUSINESS);
        params.put("Body", body);
        params.put("NumMedia", "0");
        params.put("NumSegments", "1");
        params.put("ApiVersion", "2010-04-01");
        String url = proxy + "/twilio/messages";
        return HTTP
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                                .header("X-Twilio-Signature", TwilioSignature.sign(TOKEN, url, params))
                                .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode).exceptionally(e -> -1);
    }

    private static String login(String agent, String password) throws Exception {
        Matcher m = TOKEN_FIELD
                .matcher(post("/auth/login", null, "{\"agent\":\"" + agent + "\",\"password\":\"" + password + "\"}"));
        if (!m.find()) {
            throw new IllegalStateException("no token for " + agent);
        }
        return m.group(1);
    }

    private static String post(String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String get(String path, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(proxy + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** An agent's reply: its command and the body a frame shows once the switchboard stored it. */
    private record Reply(String conversation, String body, String command) {
        static Reply to(String conversation, String customer) {
            String body = "\"reply to " + customer + "\"";
            return new Reply(conversation, body,
                    "{\"type\":\"response\",\"conversation\":\"" + conversation + "\",\"body\":" + body
                            + ",\"clientId\":\"chaos-" + Integer.toHexString(conversation.hashCode()) + "\"}");
        }
    }

    /** An agent's browser, reconnecting through the proxy whenever its socket closes. */
    private static final class Agent implements WebSocket.Listener {
        final String name;
        final AtomicInteger reconnects = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        /**
         * This agent's replies not yet seen back in a frame (conversation → the command), sent again after a reconnect
         * with the same clientId, as a console must: a reply in flight when its socket closed (an instance stopping)
         * may never have reached the switchboard, and the clientId makes a second arrival harmless.
         */
        private final Map<String, Reply> unconfirmed = new ConcurrentHashMap<>();
        private volatile WebSocket socket;
        private volatile boolean closing;
        private volatile long closedAt;

        Agent(String name) {
            this.name = name;
        }

        void connect() {
            while (!closing) {
                try {
                    String token = login(name, name + "-password");
                    socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                            .buildAsync(
                                    URI.create(proxy.replaceFirst("^http", "ws") + "/agents/ws?access_token=" + token),
                                    this)
                            .get(10, TimeUnit.SECONDS);
                    socket.sendText("{\"type\":\"available\",\"capacity\":20}", true);
                    for (Reply reply : unconfirmed.values()) {
                        socket.sendText(reply.command(), true);
                        RESENT.incrementAndGet();
                    }
                    if (closedAt > 0) {
                        RECONNECT_MS.add(System.currentTimeMillis() - closedAt);
                        reconnects.incrementAndGet();
                    }
                    return;
                } catch (Exception e) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                frame(text);
            }
            webSocket.request(1);
            return null;
        }

        private void frame(String frame) {
            Matcher type = TYPE.matcher(frame);
            if (!type.find()) {
                return;
            }
            long now = System.currentTimeMillis() - start;
            if (type.group(1).equals("sentiment")) {
                SCORES.incrementAndGet();
            }
            if (type.group(1).equals("assigned") || type.group(1).equals("update")) {
                Matcher body = CHAOS_BODY.matcher(frame);
                while (body.find()) {
                    seen(body.group(1), now);
                }
            }
            Matcher conversation = CONVERSATION.matcher(frame);
            Matcher customer = CUSTOMER.matcher(frame);
            unconfirmed.values()
                    .removeIf(reply -> frame.contains(reply.conversation()) && frame.contains(reply.body()));
            if (type.group(1).equals("assigned") && conversation.find() && customer.find()
                    && REPLIED.add(conversation.group(1))) {
                Reply reply = Reply.to(conversation.group(1), customer.group(1));
                unconfirmed.put(reply.conversation(), reply);
                socket.sendText(reply.command(), true);
            }
        }

        private void seen(String body, long now) {
            if (body.startsWith("chaos ")) {
                SEEN_BY.computeIfAbsent(body, b -> ConcurrentHashMap.newKeySet()).add(name);
                FIRST_SEEN.putIfAbsent(body, now);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedAt = System.currentTimeMillis();
            if (!closing) {
                Thread reconnect = new Thread(this::connect, "reconnect-" + name);
                reconnect.setDaemon(true);
                reconnect.start();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            onClose(webSocket, 1006, String.valueOf(error));
        }

        void close() {
            closing = true;
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }
    }
}
