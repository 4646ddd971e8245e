package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.events.MessageChange;
import dev.switchboard.events.RecordingListener;
import dev.switchboard.projection.ConversationProjection;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/**
 * A conversation's history shows where it was resolved and reopened: the resolve writes a {@code resolved} marker with
 * its release, the customer's next text reopens it with a {@code reopened} marker just before that text, and an agent's
 * {@code start} of a closed conversation writes {@code reopened} by them. The markers come in {@code assigned} history
 * and from the history API, and a stream record delivered again writes none.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ResolveReopenMarkersTest {

    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @Inject
    ConversationProjection projection;

    @Inject
    RecordingListener recorded;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void resolvedThenTheCustomerWritesAgainShowsBothMarkersInOrderAndARedeliveryAddsNone() throws Exception {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "my parcel is late")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            a.send(Map.of("type", "resolve", "conversation", conversation));
            a.await("unassigned", f -> conversation.equals(f.get("conversation")), SOON);
            History.awaitConversation(customer, "closed", 1);

            Map<String, String> again = Webhooks.sms(customer, "it still has not come");
            Webhooks.post(again).then().statusCode(200);
            Map<String, Object> reassigned = a.await("assigned",
                    f -> customer.equals(f.get("customer")) && history(f).size() >= 4, SOON);

            List<String> expected = List.of("inbound:my parcel is late", "event:resolved:" + ann, "event:reopened:",
                    "inbound:it still has not come");
            assertEquals(expected, shapes(history(reassigned)));
            Map<String, Object> resolved = history(reassigned).get(1);
            assertEquals("Test " + ann, ((Map<?, ?>) resolved.get("details")).get("agentName"));
            assertEquals("", resolved.get("body"));
            assertNull(history(reassigned).get(2).get("agent"), "reopened by the customer, not by an agent");

            // The history API, newest first.
            List<Map<String, Object>> api = new ArrayList<>(apiHistory(customer));
            java.util.Collections.reverse(api);
            assertEquals(expected, shapes(api));
            // Markers are no messages: not counted, not the preview, not unread.
            var summary = History.awaitConversation(customer, "assigned", 2);
            assertEquals(2, summary.getInt("messageCount"));
            assertEquals("it still has not come", summary.getString("lastMessagePreview"));

            // The reopening record comes again, after the conversation was resolved a second time: the worst moment,
            // since a reopen would be applied again if it were not recognised. Nothing changes.
            a.send(Map.of("type", "resolve", "conversation", conversation));
            a.await("unassigned", f -> conversation.equals(f.get("conversation")) && a.frames("unassigned").size() >= 2,
                    SOON);
            History.awaitConversation(customer, "closed", 2);
            MessageChange reopening = insertOf(again.get("MessageSid"));
            List<String> before = shapes(apiHistory(customer));
            Map<String, AttributeValue> summaryBefore = summaryItem(conversation);
            projection.onMessageChange(reopening);
            projection.onMessageChange(reopening);
            assertEquals(before, shapes(apiHistory(customer)));
            assertEquals(summaryBefore, summaryItem(conversation));
            assertEquals(5, before.size(), "two resolves, one reopen, two texts: " + before);

            // Positive control: a new text to the closed conversation does reopen it, with a marker of its own.
            Webhooks.post(Webhooks.sms(customer, "hello??")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")) && history(f).size() >= 7, SOON);
            List<String> after = shapes(apiHistory(customer));
            assertEquals(List.of("inbound:hello??", "event:reopened:", "event:resolved:" + ann), after.subList(0, 3));
        }
    }

    @Test
    void anAgentStartingAClosedConversationAgainMarksItReopenedByThem() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "thanks, all good")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            a.send(Map.of("type", "resolve", "conversation", conversation));
            a.await("unassigned", f -> conversation.equals(f.get("conversation")), SOON);
            History.awaitConversation(customer, "closed", 1);

            a.send(Map.of("type", "start", "customer", customer, "body", "One more thing about your order"));
            Map<String, Object> assigned = a.await("assigned",
                    f -> customer.equals(f.get("customer")) && history(f).size() >= 3, SOON);
            assertEquals(List.of("inbound:thanks, all good", "event:resolved:" + ann, "event:reopened:" + ann),
                    shapes(history(assigned)).subList(0, 3));
            History.awaitConversation(customer, "assigned", 2);
            List<String> api = shapes(apiHistory(customer));
            assertEquals(List.of("outbound:One more thing about your order", "event:reopened:" + ann,
                    "event:resolved:" + ann, "inbound:thanks, all good"), api, "newest first");

            // Starting a conversation that is already the agent's changes nothing in its history but the text.
            a.send(Map.of("type", "start", "customer", customer, "body", "And a second thing"));
            History.awaitConversation(customer, "assigned", 3);
            List<String> later = shapes(apiHistory(customer));
            assertEquals("outbound:And a second thing", later.get(0));
            assertEquals(2, later.stream().filter(s -> s.startsWith("event:")).count(), later.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> history(Map<String, Object> frame) {
        return (List<Map<String, Object>>) frame.get("history");
    }

    private static List<Map<String, Object>> apiHistory(String customer) {
        return History.messages(customer).getList("messages");
    }

    /** {@code event:<status>:<agent>} for markers, {@code <direction>:<body>} for messages. */
    private static List<String> shapes(List<Map<String, Object>> messages) {
        return messages.stream()
                .map(m -> "event".equals(m.get("direction"))
                        ? "event:" + m.get("status") + ":" + (m.get("agent") == null ? "" : m.get("agent"))
                        : m.get("direction") + ":" + m.get("body"))
                .toList();
    }

    private MessageChange insertOf(String messageId) throws InterruptedException {
        RecordingListener.Seen seen = recorded.await(
                change -> messageId.equals(change.messageId()) && "INSERT".equals(change.eventName()),
                Duration.ofSeconds(60));
        assertNotNull(seen, "the stream delivered the INSERT of " + messageId);
        return seen.change();
    }

    private Map<String, AttributeValue> summaryItem(String conversation) {
        return dynamo.getItem(b -> b.tableName(config.conversationsTable()).consistentRead(true)
                .key(Map.of(Conversation.ID, AttributeValue.fromS(conversation)))).item();
    }
}
