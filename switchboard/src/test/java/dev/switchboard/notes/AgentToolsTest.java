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
