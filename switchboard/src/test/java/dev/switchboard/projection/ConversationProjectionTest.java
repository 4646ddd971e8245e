package dev.switchboard.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.events.MessageChange;
import dev.switchboard.events.RecordingListener;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryConfig;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Webhooks;

/** The projection applies each message once, however often the stream delivers its record. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ConversationProjectionTest {

    @Inject
    ConversationProjection projection;

    @Inject
    RecordingListener recorded;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @Test
    void aRecordDeliveredAgainChangesNothing() throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> first = Webhooks.sms(customer, "first");
        Webhooks.post(first).then().statusCode(200);
        MessageChange firstInsert = insertOf(first.get("MessageSid"));
        Map<String, String> second = Webhooks.sms(customer, "second");
        Webhooks.post(second).then().statusCode(200);
        MessageChange secondInsert = insertOf(second.get("MessageSid"));
        History.awaitConversation(customer, "waiting", 2);
        Map<String, AttributeValue> before = item(customer);

        // As after a lease take-over: the last records come again, the newest and an older one, twice each.
        for (int i = 0; i < 2; i++) {
            projection.onMessageChange(secondInsert);
            projection.onMessageChange(firstInsert);
        }

        assertEquals(before, item(customer));
        assertEquals(2, History.conversation(customer, "waiting").getInt("unread"));
    }

    @Test
    void aNewRecordDrivenTheSameWayIsApplied() throws Exception {
        // The positive control of the test above: the same direct call does change the summary for a new message.
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "hello");
        Webhooks.post(sms).then().statusCode(200);
        MessageChange insert = insertOf(sms.get("MessageSid"));
        History.awaitConversation(customer, "waiting", 1);
        Map<String, AttributeValue> before = item(customer);

        Map<String, AttributeValue> image = new HashMap<>(insert.newImage());
        image.put("id", AttributeValue.fromS("SM" + "f".repeat(32)));
        image.put("body", AttributeValue.fromS("a later text"));
        image.put("seq", AttributeValue.fromS("Z".repeat(26)));
        String laterEvent = new BigInteger(insert.eventId()).add(BigInteger.ONE).toString();
        MessageChange later = new MessageChange(laterEvent, "INSERT", insert.conversation(), "SM" + "f".repeat(32),
                image, insert.approximateCreation());
        projection.onMessageChange(later);
        projection.onMessageChange(later);

        Map<String, AttributeValue> after = item(customer);
        assertNotEquals(before, after);
        assertEquals("2", after.get("messageCount").n());
        assertEquals("2", after.get("unread").n());
        assertEquals("a later text", after.get("lastMessagePreview").s());
    }

    private MessageChange insertOf(String messageId) throws InterruptedException {
        RecordingListener.Seen seen = recorded.await(
                change -> messageId.equals(change.messageId()) && "INSERT".equals(change.eventName()),
                Duration.ofSeconds(120));
        assertNotNull(seen, "the stream delivered the INSERT of " + messageId);
        return seen.change();
    }

    private Map<String, AttributeValue> item(String customer) {
        return dynamo.getItem(b -> b.tableName(config.conversationsTable()).consistentRead(true)
                .key(Map.of(Conversation.ID, AttributeValue.fromS(Webhooks.BUSINESS + "#" + customer)))).item();
    }
}
