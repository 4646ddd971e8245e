package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.RedisServer;
import dev.switchboard.local.TwilioSignature;
import dev.switchboard.local.TwilioStandIn;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/**
 * Two packaged switchboard processes on one DynamoDB Local, agents connected to each, Redis between them: every inbound
 * message is handled by one instance and reaches its agent wherever they are connected; every conversation is assigned
 * once; killing the instance that holds the stream's lease loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    private static final Path LOGS = Path.of("target", "local-servers");
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalAws aws;
    /**
     * A DynamoDB Local of its own: earlier packaged-app tests in this JVM leave conversations waiting (older, so
     * rightly served first) and KCL leases and worker records behind on the shared one.
     */
    private static DynamoDbLocal dynamo;
    private static TwilioStandIn standIn;
    private static RedisServer redis;
    private static Switchboard one;
    private static Switchboard two;

    record Switchboard(String name, ChildJvm jvm, int port) {
        String url() {
            return "http://localhost:" + port;
        }
    }

    @BeforeAll
    static void startEverything() {
        aws = LocalAws.shared(LOGS);
        dynamo = DynamoDbLocal.start(ChildJvm.freePort(), java.util.Optional.empty(), LOGS);
        standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
        redis = RedisServer.start(ChildJvm.freePort(), LOGS);
        one = start("switchboard-one");
        two = start("switchboard-two");
    }

    @AfterAll
    static void stopEverything() {
        for (Switchboard instance : new Switchboard[] { one, two }) {
            if (instance != null) {
                instance.jvm().close();
            }
        }
        if (standIn != null) {
            standIn.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    private static Switchboard start(String name) {
        int port = ChildJvm.freePort();
        Map<String, String> env = new HashMap<>(TestKeys.env());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamo.endpoint());
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3().endpoint());
        env.put("SWITCHBOARD_DELIVERY_REDIS_URL", redis.url());
        env.put("SWITCHBOARD_TWILIO_API_BASE_URL", standIn.url());
        env.put("SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", "http://localhost:" + port);
        // The grace period is RoutingTest's subject; here an agent moving to the survivor must not race it on a
        // loaded machine.
        env.put("SWITCHBOARD_ROUTING_DISCONNECT_GRACE", "30s");
        env.put("SWITCHBOARD_ROUTING_HEARTBEAT_TIMEOUT", "30s");
        ChildJvm jvm = ChildJvm.start(name, List.of("-Dquarkus.profile=test", "-Xmx384m", "-jar", JAR.toString()),
                List.of(), env, LOGS, false);
        Switchboard instance = new Switchboard(name, jvm, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(jvm.isAlive(), name + " died; see " + jvm.log());
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(instance.url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return instance;
                }
            } catch (Exception notYet) {
                // starting
            }
            RoutingTest.sleep(250);
        }
        throw new IllegalStateException(name + " did not become ready; see " + jvm.log());
    }

    /** First: the other test kills an instance. */
    @Test
    @Order(1)
    void disablingAnAgentClosesTheirSocketsOnBothInstancesAndRefusesTheirReply() throws Exception {
        String admin = login(one, "admin", "admin-password");
        String carol = createAgent(one, admin, "carol");
        AgentClient onOne = AgentClient.connect(one.url(), carol, login(one, carol, carol + "-password"));
        AgentClient onTwo = AgentClient.connect(two.url(), carol, login(two, carol, carol + "-password"));
        onTwo.available(1);
        onTwo.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(10));
        String customer = Webhooks.newCustomer();
        assertEquals(200, postSms(one, customer, "anyone?"));
        String conversation = (String) onTwo
                .await("assigned", f -> customer.equals(f.get("customer")), Duration.ofSeconds(150))
                .get("conversation");
        // Positive control: before the disable, a reply from the second instance reaches the customer.
        onTwo.send(Map.of("type", "response", "conversation", conversation, "body", "before"));
        awaitTrue(() -> standIn.messagesTo(customer).size() == 1, Duration.ofSeconds(30));

        HttpResponse<String> disabled = HTTP.send(
                HttpRequest.newBuilder(URI.create(one.url() + "/admin/agents/" + carol + "/disable"))
                        .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, disabled.statusCode(), disabled.body());
        long disabledAt = System.nanoTime();
        try {
            onTwo.send(Map.of("type", "response", "conversation", conversation, "body", "after"));
        } catch (IllegalStateException alreadyClosed) {
            // Closed before the frame could go: refused all the same.
        }
        assertEquals(new AgentClient.Closed(4401, "unauthorized"), onTwo.awaitClosed(Duration.ofSeconds(2)));
        assertEquals(new AgentClient.Closed(4401, "unauthorized"), onOne.awaitClosed(Duration.ofSeconds(2)));
        long took = Duration.ofNanos(System.nanoTime() - disabledAt).toMillis();
        assertTrue(took < 2000, "closed after " + took + " ms");
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> standIn.messagesTo(customer).size() == 1);
        assertEquals(List.of("before"), standIn.messagesTo(customer).stream().map(m -> m.body()).toList());
    }

    @Test
    @Order(2)
    void eachMessageIsHandledOnceAndSurvivesTheLeaseHolderBeingKilled() throws Exception {
        long insertsBefore = inserts(one) + inserts(two);
        String admin = login(one, "admin", "admin-password");
        String ann = createAgent(one, admin, "ann");
        String bob = createAgent(two, admin, "bob");
        AgentClient a = AgentClient.connect(one.url(), ann, login(one, ann, ann + "-password"));
        AgentClient b = AgentClient.connect(two.url(), bob, login(two, bob, bob + "-password"));
        a.available(10);
        b.available(10);
        a.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(10));
        b.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(10));

        // Ten customers, their webhooks spread over both instances.
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String customer = Webhooks.newCustomer();
            customers.add(customer);
            assertEquals(200, postSms(i % 2 == 0 ? one : two, customer, "hello " + i));
        }
        awaitTrue(() -> assignedCustomers(a, b).containsAll(customers), Duration.ofSeconds(150));
        RoutingTest.sleep(1000);
        assertEquals(10, List.of(a, b).stream().flatMap(c -> c.frames("assigned").stream())
                .filter(f -> customers.contains(f.get("customer"))).count(), "each assigned exactly once");

        // A second message from each: each reaches its agent once, whichever instance took the webhook.
        for (int i = 0; i < 10; i++) {
            assertEquals(200, postSms(i % 2 == 0 ? two : one, customers.get(i), "again " + i));
        }
        awaitTrue(() -> updates(a, b, "again ") >= 10, Duration.ofSeconds(30));
        RoutingTest.sleep(1000);
        assertEquals(10, updates(a, b, "again "), "no message handled twice");
        assertEquals(insertsBefore + 20, inserts(one) + inserts(two), "every write handled by exactly one instance");

        // Kill -9 the instance holding the stream's lease; its agent reconnects to the survivor.
        Switchboard holder = inserts(one) > 0 ? one : two;
        Switchboard survivor = holder == one ? two : one;
        assertEquals(0, inserts(survivor), "one shard, one lease holder");
        holder.jvm().kill();
        AgentClient moved = holder == one ? a : b;
        AgentClient stayed = holder == one ? b : a;
        AgentClient reconnected = AgentClient.connect(survivor.url(), moved.agent(),
                login(survivor, moved.agent(), moved.agent() + "-password"));
        reconnected.await("assigned", f -> true, Duration.ofSeconds(10));

        for (int i = 0; i < 10; i++) {
            assertEquals(200, postSms(survivor, customers.get(i), "after the crash " + i));
        }
        awaitTrue(() -> updates(reconnected, stayed, "after the crash ") >= 10, Duration.ofSeconds(60));
        Set<String> seen = new HashSet<>();
        for (AgentClient client : List.of(reconnected, stayed)) {
            client.frames("update").forEach(f -> seen.add((String) message(f).get("body")));
        }
        for (int i = 0; i < 10; i++) {
            assertTrue(seen.contains("after the crash " + i), "lost: after the crash " + i);
        }
        a.close();
        b.close();
        reconnected.close();
    }

    private static Set<String> assignedCustomers(AgentClient... clients) {
        Set<String> customers = new HashSet<>();
        for (AgentClient client : clients) {
            client.frames("assigned").forEach(f -> customers.add((String) f.get("customer")));
        }
        return customers;
    }

    private static long updates(AgentClient x, AgentClient y, String prefix) {
        return List.of(x, y).stream().flatMap(c -> c.frames("update").stream())
                .filter(f -> String.valueOf(message(f).get("body")).startsWith(prefix)).count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> message(Map<String, Object> frame) {
        return (Map<String, Object>) frame.get("message");
    }

    private static final Pattern INSERTS = Pattern
            .compile("switchboard_events_total\\{[^}]*event=\"INSERT\"[^}]*} ([0-9.E]+)");

    private static long inserts(Switchboard instance) throws Exception {
        if (!instance.jvm().isAlive()) {
            return 0;
        }
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(instance.url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = INSERTS.matcher(metrics);
        long total = 0;
        while (m.find()) {
            total += (long) Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static int postSms(Switchboard instance, String customer, String body) throws Exception {
        Map<String, String> params = Webhooks.sms(customer, body);
        String url = instance.url() + "/twilio/messages";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, url, params))
                        .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String login(Switchboard instance, String agent, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(instance.url() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                        .ofString(JSON.writeValueAsString(Map.of("agent", agent, "password", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSON.readValue(response.body(), Map.class).get("token");
    }

    private static String createAgent(Switchboard instance, String adminToken, String prefix) throws Exception {
        String name = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("agent", name, "password", name + "-password",
                "displayName", prefix, "roles", List.of("agent")));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(instance.url() + "/admin/agents"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return name;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) {
        RoutingTest.awaitTrue(condition, timeout);
    }

    static boolean jarExists() {
        return Files.exists(JAR);
    }
}
