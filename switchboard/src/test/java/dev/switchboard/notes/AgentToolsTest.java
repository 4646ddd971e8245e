package dev.switchboard.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.history.MessageIds;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.CrashState;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/**
 * The agent's tools on the socket and their permission rules: a private note is history but never reaches the customer
 * (read back from the stand-in's own inspection API, with a reply as positive control); {@code read} clears unread on
 * the server and reaches every socket of the agent; {@code retry} sends a failed reply again as a new attempt. Nobody
 * acts on a conversation that is not theirs.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class AgentToolsTest {

    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @Inject
    MessageIds ids;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void aNoteIsHistoryForAgentsAndNeverReachesTheCustomer() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "my order is late")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            a.send(Map.of("type", "note", "conversation", conversation, "body", "VIP: refund without asking"));
            Map<String, Object> update = a.await("update", f -> "note".equals(message(f).get("direction")), SOON);
            assertEquals("VIP: refund without asking", message(update).get("body"));
            assertEquals(ann, message(update).get("agent"));
            a.send(Map.of("type", "response", "conversation", conversation, "body", "Sorry! Sending a new one."));

            // Someone else's conversation: refused, nothing stored.
            b.send(Map.of("type", "note", "conversation", conversation, "body", "not mine"));
            assertEquals("not_assigned", b.await("error", SOON).get("code"));

            // Positive control: the reply reaches the stand-in, so anything else would have by then.
            Awaitility.await().atMost(SOON).until(() -> standInBodies(customer).contains("Sorry! Sending a new one."));
            assertEquals(List.of("Sorry! Sending a new one."), standInBodies(customer));

            // The note is in the history whoever reads it, and it is neither the preview nor unread.
            var messages = History.messages(customer).getList("messages", Map.class);
            assertEquals(3, messages.size());
            Map<?, ?> note = messages.stream().filter(m -> "note".equals(m.get("direction"))).findFirst().orElseThrow();
            assertEquals("VIP: refund without asking", note.get("body"));
            assertEquals("note", note.get("status"));
            assertTrue(messages.stream().noneMatch(m -> "not mine".equals(m.get("body"))));
            var summary = History.awaitConversation(customer, "assigned", 2);
            assertEquals("Sorry! Sending a new one.", summary.getString("lastMessagePreview"));
            assertEquals(1, summary.getInt("unread"));
            assertEquals(2, summary.getInt("messageCount"));

            // An empty note is refused.
            a.send(Map.of("type", "note", "conversation", conversation, "body", " "));
            assertEquals("empty_body", a.await("error", SOON).get("code"));
        }
    }

    @Test
    void readClearsUnreadOnTheServerAndOnEverySocketOfTheAgent() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "hello?")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            Webhooks.post(Webhooks.sms(customer, "anyone?")).then().statusCode(200);
            History.awaitConversation(customer, "assigned", c -> c.getInt("unread") == 2);

            b.send(Map.of("type", "read", "conversation", conversation));
            assertEquals("not_assigned", b.await("error", SOON).get("code"));
            assertEquals(2, History.conversation(customer, "assigned").getInt("unread"));

            try (AgentClient second = Agents.connect(ann)) {
                second.await("assigned", f -> customer.equals(f.get("customer")), SOON);
                a.send(Map.of("type", "read", "conversation", conversation));
                Map<String, Object> read = second.await("read", f -> conversation.equals(f.get("conversation")), SOON);
                assertEquals(0, read.get("unread"));
                a.await("read", f -> conversation.equals(f.get("conversation")), SOON);
            }
            assertEquals(0, History.conversation(customer, "assigned").getInt("unread"));

            // The next text counts from zero again.
            Webhooks.post(Webhooks.sms(customer, "still there?")).then().statusCode(200);
            History.awaitConversation(customer, "assigned", c -> c.getInt("messageCount") == 3);
            assertEquals(1, History.conversation(customer, "assigned").getInt("unread"));
        }
    }

    @Test
    void retrySendsAFailedReplyAgainAsANewAttemptAndKeepsTheOld() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "where is it?")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            // A reply whose instance died inside the Twilio call: failed / unknown_outcome.
            String lost = ids.next();
            long claimUntil = System.currentTimeMillis() + 2_000;
            CrashState.reply(dynamo, config.messagesTable(), customer, ann, lost, lost, "It ships today.", claimUntil,
                    claimUntil - 1_000);
            a.await("status", f -> lost.equals(f.get("messageId")) && "unknown_outcome".equals(f.get("reason")), SOON);

            Map<String, Object> retry = Map.of("type", "retry", "conversation", conversation, "messageId", lost);
            a.send(retry);
            a.send(retry); // a double click: one new attempt
            Map<String, Object> attempt = a.await("update",
                    f -> lost.equals(((Map<?, ?>) message(f).get("details")).get("retryOf")), SOON);
            String attemptId = (String) message(attempt).get("id");
            a.await("status", f -> attemptId.equals(f.get("messageId")) && "delivered".equals(f.get("status")), SOON);
            assertEquals(List.of("It ships today."), standInBodies(customer));

            var messages = History.messages(customer).getList("messages", Map.class);
            assertEquals(3, messages.size());
            Map<?, ?> old = messages.stream().filter(m -> lost.equals(m.get("id"))).findFirst().orElseThrow();
            assertEquals("failed", old.get("status"));
            assertEquals("unknown_outcome", old.get("reason"));

            // Only a failed reply of this conversation can be retried.
            a.send(Map.of("type", "retry", "conversation", conversation, "messageId", attemptId));
            assertEquals("not_failed", a.await("error", SOON).get("code"));
            a.send(Map.of("type", "retry", "conversation", conversation, "messageId", "no-such-message"));
            assertEquals("bad_request", a.await("error", f -> !"not_failed".equals(f.get("code")), SOON).get("code"));
            assertFalse(standInBodies(customer).size() > 1);
        }
    }

    @Test
    void startOpensAConversationAssignedToTheCallerAndSendsTheFirstText() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        String other = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            a.await("presence", SOON);
            // Room for one: the second start is refused, and nothing goes to that number.
            a.send(Map.of("type", "available", "capacity", 1));
            a.await("presence", f -> Integer.valueOf(1).equals(f.get("capacity")), SOON);
            a.send(Map.of("type", "start", "customer", customer, "body", "Hi! Your table for 4 is ready at 8.",
                    "clientId", "start-1"));
            Map<String, Object> assigned = a.await("assigned", f -> customer.equals(f.get("customer")), SOON);
            assertEquals(Webhooks.BUSINESS + "#" + customer, assigned.get("conversation"));
            Awaitility.await().atMost(SOON)
                    .until(() -> standInBodies(customer).contains("Hi! Your table for 4 is ready at 8."));
            var summary = History.awaitConversation(customer, "assigned", 1);
            assertEquals(ann, summary.getString("agent"));
            assertEquals("Hi! Your table for 4 is ready at 8.", summary.getString("lastMessagePreview"));
            assertEquals(0, summary.getInt("unread"));

            a.send(Map.of("type", "start", "customer", other, "body", "Hello from us"));
            assertEquals("agent_unavailable", a.await("error", SOON).get("code"));

            // Another agent cannot take it over by starting it again.
            b.send(Map.of("type", "start", "customer", customer, "body", "me too"));
            assertEquals("not_assigned", b.await("error", SOON).get("code"));
            b.send(Map.of("type", "start", "customer", "5551234", "body", "hello"));
            assertEquals("bad_request", b.await("error", f -> !"not_assigned".equals(f.get("code")), SOON).get("code"));

            // A customer answering lands in the started conversation, with its agent.
            Webhooks.post(Webhooks.sms(customer, "Great, thanks")).then().statusCode(200);
            a.await("update", f -> "Great, thanks".equals(message(f).get("body")), SOON);
            assertEquals(List.of("Hi! Your table for 4 is ready at 8."), standInBodies(customer));
            assertTrue(standInBodies(other).isEmpty());
        }
    }

    @Test
    void startToAnOptedOutNumberIsRefused() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann)) {
            a.await("presence", SOON);
            Webhooks.post(Webhooks.sms(customer, "STOP")).then().statusCode(200);
            Awaitility.await().atMost(FIRST).until(() -> optedOut(customer));

            a.send(Map.of("type", "start", "customer", customer, "body", "We miss you! 20% off today."));
            assertEquals("opted_out", a.await("error", SOON).get("code"));
            a.assertNone("assigned", f -> customer.equals(f.get("customer")), Duration.ofSeconds(2));
            // Positive control: once they text START, the same start goes through.
            Webhooks.post(Webhooks.sms(customer, "START")).then().statusCode(200);
            Awaitility.await().atMost(SOON).until(() -> !optedOut(customer));
            Queue.closeAllOpen(dynamo, config);
            a.send(Map.of("type", "start", "customer", customer, "body", "Welcome back!"));
            a.await("assigned", f -> customer.equals(f.get("customer")), SOON);
            Awaitility.await().atMost(SOON).until(() -> standInBodies(customer).contains("Welcome back!"));
            assertEquals(List.of("Welcome back!"), standInBodies(customer));
        }
    }

    @Test
    void theTransferPickerListsAgentsWithRoomAndARefusalSaysWhy() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String cat = Agents.create("cat");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob);
                AgentClient c = Agents.connect(cat)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            c.send(Map.of("type", "available", "capacity", 1));
            c.await("presence", f -> "available".equals(f.get("presence")), SOON);
            b.await("presence", SOON);
            c.send(Map.of("type", "start", "customer", Webhooks.newCustomer(), "body", "cat is now full"));
            c.await("assigned", SOON);
            Webhooks.post(Webhooks.sms(customer, "transfer me")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            String token = Auth.token(ann, Auth.PASSWORD);
            var listed = RestAssured.given().auth().oauth2(token).queryParam("available", true).get("/agents").then()
                    .statusCode(200).extract().jsonPath();
            List<String> names = listed.getList("agents.agent", String.class);
            assertTrue(names.contains(ann), names.toString());
            assertFalse(names.contains(bob), "away: " + names);
            assertFalse(names.contains(cat), "full: " + names);
            Map<String, Object> me = listed.getMap("agents.find { it.agent == '" + ann + "' }");
            assertEquals(2, me.get("free"));
            assertEquals(3, me.get("capacity"));
            RestAssured.given().auth().oauth2(token).get("/agents").then().statusCode(400);
            RestAssured.given().queryParam("available", true).get("/agents").then().statusCode(401);

            a.send(Map.of("type", "transfer", "conversation", conversation, "agent", "nobody-" + ann));
            assertTrue(((String) a.await("error", SOON).get("reason")).startsWith("no such agent"));
            a.send(Map.of("type", "transfer", "conversation", conversation, "agent", bob));
            assertTrue(((String) a.await("error", f -> ((String) f.get("reason")).contains(bob), SOON).get("reason"))
                    .contains("offline"));
            a.send(Map.of("type", "transfer", "conversation", conversation, "agent", cat));
            assertTrue(((String) a.await("error", f -> ((String) f.get("reason")).contains(cat), SOON).get("reason"))
                    .contains("full"));
            assertEquals(ann, History.conversation(customer, "assigned").getString("agent"));
        }
    }

    private static boolean optedOut(String customer) {
        for (String state : List.of("waiting", "assigned", "closed")) {
            var c = History.conversation(customer, state);
            if (c.get() != null) {
                return c.getBoolean("optedOut");
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> message(Map<String, Object> frame) {
        return (Map<String, Object>) frame.get("message");
    }

    /** What the stand-in says it was asked to send to the customer, through its inspection API. */
    private static List<String> standInBodies(String customer) {
        return RestAssured.given().baseUri(LocalServersResource.standIn().url()).queryParam("to", customer)
                .get("/_standin/messages").then().statusCode(200).extract().jsonPath().getList("body", String.class);
    }
}
