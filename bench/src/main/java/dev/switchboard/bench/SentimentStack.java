package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.JwtKeys;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.TwilioStandIn;

/**
 * The stack of the stream phases of the sentiment benchmark, as {@code ./scripts/run} starts it with one of each, but
 * on free ports and in memory: DynamoDB Local and S3Mock, the Twilio stand-in, the packaged switchboard and the
 * packaged agent console, both in the dev profile (tables created, the demo agent seeded, the console scoring from the
 * stream with its own lease table) and each run from a copy of its {@code quarkus-app}, so a rebuild during the run
 * cannot change it.
 */
final class SentimentStack implements AutoCloseable {

    static final String AGENT = "demo";
    static final String PASSWORD = "demo-password";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private final LocalAws aws;
    private final TwilioStandIn standIn;
    private final List<ChildJvm> apps;
    private final List<Path> copies;
    private final URI switchboard;
    private final URI console;

    private SentimentStack(LocalAws aws, TwilioStandIn standIn, List<ChildJvm> apps, List<Path> copies, URI switchboard,
            URI console) {
        this.aws = aws;
        this.standIn = standIn;
        this.apps = apps;
        this.copies = copies;
        this.switchboard = switchboard;
        this.console = console;
    }

    static SentimentStack start(SentimentStreamOptions options, Path logDir, CpuUsage cpu)
            throws IOException, InterruptedException {
        for (Path jar : List.of(options.switchboardJar(), options.consoleJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build first:"
                        + " ./mvnw -B -q -pl local,switchboard,agent-console,bench -am package -DskipTests");
            }
        }
        LocalAws aws = null;
        TwilioStandIn standIn = null;
        List<ChildJvm> apps = new ArrayList<>();
        List<Path> copies = new ArrayList<>();
        try {
            Path appJar = copy(options.switchboardJar(), copies);
            Path consoleJar = copy(options.consoleJar(), copies);
            int dynamoPort = ChildJvm.freePort();
            int s3Port = ChildJvm.freePort();
            System.out.println("starting DynamoDB Local (in memory) on :" + dynamoPort + " and S3Mock on :" + s3Port
                    + "; logs in " + logDir);
            aws = LocalAws.start(dynamoPort, s3Port, Optional.empty(), logDir);
            standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
            int appPort = ChildJvm.freePort();
            int consolePort = ChildJvm.freePort();
            URI switchboard = URI.create("http://localhost:" + appPort);
            URI console = URI.create("http://localhost:" + consolePort);
            JwtKeys keys = JwtKeys.generate();

            Map<String, String> appEnv = new HashMap<>(keys.env());
            appEnv.put("QUARKUS_HTTP_PORT", Integer.toString(appPort));
            appEnv.put("DYNAMODB_ENDPOINT", aws.dynamo().endpoint());
            appEnv.put("S3_ENDPOINT", aws.s3().endpoint());
            appEnv.put("SWITCHBOARD_TWILIO_API_BASE_URL", standIn.url());
            appEnv.put("SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", switchboard.toString());
            appEnv.put("SWITCHBOARD_SOCKET_ALLOWED_ORIGINS", switchboard + "," + console);
            options.eventsPollInterval()
                    .ifPresent(d -> appEnv.put("SWITCHBOARD_EVENTS_POLL_INTERVAL", d.toMillis() + "ms"));

            Map<String, String> consoleEnv = new HashMap<>();
            consoleEnv.put("QUARKUS_HTTP_PORT", Integer.toString(consolePort));
            consoleEnv.put("CONSOLE_SWITCHBOARD_URL", switchboard.toString());
            consoleEnv.put(JwtKeys.PUBLIC_KEY_ENV, keys.publicPem());
            consoleEnv.put("DYNAMODB_ENDPOINT", aws.dynamo().endpoint());
            options.scoringPollInterval()
                    .ifPresent(d -> consoleEnv.put("CONSOLE_SCORING_POLL_INTERVAL", d.toMillis() + "ms"));

            // One after the other, as ./scripts/run does: the switchboard creates the tables (its start-up calls time
            // out after 5 s, which a console starting beside it on a busy machine can cause), then the console.
            System.out.println("starting the switchboard on :" + appPort);
            long starting = System.nanoTime();
            ChildJvm app = ChildJvm.start("switchboard",
                    List.of("-Dquarkus.profile=dev", "-Xmx384m", "-jar", appJar.toString()), List.of(), appEnv, logDir,
                    false);
            apps.add(app);
            Webhooks probe = new Webhooks(switchboard, "local-dev-token", 1);
            probe.awaitReady(switchboard, READY_TIMEOUT, app::isAlive);
            System.out.printf(Locale.ROOT, "switchboard ready in %.1f s; starting the agent console on :%d%n",
                    (System.nanoTime() - starting) / 1e9, consolePort);
            starting = System.nanoTime();
            ChildJvm consoleJvm = ChildJvm.start("console",
                    List.of("-Dquarkus.profile=dev", "-Xmx512m", "-jar", consoleJar.toString()), List.of(), consoleEnv,
                    logDir, false);
            apps.add(consoleJvm);
            probe.awaitReady(console, READY_TIMEOUT, consoleJvm::isAlive);
            System.out.printf(Locale.ROOT, "console ready in %.1f s%n", (System.nanoTime() - starting) / 1e9);
            cpu.track("switchboard", app.pid());
            cpu.track("console", consoleJvm.pid());
            cpu.track("dynamodb", aws.dynamo().process().pid());
            return new SentimentStack(aws, standIn, apps, copies, switchboard, console);
        } catch (IOException | RuntimeException | InterruptedException e) {
            new SentimentStack(aws, standIn, apps, copies, null, null).close();
            throw e;
        }
    }

    /** A copy of the application's folder; returns the copied jar. */
    private static Path copy(Path jar, List<Path> copies) throws IOException {
        Path dir = jar.getParent();
        System.out.println(jar + " (built " + Files.getLastModifiedTime(dir.resolve("app")) + ")");
        Path copy = Files.createTempDirectory("switchboard-bench-app-");
        copies.add(copy);
        LocalStack.copyTree(dir, copy);
        return copy.resolve(jar.getFileName());
    }

    URI switchboard() {
        return switchboard;
    }

    URI console() {
        return console;
    }

    boolean alive() {
        return apps.stream().allMatch(ChildJvm::isAlive);
    }

    String logs() {
        return apps.stream().map(app -> app.log().toString()).toList().toString();
    }

    @Override
    public void close() {
        long began = System.nanoTime();
        ChildJvm.closeAll(apps);
        if (standIn != null) {
            standIn.close();
        }
        if (aws != null) {
            aws.dynamo().close();
            aws.s3().close();
        }
        copies.forEach(LocalStack::delete);
        System.out.printf("stopped the stack in %d ms%n", Duration.ofNanos(System.nanoTime() - began).toMillis());
    }
}
