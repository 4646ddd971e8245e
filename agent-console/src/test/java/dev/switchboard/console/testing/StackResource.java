package dev.switchboard.console.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.JwtKeys;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.TwilioStandIn;

/**
 * The whole stack under the console: DynamoDB Local, S3Mock, the Twilio stand-in (with its dev phone texting that
 * switchboard) and the packaged switchboard (from {@code ../switchboard/target/quarkus-app}) as a process of its own,
 * started once per JVM for every test class that uses this resource, on free ports. The console under test is pointed
 * at that switchboard and its public key.
 */
public class StackResource implements QuarkusTestResourceLifecycleManager {

    private static final Path LOGS = Path.of("target", "local-servers");
    private static final Path JAR = Path.of("..", "switchboard", "target", "quarkus-app", "quarkus-run.jar");

    private static Stack stack;

    /** The running stack, started on first use. */
    public static synchronized Stack stack() {
        if (stack == null) {
            stack = launch();
        }
        return stack;
    }

    @Override
    public Map<String, String> start() {
        Stack running = stack();
        Map<String, String> config = new HashMap<>();
        config.put("console.switchboard-url", running.switchboardUrl());
        config.put("mp.jwt.verify.publickey", running.keys().publicPem());
        // Reconnects within a test's patience.
        config.put("console.reconnect.min-delay", "200ms");
        config.put("console.reconnect.max-delay", "2s");
        // Scores every customer message once, from the stack's messages stream.
        config.put("console.scoring.enabled", "true");
        config.put("console.scoring.endpoint", running.dynamoEndpoint());
        return config;
    }

    @Override
    public void stop() {
        // The stack outlives one application start; the JVM's exit stops it.
    }

    private static Stack launch() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath().normalize()
                    + " is missing: package the switchboard first (./mvnw -B -q -pl switchboard -am package"
                    + " -DskipTests)");
        }
        LocalAws aws = LocalAws.shared(LOGS);
        int port = ChildJvm.freePort();
        // The dev phone texts this switchboard, at the URL it sees itself called at (its signature check needs that).
        TwilioStandIn.Config twilio = TwilioStandIn.Config.forTests();
        twilio = twilio.withPhone(twilio.phone().withWebhookUrl("http://localhost:" + port + "/twilio/messages"));
        TwilioStandIn standIn = TwilioStandIn.start(twilio);
        JwtKeys keys = JwtKeys.loadOrCreate(Path.of("target", "jwt"));
        Stack started = new Stack(aws, standIn, keys, port);
        started.startSwitchboard();
        return started;
    }

    /** The servers, and how to restart the switchboard the way a deployment does. */
    public static final class Stack {
        private final LocalAws aws;
        private final TwilioStandIn standIn;
        private final JwtKeys keys;
        private final int port;
        private ChildJvm switchboard;

        Stack(LocalAws aws, TwilioStandIn standIn, JwtKeys keys, int port) {
            this.aws = aws;
            this.standIn = standIn;
            this.keys = keys;
            this.port = port;
        }

        /** DynamoDB Local's endpoint, which the switchboard and the console's scoring share. */
        public String dynamoEndpoint() {
            return aws.dynamo().endpoint();
        }

        public String switchboardUrl() {
            return "http://localhost:" + port;
        }

        public TwilioStandIn standIn() {
            return standIn;
        }

        /** The dev phone's page, where a test plays the customer. */
        public String phoneUrl() {
            return standIn.url() + "/phone";
        }

        public JwtKeys keys() {
            return keys;
        }

        /** Starts the packaged switchboard (again, on the same port) and waits until it is ready. */
        public synchronized void startSwitchboard() {
            Map<String, String> env = new HashMap<>(keys.env());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", aws.dynamo().endpoint());
            env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3().endpoint());
            env.put("SWITCHBOARD_TWILIO_API_BASE_URL", standIn.url());
            env.put("SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", switchboardUrl());
            // Stay assigned through a restart of the switchboard, as agents of a real deployment would.
            env.put("SWITCHBOARD_ROUTING_DISCONNECT_GRACE", "60s");
            env.put("SWITCHBOARD_ROUTING_HEARTBEAT_TIMEOUT", "60s");
            switchboard = ChildJvm.start("switchboard",
                    List.of("-Dquarkus.profile=test", "-Xmx384m", "-jar", JAR.toString()), List.of(), env, LOGS, false);
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                if (!switchboard.isAlive()) {
                    throw new IllegalStateException("the switchboard died; see " + switchboard.log());
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(switchboardUrl() + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (Exception notYet) {
                    // starting
                }
                sleep(250);
            }
            throw new IllegalStateException("the switchboard did not become ready; see " + switchboard.log());
        }

        /** Stops the switchboard as a deployment does (SIGTERM). */
        public synchronized void stopSwitchboard() {
            switchboard.close();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
