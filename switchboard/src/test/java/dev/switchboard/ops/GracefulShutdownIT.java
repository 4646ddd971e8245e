package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.DynamoDbLocal;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.TwilioSignature;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/**
 * SIGTERM to a packaged switchboard, as Heroku or ECS send it: the agent's socket is closed at once with 1012 and
 * {@code reconnect}, a webhook already being received is still answered 200 and stored, the agent finds their
 * conversation again on another instance, and nothing printed on the way contains the auth token.
 * <p>
 * The webhook is "in flight" in a way that does not depend on timing: its headers and half its body are sent before
 * SIGTERM, the rest only after the socket has been closed.
 */
class GracefulShutdownIT {

    private static final Path LOGS = Path.of("target", "local-servers");
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Distinctive, so that finding it in the output cannot be a coincidence. */
    private static final String AUTH_TOKEN = "shutdown-auth-token-never-printed-51c2";

    private static LocalAws aws;
    /** Its own, so that conversations other tests left waiting are not assigned to this test's agent first. */
    private static DynamoDbLocal dynamo;
    private static ChildJvm one;
    private static ChildJvm two;

    @BeforeAll
    static void startStorage() {
        aws = LocalAws.shared(LOGS);
        dynamo = DynamoDbLocal.start(ChildJvm.freePort(), Optional.empty(), LOGS);
    }

    @AfterAll
    static void stopEverything() {
        for (ChildJvm jvm : new ChildJvm[] { one, two }) {
            if (jvm != null) {
                jvm.close();
            }
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void sigtermHandsAgentsOverAndFinishesWebhooksInFlight() throws Exception {
        int port = ChildJvm.freePort();
        one = start("shutdown-one", port);
        String url = "http://localhost:" + port;
        String admin = login(url, "admin", "admin-password");
        String ann = createAgent(url, admin);
        AgentClient socket = AgentClient.connect(url, ann, login(url, ann, ann + "-password"));
        socket.available(3);
        socket.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(10));

        String customer = Webhooks.newCustomer();
        assertEquals(200, postSms(url, customer, "before the restart"));
        socket.await("assigned", f -> customer.equals(f.get("customer")), Duration.ofSeconds(120));
        // The KCL cannot stop while it waits for its first lease (10-40 s on a fresh stream, docs/stack-notes.md);
        // the time to stop is measured from a settled instance.
        awaitShards(url, Duration.ofSeconds(120));

        Map<String, String> params = Webhooks.sms(customer, "sent while the instance stops");
        byte[] body = TwilioSignature.formBody(params).getBytes(StandardCharsets.UTF_8);
        String signature = TwilioSignature.sign(AUTH_TOKEN, url + "/twilio/messages", params);
        try (Socket webhook = new Socket("localhost", port)) {
            webhook.setSoTimeout(30_000);
            OutputStream out = webhook.getOutputStream();
            out.write(("POST /twilio/messages HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nX-Twilio-Signature: "
                    + signature + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            // Idle server: the request is under way well within this.
            Thread.sleep(1000);

            ProcessHandle.of(one.pid()).orElseThrow().destroy();
            long sigterm = System.nanoTime();

            AgentClient.Closed closed = socket.awaitClosed(Duration.ofSeconds(15));
            assertEquals(1012, closed.code(), "close code");
            assertEquals("reconnect", closed.reason());

            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            String status = new BufferedReader(
                    new InputStreamReader(webhook.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 200 OK", status);
            // Nothing else under way: the instance stops at once instead of waiting out the shutdown timeout (25 s).
            assertTrue(waitForExit(one, Duration.ofSeconds(15)), "still running 15 s after SIGTERM; see " + one.log());
            System.out.printf("stopped %d ms after SIGTERM%n", (System.nanoTime() - sigterm) / 1_000_000);
        }

        // Another instance: the agent keeps their conversation (disconnect grace), and the late message was stored.
        int otherPort = ChildJvm.freePort();
        two = start("shutdown-two", otherPort);
        String other = "http://localhost:" + otherPort;
        AgentClient again = AgentClient.connect(other, ann, login(other, ann, ann + "-password"));
        again.await("assigned", f -> customer.equals(f.get("customer")), Duration.ofSeconds(10));
        String messages = get(other + "/conversations/" + customer + "/messages", admin);
        assertTrue(messages.contains("sent while the instance stops"), messages);
        again.close();

        String log = Files.readString(one.log());
        assertTrue(log.contains("closed 1 agent socket(s) for shutdown"), log);
        assertFalse(log.contains(AUTH_TOKEN), "the auth token was printed; see " + one.log());
    }

    private static ChildJvm start(String name, int port) throws Exception {
        Map<String, String> env = new HashMap<>(TestKeys.env());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamo.endpoint());
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3().endpoint());
        env.put("SWITCHBOARD_TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        // Long enough that the conversation cannot go back to the queue while the test starts the second instance.
        env.put("SWITCHBOARD_ROUTING_DISCONNECT_GRACE", "120s");
        env.put("SWITCHBOARD_ROUTING_HEARTBEAT_TIMEOUT", "120s");
        ChildJvm jvm = ChildJvm.start(name, List.of("-Dquarkus.profile=test", "-Xmx384m", "-jar", JAR.toString()),
                List.of(), env, LOGS, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(jvm.isAlive(), name + " died; see " + jvm.log());
            try {
                if (HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return jvm;
                }
            } catch (Exception notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become ready; see " + jvm.log());
    }

    private static void awaitShards(String base, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.lines().anyMatch(l -> l.startsWith("switchboard_events_shards") && !l.endsWith(" 0.0"))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the instance held no stream shard after " + timeout);
    }

    private static boolean waitForExit(ChildJvm jvm, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (jvm.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return !jvm.isAlive();
    }

    private static int postSms(String base, String customer, String text) throws Exception {
        Map<String, String> params = Webhooks.sms(customer, text);
        String url = base + "/twilio/messages";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .header("X-Twilio-Signature", TwilioSignature.sign(AUTH_TOKEN, url, params))
                        .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String login(String base, String agent, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                        .ofString(JSON.writeValueAsString(Map.of("agent", agent, "password", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSON.readValue(response.body(), Map.class).get("token");
    }

    private static String createAgent(String base, String adminToken) throws Exception {
        String name = "ann-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Map<String, Object> body = Map.of("agent", name, "password", name + "-password", "displayName", "Ann", "roles",
                List.of("agent"));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/admin/agents")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return name;
    }

    private static String get(String url, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
