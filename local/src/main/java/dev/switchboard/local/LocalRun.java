package dev.switchboard.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The local run: DynamoDB Local and S3Mock with their data under one folder, the Twilio stand-in (with the dev phone)
 * in this JVM, then N switchboards and M agent consoles behind HAProxy (Redis between the switchboards when N > 1).
 * Each process is supervised ({@link Supervisor}): one that crashes is restarted with back-off while the rest keeps
 * running. Ctrl-C stops everything; a launcher killed any other way takes its children with it ({@link Watchdog}); the
 * data stays for the next run.
 */
public final class LocalRun {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** The first lease on fresh tables; later starts are quicker. */
    static final Duration LEASE_TIMEOUT = Duration.ofSeconds(120);
    static final int MAX_INSTANCES = 9;
    /**
     * A switchboard instance's JVM options unless SWITCHBOARD_INSTANCE_JVM_OPTIONS says otherwise. Locally several
     * instances share a few cores, and the drill restarts them under load: C1 alone compiles in a fraction of the CPU
     * that C2 takes after each start, which is what starved the others there (docs/benchmarks.md); the switchboard
     * waits on I/O, not on tight loops. The console keeps the JVM's defaults: sentiment scoring is compute.
     */
    static final String SWITCHBOARD_JVM = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private static final String BUILD = "./mvnw -B -q -pl local,switchboard,agent-console -am package -DskipTests";
    private static final String USAGE = "usage: ./scripts/run [--reset] [--instances N] [--consoles M]";

    private static volatile Supervisor supervisor;
    private static volatile Watchdog watchdog;
    private static final List<AutoCloseable> STAND_IN = new ArrayList<>();
    private static final List<String> APPS = new ArrayList<>();
    private static final List<String> PROXY = List.of("haproxy", "redis");
    private static final List<String> STORAGE = List.of("dynamodb", "s3");

    private LocalRun() {
    }

    /** What the command line asks for. */
    record Options(int instances, int consoles) {
        static Options parse(String[] args) {
            int instances = 1;
            Integer consoles = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                case "--instances" -> instances = count(args, ++i);
                case "--consoles" -> consoles = count(args, ++i);
                default -> throw new IllegalArgumentException(USAGE);
                }
            }
            return new Options(instances, consoles == null ? instances : consoles);
        }

        private static int count(String[] args, int i) {
            try {
                int n = Integer.parseInt(args[i]);
                if (n < 1 || n > MAX_INSTANCES) {
                    throw new IllegalArgumentException("between 1 and " + MAX_INSTANCES + " instances: " + args[i]);
                }
                return n;
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalArgumentException(USAGE);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        Path root = Path.of(System.getProperty("switchboard.root", "."));
        Path data = root.resolve(env("SWITCHBOARD_DATA_DIR", ".local-data")).toAbsolutePath().normalize();
        Path logs = data.resolve("logs");
        Path run = data.resolve("run");
        int dynamoPort = port("DYNAMODB_PORT", 8000);
        int s3Port = port("S3_PORT", 9090);
        int appPort = port("SWITCHBOARD_PORT", 8080);
        int consolePort = port("CONSOLE_PORT", 8081);
        int instanceBase = port("SWITCHBOARD_INSTANCE_PORT", 8090);
        int consoleBase = port("CONSOLE_INSTANCE_PORT", 8190);
        int redisPort = port("REDIS_PORT", 6379);
        Path app = root.resolve("switchboard/target/quarkus-app/quarkus-run.jar");
        Path console = root.resolve("agent-console/target/quarkus-app/quarkus-run.jar");
        for (Path jar : List.of(app, console)) {
            if (!Files.exists(jar)) {
                fail(jar + " is missing: build first (./scripts/run does: " + BUILD + ")");
            }
        }
        boolean proxied = Haproxy.installed() && !"off".equals(System.getenv("SWITCHBOARD_PROXY"));
        if (!proxied && (options.instances() > 1 || options.consoles() > 1)) {
            fail("more than one instance needs HAProxy in front: run ./scripts/install-prerequisites");
        }
        boolean redis = options.instances() > 1;
        // Without HAProxy (one of each), the applications listen on the public ports themselves, as before.
        List<Integer> appPorts = proxied ? range(instanceBase, options.instances()) : List.of(appPort);
        List<Integer> consolePorts = proxied ? range(consoleBase, options.consoles()) : List.of(consolePort);

        String appUrl = "http://localhost:" + appPort;
        String consoleUrl = "http://localhost:" + consolePort;
        TwilioStandIn.Config twilioConfig;
        try {
            twilioConfig = TwilioStandIn.Config.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (System.getenv("TWILIO_STANDIN_WEBHOOK_URL") == null) {
            // The dev phone texts this run's switchboard (through the proxy), whatever port it was given.
            twilioConfig = twilioConfig.withPhone(twilioConfig.phone().withWebhookUrl(appUrl + "/twilio/messages"));
        }

        // A launcher killed together with its watchdog (kill -9 of the whole group) leaves its children: stop them.
        int leftovers = Watchdog.stopLeftovers(run.resolve("children"));
        if (leftovers > 0) {
            say("Stopped " + leftovers + " process(es) an earlier run left running");
        }
        List<Integer> ports = new ArrayList<>(List.of(dynamoPort, s3Port, twilioConfig.port()));
        ports.addAll(appPorts);
        ports.addAll(consolePorts);
        if (proxied) {
            ports.addAll(List.of(appPort, consolePort));
        }
        if (redis) {
            ports.add(redisPort);
        }
        for (int port : ports) {
            requireFree(port);
        }

        TwilioStandIn.oneLineLogs();
        ChildJvm.startInOwnSessions();
        watchdog = Watchdog.start(run.resolve("children"));
        supervisor = new Supervisor(Supervisor.Policy.defaults(), watchdog, run.resolve("instances"), LocalRun::say);
        Runtime.getRuntime().addShutdownHook(new Thread(LocalRun::stopAll, "local-run-stop"));
        say("Starting the Twilio stand-in and dev phone on :" + twilioConfig.port());
        TwilioStandIn twilio = TwilioStandIn.start(twilioConfig);
        STAND_IN.add(twilio);
        String standInUrl = "http://localhost:" + twilio.port();

        say("Starting DynamoDB Local on :" + dynamoPort + " and S3Mock on :" + s3Port + " (data in " + data + ")");
        startStorage(dynamoPort, s3Port, data, logs);
        String dynamoEndpoint = "http://localhost:" + dynamoPort;
        String s3Endpoint = "http://localhost:" + s3Port;
        if (redis) {
            say("Starting Redis on :" + redisPort + " (delivery to agents across instances)");
            supervisor.start(new Supervisor.Spec("redis", redisPort, Optional.empty(), Optional.empty(),
                    () -> RedisServer.start(redisPort, logs)));
        }

        // One pair for the life of the data folder, so tokens stay valid across restarts.
        JwtKeys keys = JwtKeys.loadOrCreate(data.resolve("jwt"));
        Map<String, String> appEnv = new HashMap<>(keys.env());
        appEnv.putAll(Map.of("DYNAMODB_ENDPOINT", dynamoEndpoint, "S3_ENDPOINT", s3Endpoint));
        // The dev profile assumes the default ports; these follow the ones of this run. Set by hand, they win.
        putIfUnset(appEnv, "SWITCHBOARD_TWILIO_API_BASE_URL", twilio.url());
        putIfUnset(appEnv, "SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", appUrl);
        putIfUnset(appEnv, "SWITCHBOARD_SOCKET_ALLOWED_ORIGINS", appUrl + "," + consoleUrl);
        if (proxied) {
            // Webhooks are signed for the URL Twilio called: the proxy's, not the instance's.
            putIfUnset(appEnv, "SWITCHBOARD_TWILIO_PUBLIC_BASE_URL", appUrl);
            appEnv.putAll(behindProxy());
        }
        if (redis) {
            appEnv.put("SWITCHBOARD_DELIVERY_REDIS_URL", "redis://127.0.0.1:" + redisPort);
        }
        Map<String, String> consoleEnv = new HashMap<>();
        consoleEnv.put("CONSOLE_SWITCHBOARD_URL", appUrl);
        // Its scoring reads the messages stream and writes scores back: the same DynamoDB Local, on this run's port.
        consoleEnv.put("DYNAMODB_ENDPOINT", dynamoEndpoint);
        consoleEnv.put(JwtKeys.PUBLIC_KEY_ENV, keys.publicPem());
        if (proxied) {
            consoleEnv.putAll(behindProxy());
        }

        List<Readiness.Starting> starting = new ArrayList<>();
        List<String> instanceUrls = new ArrayList<>();
        List<Supervisor.Spec> switchboards = new ArrayList<>();
        boolean echo = appPorts.size() == 1;
        for (int i = 0; i < appPorts.size(); i++) {
            String name = HaproxyConfig.serverName("sb", i);
            int port = appPorts.get(i);
            Map<String, String> env = new HashMap<>(appEnv);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            String url = "http://localhost:" + port;
            instanceUrls.add(url);
            switchboards
                    .add(new Supervisor.Spec(name, port, Optional.of("switchboards/" + name).filter(s -> proxied),
                            Optional.of(url + "/q/health/ready"),
                            () -> owned(ChildJvm.start(name,
                                    instanceJvm("SWITCHBOARD_INSTANCE_JVM_OPTIONS", SWITCHBOARD_JVM, app), List.of(),
                                    env, logs, echo))));
            APPS.add(name);
        }
        say("Starting " + appPorts.size() + " switchboard(s) on " + appPorts + " and " + consolePorts.size()
                + " agent console(s) on " + consolePorts + " (logs in " + logs + ")");
        // The first switchboard creates the tables and the bucket (dev profile); the others start once it is ready,
        // so that no two race to create the same resource.
        long started = System.nanoTime();
        Supervisor.Component first = supervisor.start(switchboards.get(0));
        starting.add(
                new Readiness.Starting("switchboard sb1", instanceUrls.get(0) + "/q/health/ready", first.running()));
        for (int i = 0; i < consolePorts.size(); i++) {
            String name = HaproxyConfig.serverName("console", i);
            int port = consolePorts.get(i);
            Map<String, String> env = new HashMap<>(consoleEnv);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            String url = "http://localhost:" + port;
            Supervisor.Component c = supervisor.start(new Supervisor.Spec(name, port,
                    Optional.of("consoles/" + name).filter(s -> proxied), Optional.of(url + "/q/health/ready"),
                    () -> owned(ChildJvm.start(name, instanceJvm("CONSOLE_INSTANCE_JVM_OPTIONS", "", console),
                            List.of(), env, logs, false))));
            APPS.add(name);
            starting.add(new Readiness.Starting("agent console " + name, url + "/q/health/ready", c.running()));
        }
        if (proxied) {
            say("Starting HAProxy on :" + appPort + " (switchboards) and :" + consolePort + " (consoles)");
            Map<String, Integer> binds = new LinkedHashMap<>();
            binds.put("switchboard", appPort);
            binds.put("console", consolePort);
            Map<String, List<Integer>> servers = Map.of("switchboards", appPorts, "consoles", consolePorts);
            Path template = root.resolve(Haproxy.TEMPLATE);
            supervisor.start(new Supervisor.Spec("haproxy", appPort, Optional.empty(), Optional.empty(),
                    () -> Haproxy.start(template, run, logs, binds, servers)));
        }
        CompletableFuture<Long> leasedAt;
        long firstReady;
        try {
            Readiness.awaitReady(List.of(starting.get(0)), START_TIMEOUT);
            firstReady = System.nanoTime();
            // Watched from here, while the other instances start: how long the first lease takes is its own figure.
            leasedAt = CompletableFuture.supplyAsync(
                    () -> Readiness.awaitStreamLeased(instanceUrls, LEASE_TIMEOUT) ? System.nanoTime() : -1L);
            for (int i = 1; i < switchboards.size(); i++) {
                Supervisor.Component c = supervisor.start(switchboards.get(i));
                starting.add(new Readiness.Starting("switchboard " + c.name(), instanceUrls.get(i) + "/q/health/ready",
                        c.running()));
            }
            Readiness.awaitReady(starting, START_TIMEOUT);
        } catch (IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        supervisor.watch();
        say("Waiting for a switchboard to lease the messages stream (a text reaches an agent only then)");
        long leased = leasedAt.join();
        if (leased > 0) {
            say(String.format(
                    "The stream is leased and read, %.1f s after the first switchboard was ready (%.1f s after the"
                            + " applications started)",
                    (leased - firstReady) / 1e9, (leased - started) / 1e9));
        } else {
            System.err.println("warning: no switchboard leased the messages stream within " + LEASE_TIMEOUT.toSeconds()
                    + " s; texts wait until one does (see the switchboards' logs)");
        }

        String business = twilioConfig.phone().businessNumber();
        say("");
        say("Switchboard is up.");
        say("  Agent console      " + consoleUrl + "/console/   log in as demo / demo-password");
        say("  Dev phone          " + standInUrl + "/phone   text " + business + " as a customer");
        say("  Switchboard        " + appUrl + "   (webhook POST /twilio/messages, POST /auth/login, /conversations)");
        if (proxied) {
            say("  Behind HAProxy     switchboards " + appPorts + ", consoles " + consolePorts + "; runtime API "
                    + run.resolve("haproxy.sock") + " (./scripts/rolling-restart restarts them one by one)");
        }
        say("  Logins             agent demo / demo-password, admin admin / admin-password");
        say("  Twilio stand-in    " + standInUrl + "   what was sent: " + standInUrl + "/_standin/messages");
        say("  Twilio account     " + twilioConfig.accountSid() + " / auth token " + twilioConfig.authToken()
                + ", business number " + business);
        say("  Text from a shell  ./scripts/send-sms +15551234567 'Hello!'");
        say("  With a photo       ./scripts/send-sms +15551234567 'Look!' " + twilio.mediaUrl("sample.png"));
        say("  Data               " + data + " (./scripts/run --reset starts empty)");
        say("  Logs               " + logs);
        say("A crashed process is restarted (up to " + Supervisor.Policy.defaults().maxCrashes() + " crashes in "
                + Supervisor.Policy.defaults().window().toMinutes() + " min). Ctrl-C stops everything.");
        new CountDownLatch(1).await();
    }

    /**
     * The JVM arguments of a switchboard or console instance: the dev profile, then the options in the environment
     * variable {@code variable} (space-separated) or, when it is unset, {@code defaults}.
     */
    private static List<String> instanceJvm(String variable, String defaults, Path jar) {
        List<String> args = new ArrayList<>(List.of("-Dquarkus.profile=dev"));
        String options = Optional.ofNullable(System.getenv(variable)).orElse(defaults).trim();
        if (!options.isEmpty()) {
            args.addAll(List.of(options.split("\\s+")));
        }
        args.addAll(List.of("-jar", jar.toString()));
        return args;
    }

    private static void startStorage(int dynamoPort, int s3Port, Path data, Path logs) {
        CompletableFuture<?> s3 = CompletableFuture
                .runAsync(() -> supervisor.start(new Supervisor.Spec("s3", s3Port, Optional.empty(), Optional.empty(),
                        () -> owned(S3Server.start(s3Port, Optional.of(data.resolve("s3")), logs).process()))));
        CompletableFuture<?> dynamo = CompletableFuture.runAsync(() -> supervisor.start(new Supervisor.Spec("dynamodb",
                dynamoPort, Optional.empty(), Optional.empty(),
                () -> owned(DynamoDbLocal.start(dynamoPort, Optional.of(data.resolve("dynamodb")), logs).process()))));
        try {
            CompletableFuture.allOf(s3, dynamo).join();
        } catch (RuntimeException e) {
            fail("storage did not start: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        }
    }

    /** The instances trust X-Forwarded-* from the proxy on this host only. */
    static Map<String, String> behindProxy() {
        return Map.of("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true", "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED",
                "true", "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
    }

    private static List<Integer> range(int first, int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(first + i);
        }
        return ports;
    }

    private static ChildJvm owned(ChildJvm jvm) {
        jvm.removeExitHook();
        return jvm;
    }

    /** The exit hook: the applications, then the proxy, the stand-in, then the storage they use. */
    private static void stopAll() {
        Supervisor running = supervisor;
        if (running == null) {
            return;
        }
        say("Stopping the switchboard(s), the agent console(s), then the proxy and storage");
        running.stop(List.of(List.copyOf(APPS), PROXY));
        for (AutoCloseable standIn : STAND_IN) {
            try {
                standIn.close();
            } catch (Exception e) {
                System.err.println("could not stop the Twilio stand-in: " + e);
            }
        }
        running.stop(List.of(STORAGE));
        if (watchdog != null) {
            watchdog.finish();
        }
    }

    private static void putIfUnset(Map<String, String> env, String name, String value) {
        String given = System.getenv(name);
        if (given == null || given.isBlank()) {
            env.put(name, value);
        }
    }

    private static int port(String name, int fallback) {
        String value = env(name, Integer.toString(fallback));
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            fail(name + " is not a port number: " + value);
            return -1;
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            fail("port " + port + " is in use: stop what holds it, or choose another port (see README)");
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(1);
    }
}
