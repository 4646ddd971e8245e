package dev.switchboard.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local run: DynamoDB Local and S3Mock with their data under one folder, the Twilio stand-in (with the dev phone)
 * in this JVM, then the switchboard and the agent console on top of them. Ctrl-C stops everything; the data stays for
 * the next run.
 */
public final class LocalRun {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String BUILD = "./mvnw -B -q -pl local,switchboard,agent-console -am package -DskipTests";

    // What the exit hook stops, in this order: the applications, the stand-in, then the storage they use. Stopped all
    // at once, the switchboard would spend its shutdown logging that DynamoDB is gone.
    private static final List<ChildJvm> APPS = new CopyOnWriteArrayList<>();
    private static final List<AutoCloseable> STAND_IN = new CopyOnWriteArrayList<>();
    private static final List<ChildJvm> STORAGE = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("switchboard.root", "."));
        Path data = root.resolve(env("SWITCHBOARD_DATA_DIR", ".local-data")).toAbsolutePath().normalize();
        Path logs = data.resolve("logs");
        int dynamoPort = port("DYNAMODB_PORT", 8000);
        int s3Port = port("S3_PORT", 9090);
        int appPort = port("SWITCHBOARD_PORT", 8080);
        int consolePort = port("CONSOLE_PORT", 8081);
        Path app = root.resolve("switchboard/target/quarkus-app/quarkus-run.jar");
        Path console = root.resolve("agent-console/target/quarkus-app/quarkus-run.jar");
        for (Path jar : List.of(app, console)) {
            if (!Files.exists(jar)) {
                fail(jar + " is missing: build first (./scripts/run does: " + BUILD + ")");
            }
        }
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
            // The dev phone texts this run's switchboard, whatever port it was given.
            twilioConfig = twilioConfig.withPhone(twilioConfig.phone().withWebhookUrl(appUrl + "/twilio/messages"));
        }
        for (int port : List.of(dynamoPort, s3Port, appPort, consolePort, twilioConfig.port())) {
            requireFree(port);
        }

        TwilioStandIn.oneLineLogs();
        ChildJvm.startInOwnSessions();
        Runtime.getRuntime().addShutdownHook(new Thread(LocalRun::stopAll, "local-run-stop"));
        say("Starting the Twilio stand-in and dev phone on :" + twilioConfig.port());
        TwilioStandIn twilio = TwilioStandIn.start(twilioConfig);
        STAND_IN.add(twilio);
        String standInUrl = "http://localhost:" + twilio.port();

        say("Starting DynamoDB Local on :" + dynamoPort + " and S3Mock on :" + s3Port + " (data in " + data + ")");
        LocalAws aws = LocalAws.start(dynamoPort, s3Port, Optional.of(data), logs);
        owned(STORAGE, aws.dynamo().process());
        owned(STORAGE, aws.s3().process());

        // One pair for the life of the data folder, so tokens stay valid across restarts.
        JwtKeys keys = JwtKeys.loadOrCreate(data.resolve("jwt"));
        Map<String, String> appEnv = new HashMap<>(keys.env());
        appEnv.putAll(Map.of("DYNAMODB_ENDPOINT", aws.dynamo().endpoint(), "S3_ENDPOINT", aws.s3().endpoint(),
                "QUARKUS_HTTP_PORT", Integer.toString(appPort)));
        // The dev profile assumes the default ports; these follow the ones of this run. Set by hand, they win.
        putIfUnset(appEnv, "SWITCHBOARD_TWILIO_API_BASE_URL", twilio.url());
        putIfUnset(appEnv, "SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", appUrl);
        putIfUnset(appEnv, "SWITCHBOARD_SOCKET_ALLOWED_ORIGINS", appUrl + "," + consoleUrl);

        Map<String, String> consoleEnv = new HashMap<>();
        consoleEnv.put("QUARKUS_HTTP_PORT", Integer.toString(consolePort));
        consoleEnv.put("CONSOLE_SWITCHBOARD_URL", appUrl);
        consoleEnv.put(JwtKeys.PUBLIC_KEY_ENV, keys.publicPem());

        say("Starting the switchboard on :" + appPort + " and the agent console on :" + consolePort + " (console log: "
                + logs.resolve("console.log") + ")");
        ChildJvm switchboard = owned(APPS, ChildJvm.start("switchboard",
                List.of("-Dquarkus.profile=dev", "-jar", app.toString()), List.of(), appEnv, logs, true));
        ChildJvm agentConsole = owned(APPS, ChildJvm.start("console",
                List.of("-Dquarkus.profile=dev", "-jar", console.toString()), List.of(), consoleEnv, logs, false));
        awaitReady(List.of(new Starting("the switchboard", appUrl + "/q/health/ready", switchboard),
                new Starting("the agent console", consoleUrl + "/q/health/ready", agentConsole)));

        String business = twilioConfig.phone().businessNumber();
        say("");
        say("Switchboard is up.");
        say("  Agent console      " + consoleUrl + "/console/   log in as demo / demo-password");
        say("  Dev phone          " + standInUrl + "/phone   text " + business + " as a customer");
        say("  Switchboard        " + appUrl + "   (webhook POST /twilio/messages, POST /auth/login, /conversations)");
        say("  Logins             agent demo / demo-password, admin admin / admin-password");
        say("  Twilio stand-in    " + standInUrl + "   what was sent: " + standInUrl + "/_standin/messages");
        say("  Twilio account     " + twilioConfig.accountSid() + " / auth token " + twilioConfig.authToken()
                + ", business number " + business);
        say("  Text from a shell  ./scripts/send-sms +15551234567 'Hello!'");
        say("  With a photo       ./scripts/send-sms +15551234567 'Look!' " + twilio.mediaUrl("sample.png"));
        say("  Data               " + data + " (./scripts/run --reset starts empty)");
        say("  Logs               " + logs);
        say("Ctrl-C stops everything.");

        Map<String, ChildJvm> apps = new LinkedHashMap<>();
        apps.put("the switchboard", switchboard);
        apps.put("the agent console", agentConsole);
        System.exit(waitForFirstExit(apps, logs));
    }

    private static ChildJvm owned(List<ChildJvm> group, ChildJvm jvm) {
        group.add(jvm);
        jvm.removeExitHook();
        return jvm;
    }

    /** The exit hook: each group stopped in parallel within itself, the groups one after the other. */
    private static void stopAll() {
        STOPPING.set(true);
        say("Stopping the switchboard and the agent console");
        stopTogether(APPS);
        say("Stopping the Twilio stand-in, DynamoDB Local and S3Mock");
        for (AutoCloseable standIn : STAND_IN) {
            try {
                standIn.close();
            } catch (Exception e) {
                System.err.println("could not stop the Twilio stand-in: " + e);
            }
        }
        stopTogether(STORAGE);
    }

    private static void stopTogether(List<ChildJvm> jvms) {
        List<Thread> stopping = jvms.stream().map(jvm -> new Thread(jvm::stop, "stop-" + jvm.pid())).toList();
        stopping.forEach(Thread::start);
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits until one of the applications ends (each is no use without the other), and says which. */
    private static int waitForFirstExit(Map<String, ChildJvm> apps, Path logs) throws InterruptedException {
        while (true) {
            for (Map.Entry<String, ChildJvm> entry : apps.entrySet()) {
                ChildJvm jvm = entry.getValue();
                if (!jvm.isAlive() && !STOPPING.get()) {
                    int code = jvm.waitFor();
                    System.err.println("error: " + entry.getKey() + " exited with " + code + "; stopping the rest"
                            + (jvm.log().startsWith(logs) && Files.exists(jvm.log()) ? " (see " + jvm.log() + ")"
                                    : ""));
                    return code == 0 ? 1 : code;
                }
            }
            Thread.sleep(500);
        }
    }

    /** A started application and the URL that answers 200 once it is ready. */
    private record Starting(String what, String readyUrl, ChildJvm jvm) {
    }

    /** Waits for all of them at once, so that one that dies early is reported at once. */
    private static void awaitReady(List<Starting> apps) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Starting> waiting = new ArrayList<>(apps);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            for (Iterator<Starting> it = waiting.iterator(); it.hasNext();) {
                Starting app = it.next();
                if (!app.jvm().isAlive()) {
                    fail(app.what() + " exited during start-up" + logTail(app.jvm()));
                }
                try {
                    HttpResponse<Void> response = client.send(
                            HttpRequest.newBuilder(URI.create(app.readyUrl())).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        it.remove();
                    }
                } catch (IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(250);
        }
        for (Starting app : waiting) {
            fail(app.what() + " did not become ready at " + app.readyUrl() + " within " + START_TIMEOUT.toSeconds()
                    + " s" + logTail(app.jvm()));
        }
    }

    /** The end of a child's log file, or a pointer to its output above when it writes to the terminal. */
    private static String logTail(ChildJvm app) {
        Path log = app.log();
        try {
            if (Files.exists(log) && Files.size(log) > 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return "; last lines of " + log + ":\n  "
                        + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through to the general hint
        }
        return "; see its output above";
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
