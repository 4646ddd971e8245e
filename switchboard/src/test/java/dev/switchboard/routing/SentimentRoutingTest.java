package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import dev.switchboard.history.ConversationProjectionStore;
import dev.switchboard.history.HistoryConfig;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.Message;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/**
 * The console's stored score (written onto the message item exactly as the console's scorer writes it) steers routing:
 * the angrier of two waiting customers is answered first, and a score written or delivered twice changes nothing.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class SentimentRoutingTest {

    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @Inject
    HistoryStore history;

    @Inject
    ConversationProjectionStore projection;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void theAngrierCustomerIsAssignedFirstThoughTheyWroteLater() {
        String ann = Agents.create("ann");
        String calm = Webhooks.newCustomer();
        String angry = Webhooks.newCustomer();
        Webhooks.post(Webhooks.sms(calm, "What are your opening hours on Saturday?")).then().statusCode(200);
        // The first change event of a test JVM waits for the KCL's first lease.
        Awaitility.await().atMost(FIRST).until(() -> History.conversation(calm, "waiting").get() != null);
        Map<String, String> text = Webhooks.sms(angry, "THIRD time I write. Nobody answers. Unacceptable!!!");
        Webhooks.post(text).then().statusCode(200);
        History.awaitConversation(angry, "waiting", 1);
        String conversation = RoutingTest.conversation(angry);

        // Positive control: unscored, the later conversation has no boost.
        assertEquals(0, History.conversation(angry, "waiting").getInt("negativity"));
        score(conversation, text.get("MessageSid"), "very_negative", 0);
        History.awaitConversation(angry, "waiting", c -> c.getInt("negativity") == 100);
        assertEquals("negative", History.conversation(angry, "waiting").getString("priority"));

        // Written again (a second console instance, a re-delivered record): refused, the score stays.
        assertThrows(ConditionalCheckFailedException.class,
                () -> score(conversation, text.get("MessageSid"), "very_positive", 4));
        Message stored = history.message(conversation, text.get("MessageSid")).orElseThrow();
        assertEquals("very_negative", stored.sentiment().label());
        // The score's change event delivered again to the projection: nothing changes.
        assertEquals(ConversationProjectionStore.Applied.ALREADY_APPLIED,
                projection.applyScore(stored, stored.sentiment(), null));
        assertEquals(100, History.conversation(angry, "waiting").getInt("negativity"));

        try (AgentClient a = Agents.connect(ann)) {
            a.available(1);
            Map<String, Object> assigned = a.await("assigned", FIRST);
            assertEquals(angry, assigned.get("customer"));
            @SuppressWarnings("unchecked")
            Map<String, Object> last = (Map<String, Object>) ((java.util.List<?>) assigned.get("history")).get(0);
            assertEquals("very_negative", ((Map<?, ?>) last.get("sentiment")).get("label"));
            History.awaitConversation(calm, "waiting", 1);
        }
    }

    @Test
    void aScoreWrittenOntoAnAssignedConversationsMessageReachesItsAgent() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann)) {
            a.available(1);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Map<String, String> text = Webhooks.sms(customer, "my package never arrived");
            Webhooks.post(text).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            score(RoutingTest.conversation(customer), text.get("MessageSid"), "negative", 1);
            Map<String, Object> frame = a.await("sentiment", f -> text.get("MessageSid").equals(f.get("messageId")),
                    SOON);
            assertEquals(RoutingTest.conversation(customer), frame.get("conversation"));
            assertEquals("negative", ((Map<?, ?>) frame.get("sentiment")).get("label"));
            assertEquals(1, ((Map<?, ?>) frame.get("sentiment")).get("score"));
        }
    }

    /** What the console's scorer writes: the score once, never over an existing one. */
    private void score(String conversation, String messageId, String label, int score) {
        dynamo.updateItem(update -> update.tableName(config.messagesTable())
                .key(Map.of("conversation", AttributeValue.fromS(conversation), "id", AttributeValue.fromS(messageId)))
                .updateExpression("SET #s = :s")
                .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#s)")
                .expressionAttributeNames(Map.of("#s", "sentiment", "#id", "id"))
                .expressionAttributeValues(Map.of(":s",
                        AttributeValue.fromM(Map.of("label", AttributeValue.fromS(label), "score",
                                AttributeValue.fromN(Integer.toString(score)), "model", AttributeValue.fromS("test-1"),
                                "at", AttributeValue.fromN(Long.toString(System.currentTimeMillis())))))));
    }
}
