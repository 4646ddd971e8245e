package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.local.TwilioSignature;
import dev.switchboard.local.TwilioStandIn;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/** Two agents, several customers: what each agent's socket shows them. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class RoutingTest {

    /** The first change event of a test JVM waits for KCL's first lease. */
    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void capacityIsRespectedAndTheLongestWaitingGoesFirst() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String customer = Webhooks.newCustomer();
                customers.add(customer);
                Webhooks.post(Webhooks.sms(customer, "customer " + i + " needs help")).then().statusCode(200);
                sleep(30);
            }
            // Nobody available yet: all five wait. Then ann takes two, bob two; the fifth still waits.
            awaitWaiting(customers.get(4), FIRST);
            a.available(2);
            a.await("assigned", f -> customers.get(1).equals(f.get("customer")), SOON);
            assertEquals(Set.of(customers.get(0), customers.get(1)), customersOf(a));
            b.available(2);
            b.await("assigned", f -> customers.get(3).equals(f.get("customer")), SOON);
            assertEquals(Set.of(customers.get(2), customers.get(3)), customersOf(b));
            awaitWaiting(customers.get(4), SOON);

            // Capacity frees up: the one left waiting goes to the agent who freed it.
            a.send(Map.of("type", "resolve", "conversation", conversation(customers.get(0))));
            a.await("unassigned", f -> conversation(customers.get(0)).equals(f.get("conversation")), SOON);
            a.await("assigned", f -> customers.get(4).equals(f.get("customer")), SOON);
            assertEquals(2, customersOf(b).size());
        }
    }

    @Test
    void aConversationStaysWithItsAgentAndRepliesReachTheCustomer() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "where is my order?")).then().statusCode(200);
            Map<String, Object> assigned = a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            List<?> history = (List<?>) assigned.get("history");
            assertEquals("where is my order?", ((Map<?, ?>) history.get(history.size() - 1)).get("body"));

            b.available(3);
            Webhooks.post(Webhooks.sms(customer, "hello? 😠")).then().statusCode(200);
            a.await("update", f -> "hello? 😠".equals(message(f).get("body")), SOON);

            String id = conversation(customer);
            a.send(Map.of("type", "response", "conversation", id, "body", "On its way — arrives tomorrow 📦"));
            TwilioStandIn standIn = LocalServersResource.standIn();
            // The stand-in is shared by every test class: wait for this customer's message, not any.
            org.awaitility.Awaitility.await().atMost(SOON).until(() -> !standIn.messagesTo(customer).isEmpty());
            var sent = standIn.messagesTo(customer).get(0);
            assertEquals(Webhooks.BUSINESS, sent.from());
            assertEquals("On its way — arrives tomorrow 📦", sent.body());
            a.await("status", f -> id.equals(f.get("conversation")) && "delivered".equals(f.get("status")), SOON);
            b.assertNone("update", f -> id.equals(f.get("conversation")), Duration.ofMillis(300));
            b.assertNone("assigned", f -> customer.equals(f.get("customer")), Duration.ZERO);
        }
    }

    @Test
    void statusNeverMovesBackwards() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann)) {
            a.available(1);
            Webhooks.post(Webhooks.sms(customer, "hi")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            a.send(Map.of("type", "response", "conversation", conversation(customer), "body", "hello"));
            a.await("status", f -> "delivered".equals(f.get("status")), SOON);
            String sid = History.messages(customer).getString("messages[0].twilioSid");

            // Twilio does not promise order: a late "sent" after "delivered" changes nothing.
            postStatus(sid, "sent").then().statusCode(200);
            postStatus(sid, "sending").then().statusCode(200);
            assertEquals("delivered", History.messages(customer).getString("messages[0].status"));
            postStatus("SM" + "0".repeat(32), "delivered").then().statusCode(404);
        }
    }

    @Test
    void anOptedOutCustomerCannotBeMessaged() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann)) {
            a.available(1);
            Webhooks.post(Webhooks.sms(customer, "hi there")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            Webhooks.post(Webhooks.sms(customer, " stop ")).then().statusCode(200);
            a.await("update", f -> Boolean.TRUE.equals(f.get("optedOut")), SOON);

            a.send(Map.of("type", "response", "conversation", conversation(customer), "body", "please don't go"));
            a.await("error", f -> "opted_out".equals(f.get("code")), SOON);
            assertTrue(LocalServersResource.standIn().messagesTo(customer).isEmpty());

            Webhooks.post(Webhooks.sms(customer, "START")).then().statusCode(200);
            a.await("update", f -> Boolean.FALSE.equals(f.get("optedOut")) && "START".equals(message(f).get("body")),
                    SOON);
            a.send(Map.of("type", "response", "conversation", conversation(customer), "body", "welcome back"));
            a.await("status", f -> "delivered".equals(f.get("status")), SOON);
        }
    }

    @Test
    void twilioReportingTheCustomerUnsubscribedMarksThemOptedOut() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        LocalServersResource.standIn().optedOut().add(customer);
        try (AgentClient a = Agents.connect(ann)) {
            a.available(1);
            Webhooks.post(Webhooks.sms(customer, "hi")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            a.send(Map.of("type", "response", "conversation", conversation(customer), "body", "hello"));
            Map<String, Object> failed = a.await("status", f -> "failed".equals(f.get("status")), SOON);
            assertEquals(21610, failed.get("errorCode"));
            awaitTrue(() -> History.conversation(customer, "assigned").getBoolean("optedOut"), SOON);
        } finally {
            LocalServersResource.standIn().optedOut().remove(customer);
        }
    }

    @Test
    void anAgentActsOnlyOnTheirOwnConversations() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            a.available(1);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "mine")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            b.available(1);
            String id = conversation(customer);

            b.send(Map.of("type", "response", "conversation", id, "body", "not yours"));
            b.send(Map.of("type", "resolve", "conversation", id));
            b.send(Map.of("type", "transfer", "conversation", id, "agent", bob));
            awaitTrue(() -> b.frames("error").stream().filter(f -> "not_assigned".equals(f.get("code"))).count() == 3,
                    SOON);
            assertEquals(ann, History.conversation(customer, "assigned").getString("agent"));
            assertTrue(LocalServersResource.standIn().messagesTo(customer).isEmpty());

            // The owner can hand it over.
            a.send(Map.of("type", "transfer", "conversation", id, "agent", bob));
            a.await("unassigned", f -> id.equals(f.get("conversation")) && "transferred".equals(f.get("reason")), SOON);
            b.await("assigned", f -> customer.equals(f.get("customer")), SOON);
            assertEquals(bob, History.conversation(customer, "assigned").getString("agent"));
        }
    }

    @Test
    void aDroppedAgentKeepsConversationsForTheGracePeriodThenTheyAreRerouted() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        AgentClient a = Agents.connect(ann);
        try (AgentClient b = Agents.connect(bob)) {
            a.available(1);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "are you there?")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            b.available(1);

            a.drop();
            long dropped = System.currentTimeMillis();
            sleep(1000);
            assertEquals(ann, History.conversation(customer, "assigned").getString("agent"), "within the grace period");

            b.await("assigned", f -> customer.equals(f.get("customer")), SOON);
            assertTrue(System.currentTimeMillis() - dropped >= 3000, "re-routed before the grace period ended");
        }
    }

    @Test
    void aReconnectWithinTheGracePeriodGetsEverythingBack() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        AgentClient first = Agents.connect(ann);
        first.available(2);
        first.await("presence", f -> "available".equals(f.get("presence")), SOON);
        Webhooks.post(Webhooks.sms(customer, "still there?")).then().statusCode(200);
        first.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
        first.drop();

        try (AgentClient again = Agents.connect(ann)) {
            Map<String, Object> resync = again.await("assigned", f -> customer.equals(f.get("customer")), SOON);
            assertEquals("still there?", ((Map<?, ?>) ((List<?>) resync.get("history")).get(0)).get("body"));
            again.await("presence", f -> "available".equals(f.get("presence")), SOON);
            sleep(4000);
            assertEquals(ann, History.conversation(customer, "assigned").getString("agent"));
        }
    }

    private static io.restassured.response.Response postStatus(String sid, String status) {
        Map<String, String> params = new java.util.LinkedHashMap<>(
                Map.of("MessageSid", sid, "SmsSid", sid, "MessageStatus", status, "SmsStatus", status, "AccountSid",
                        Webhooks.ACCOUNT, "ApiVersion", "2010-04-01"));
        String url = "http://localhost:" + RestAssured.port + "/twilio/status";
        return RestAssured.given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, url, params))
                .body(TwilioSignature.formBody(params)).post("/twilio/status");
    }

    static String conversation(String customer) {
        return Webhooks.BUSINESS + "#" + customer;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> message(Map<String, Object> frame) {
        return (Map<String, Object>) frame.get("message");
    }

    private static Set<String> customersOf(AgentClient client) {
        Set<String> held = new HashSet<>();
        client.frames().forEach(f -> {
            if ("assigned".equals(f.get("type"))) {
                held.add((String) f.get("customer"));
            } else if ("unassigned".equals(f.get("type"))) {
                held.remove(((String) f.get("conversation")).substring(Webhooks.BUSINESS.length() + 1));
            }
        });
        return held;
    }

    private static void awaitWaiting(String customer, Duration timeout) {
        awaitTrue(() -> History.conversation(customer, "waiting").get() != null, timeout);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(50);
        }
        org.junit.jupiter.api.Assertions.fail("condition not met within " + timeout);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
