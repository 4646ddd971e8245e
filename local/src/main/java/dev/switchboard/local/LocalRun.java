package dev.switchboard.local;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Optional;

/**
 * The local run: DynamoDB Local and S3Mock with their data under one folder, the Twilio stand-in in this JVM, then the
 * switchboard on top of them. Ctrl-C stops everything; the data stays for the next run.
 */
public final class LocalRun {

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("switchboard.root", "."));
        Path data = root.resolve(env("SWITCHBOARD_DATA_DIR", ".local-data"));
        Path logs = data.resolve("logs");
        int dynamoPort = Integer.parseInt(env("DYNAMODB_PORT", "8000"));
        int s3Port = Integer.parseInt(env("S3_PORT", "9090"));
        int appPort = Integer.parseInt(env("SWITCHBOARD_PORT", "8080"));
        Path app = root.resolve("switchboard/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            fail(app + " is missing: build first (./scripts/run does)");
        }
        TwilioStandIn.Config twilioConfig = TwilioStandIn.Config.fromEnv(System.getenv());
        for (int port : List.of(dynamoPort, s3Port, appPort, twilioConfig.port())) {
            requireFree(port);
        }

        TwilioStandIn.oneLineLogs();
        say("Starting the Twilio stand-in on :" + twilioConfig.port());
        TwilioStandIn twilio = TwilioStandIn.start(twilioConfig);

        say("Starting DynamoDB Local on :" + dynamoPort + " and S3Mock on :" + s3Port + " (data in " + data + ")");
        LocalAws aws = LocalAws.start(dynamoPort, s3Port, Optional.of(data), logs);

        // One pair for the life of the data folder, so tokens stay valid across restarts.
        JwtKeys keys = JwtKeys.loadOrCreate(data.resolve("jwt"));
        Map<String, String> environment = new HashMap<>(keys.env());
        environment.putAll(Map.of("DYNAMODB_ENDPOINT", aws.dynamo().endpoint(), "S3_ENDPOINT", aws.s3().endpoint(),
                "QUARKUS_HTTP_PORT", Integer.toString(appPort)));

        say("Starting the switchboard on :" + appPort);
        ChildJvm switchboard = ChildJvm.start("switchboard", List.of("-Dquarkus.profile=dev", "-jar", app.toString()),
                List.of(), environment, logs, true);
        awaitReady("http://localhost:" + appPort + "/q/health/ready", switchboard);

        say("");
        say("Switchboard is up.");
        say("  Switchboard        http://localhost:" + appPort);
        say("  Inbound webhook    POST http://localhost:" + appPort + "/twilio/messages");
        say("  Log in             POST http://localhost:" + appPort + "/auth/login"
                + "  agent demo / demo-password, admin admin / admin-password");
        say("  Conversations      http://localhost:" + appPort + "/conversations?state=waiting (with the token)");
        say("  Twilio account     " + env("SWITCHBOARD_TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000")
                + " / auth token " + env("SWITCHBOARD_TWILIO_AUTH_TOKEN", "local-dev-token"));
        say("  Business number    " + env("SWITCHBOARD_TWILIO_BUSINESS_NUMBER", "+15550000000"));
        say("  Twilio stand-in    " + twilio.url() + " (what was sent: " + twilio.url() + "/_standin/messages)");
        say("  Text it:           ./scripts/send-sms +15551234567 'Hello!'");
        say("  With a photo:      ./scripts/send-sms +15551234567 'Look!' " + twilio.mediaUrl("sample.png"));
        say("  Data:              " + data.toAbsolutePath() + " (delete it, or run with --reset, to start empty)");
        say("Ctrl-C stops everything.");
        int exit = switchboard.waitFor();
        twilio.close();
        aws.dynamo().close();
        aws.s3().close();
        System.exit(exit);
    }

    private static void awaitReady(String url, ChildJvm app) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                fail("the switchboard exited during start-up; see its output above");
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        fail("the switchboard did not become ready within 120 s");
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
