package dev.switchboard.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.DynamoDbLocal;
import dev.switchboard.local.Haproxy;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.RedisServer;
import dev.switchboard.local.TwilioSignature;
import dev.switchboard.local.TwilioStandIn;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/**
 * Two packaged switchboards behind the real HAProxy, configured from {@code infra/haproxy/haproxy.cfg} as the local run
 * renders it: an agent's socket through the proxy moves to the other instance when its own stops, and a webhook whose
 * instance is SIGKILLed while it holds the request is answered 200 by the other one and stored once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BehindHaproxyIT {

    private static final Path LOGS = Path.of("target", "local-servers");
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalAws aws;
    private static DynamoDbLocal dynamo;
    private static TwilioStandIn standIn;
    private static RedisServer redis;
    private static Haproxy haproxy;
    private static String proxy;
    private static final int[] PORTS = new int[2];
    private static final ChildJvm[] INSTANCES = new ChildJvm[2];

    @BeforeAll
    static void startEverything() {
        assumeTrue(Haproxy.installed() && RedisServer.installed(),
                "haproxy and redis-server are installed by scripts/install-prerequisites");
        aws = LocalAws.shared(LOGS);
        dynamo = DynamoDbLocal.start(ChildJvm.freePort(), Optional.empty(), LOGS);
        standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
        redis = RedisServer.start(ChildJvm.freePort(), LOGS);
        int proxyPort = ChildJvm.freePort();
        proxy = "http://localhost:" + proxyPort;
        PORTS[0] = ChildJvm.freePort();
        PORTS[1] = ChildJvm.freePort();
        CompletableFuture<?> one = CompletableFuture.runAsync(() -> start(0));
        CompletableFuture<?> two = CompletableFuture.runAsync(() -> start(1));
        CompletableFuture.allOf(one, two).join();
        // No console here: its backend points at a port nothing listens on.
        haproxy = Haproxy.start(Path.of("..").resolve(Haproxy.TEMPLATE),
                LOGS.resolve("haproxy-" + proxyPort).toAbsolutePath(), LOGS,
                Map.of("switchboard", proxyPort, "console", ChildJvm.freePort()),
                Map.of("switchboards", List.of(PORTS[0], PORTS[1]), "consoles", List.of(ChildJvm.freePort())));
        awaitUp(0);
        awaitUp(1);
    }

    @AfterAll
    static void stopEverything() {
        for (ChildJvm jvm : INSTANCES) {
            if (jvm != null) {
                jvm.close();
            }
        }
        for (AutoCloseable c : new AutoCloseable[] { haproxy, standIn, redis, dynamo }) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            }
        }
    }

    private static void start(int i) {
        Map<String, String> env = new HashMap<>(TestKeys.env());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(PORTS[i]));
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamo.endpoint());
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3().endpoint());
        env.put("SWITCHBOARD_DELIVERY_REDIS_URL", redis.url());
        env.put("SWITCHBOARD_TWILIO_API_BASE_URL", standIn.url());
        // As the local run sets them: signatures cover the proxy's URL, forwarded headers are trusted from it alone.
        env.put("SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", proxy);
        env.put("SWITCHBOARD_TWILIO_PUBLIC_BASE_URL", proxy);
        env.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        env.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
        env.put("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
        // An agent moving to the other instance must not race the grace period on a loaded machine.
        env.put("SWITCHBOARD_ROUTING_DISCONNECT_GRACE", "60s");
        env.put("SWITCHBOARD_ROUTING_HEARTBEAT_TIMEOUT", "60s");
        ChildJvm jvm = ChildJvm.start("proxied-" + (i + 1),
                List.of("-Dquarkus.profile=test", "-Xmx384m", "-jar", JAR.toString()), List.of(), env, LOGS, false);
        INSTANCES[i] = jvm;
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertTrue(jvm.isAlive(), "instance " + (i + 1) + " died; see " + jvm.log());
            return status("http://localhost:" + PORTS[i] + "/q/health/ready") == 200;
        });
    }

    private static String server(int i) {
        return "switchboards/sb" + (i + 1);
    }

    private static void awaitUp(int i) {
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(haproxy.status(server(i))));
    }

    /** Sessions HAProxy has open to the instance now: requests under way and upgraded sockets. */
    private static int sessions(int i) {
        return Integer.parseInt(haproxy.stats().get(server(i)).get("scur"));
    }

    @Test
    @Order(1)
    void anAgentsSocketThroughTheProxyMovesToTheOtherInstance() throws Exception {
        String admin = login("admin", "admin-password");
        String ann = createAgent(admin, "ann");
        AgentClient socket = AgentClient.connect(proxy, ann, login(ann, ann + "-password"));
        socket.available(3);
        socket.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(20));
        String customer = Webhooks.newCustomer();
        assertEquals(200, postSms(customer, "before the move").statusCode());
        socket.await("assigned", f -> customer.equals(f.get("customer")), Duration.ofSeconds(120));

        // The one open session is the socket's tunnel.
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions(0) + sessions(1) == 1);
        int holder = sessions(0) == 1 ? 0 : 1;
        int other = 1 - holder;
        ProcessHandle.of(INSTANCES[holder].pid()).orElseThrow().destroy();
        AgentClient.Closed closed = socket.awaitClosed(Duration.ofSeconds(15));
        assertEquals(1012, closed.code());
        assertEquals("reconnect", closed.reason());

        // Reconnecting to the same address as before: the proxy sends it to the instance still running.
        AgentClient again = AgentClient.connect(proxy, ann, login(ann, ann + "-password"));
        again.await("assigned", f -> customer.equals(f.get("customer")), Duration.ofSeconds(20));
        assertEquals(1, sessions(other), "the socket is on the other instance");
        assertTrue(INSTANCES[holder].waitFor() >= 0);
        again.close();

        // Back to two for what follows.
        start(holder);
        awaitUp(holder);
    }

    @Test
    @Order(2)
    void aWebhookWhoseInstanceIsKilledMidRequestIsAnsweredByTheOtherAndStoredOnce() throws Exception {
        int victim = 0;
        String customer = Webhooks.newCustomer();
        // Frozen, the instance still accepts connections (the kernel does) but answers nothing: requests the proxy
        // sends it are held there, mid-request, until it is killed.
        signal("STOP", INSTANCES[victim].pid());
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            answers.add(postSmsAsync(customer, "during the crash " + n));
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> sessions(victim) >= 1);
        int held = sessions(victim);
        signal("KILL", INSTANCES[victim].pid());
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
        }
        System.out.printf("%d webhook(s) were held by the killed instance; all 6 answered 200%n", held);

        String admin = login("admin", "admin-password");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String messages = get("/conversations/" + customer + "/messages", admin);
            for (int n = 0; n < 6; n++) {
                if (occurrences(messages, "during the crash " + n) != 1) {
                    return false;
                }
            }
            return true;
        });
    }

    private static int occurrences(String text, String body) {
        Matcher m = Pattern.compile(Pattern.quote("\"" + body + "\"")).matcher(text);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor());
    }

    private static CompletableFuture<HttpResponse<String>> postSmsAsync(String customer, String body) {
        Map<String, String> params = Webhooks.sms(customer, body);
        String url = proxy + "/twilio/messages";
        return HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, url, params))
                        .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postSms(String customer, String body) throws Exception {
        return postSmsAsync(customer, body).get(30, TimeUnit.SECONDS);
    }

    private static String login(String agent, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(proxy + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                        .ofString(JSON.writeValueAsString(Map.of("agent", agent, "password", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSON.readValue(response.body(), Map.class).get("token");
    }

    private static String createAgent(String adminToken, String prefix) throws Exception {
        String name = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Map<String, Object> body = Map.of("agent", name, "password", name + "-password", "displayName", prefix, "roles",
                List.of("agent"));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(proxy + "/admin/agents")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return name;
    }

    private static String get(String path, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(proxy + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
