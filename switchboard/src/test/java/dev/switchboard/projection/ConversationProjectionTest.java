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
import dev.switchboard.history.ConversationProjectionStore;
import dev.switchboard.history.HistoryConfig;
import dev.switchboard.history.Message;
import dev.switchboard.history.StoredSentiment;
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
    ConversationProjectionStore store;

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

    @Test
    void aBatchIsOneWritePerConversationAndDeliveredAgainChangesNothing() throws Exception {
        String ann = Webhooks.newCustomer();
        String bob = Webhooks.newCustomer();
        Map<String, String> annFirst = Webhooks.sms(ann, "first of ann");
        Map<String, String> bobFirst = Webhooks.sms(bob, "first of bob");
        Webhooks.post(annFirst).then().statusCode(200);
        Webhooks.post(bobFirst).then().statusCode(200);
        MessageChange annInsert = insertOf(annFirst.get("MessageSid"));
        MessageChange bobInsert = insertOf(bobFirst.get("MessageSid"));
        History.awaitConversation(ann, "waiting", 1);
        History.awaitConversation(bob, "waiting", 1);
        long annVersion = version(ann);
        long bobVersion = version(bob);

        // One stream batch: three new messages of ann (the middle one opts out), one of bob, a duplicate record of
        // ann's second, and the first of each again, as a take-over re-delivers them.
        MessageChange ann2 = later(annInsert, 1, "STOP");
        MessageChange ann3 = later(annInsert, 2, "one more thing");
        MessageChange ann4 = later(annInsert, 3, "and the last");
        MessageChange bob2 = later(bobInsert, 4, "second of bob");
        java.util.List<MessageChange> batch = java.util.List.of(annInsert, ann2, bob2, ann3, ann2, bobInsert, ann4);
        projection.onMessageChanges(batch);

        Map<String, AttributeValue> annAfter = item(ann);
        assertEquals(annVersion + 1, Long.parseLong(annAfter.get("projectionVersion").n()), "one write for ann");
        assertEquals("4", annAfter.get("messageCount").n());
        assertEquals("4", annAfter.get("unread").n());
        assertEquals("and the last", annAfter.get("lastMessagePreview").s());
        assertEquals(true, annAfter.get("optedOut").bool());
        Map<String, AttributeValue> bobAfter = item(bob);
        assertEquals(bobVersion + 1, Long.parseLong(bobAfter.get("projectionVersion").n()), "one write for bob");
        assertEquals("2", bobAfter.get("messageCount").n());
        assertEquals("second of bob", bobAfter.get("lastMessagePreview").s());

        // The whole batch again: nothing changes.
        projection.onMessageChanges(batch);
        assertEquals(annAfter, item(ann));
        assertEquals(bobAfter, item(bob));
    }

    @Test
    void aBatchReopeningAClosedConversationWritesOneMarkerOnce() throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> first = Webhooks.sms(customer, "first");
        Webhooks.post(first).then().statusCode(200);
        MessageChange insert = insertOf(first.get("MessageSid"));
        History.awaitConversation(customer, "waiting", 1);
        // Closed behind the projection's back, as a resolve on another instance would: what it last wrote is stale.
        dynamo.updateItem(b -> b.tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, AttributeValue.fromS(insert.conversation())))
                .updateExpression("SET #s = :closed").expressionAttributeNames(Map.of("#s", Conversation.STATE))
                .expressionAttributeValues(Map.of(":closed", AttributeValue.fromS("closed"))));

        MessageChange again = later(insert, 1, "are you there?");
        MessageChange andAgain = later(insert, 2, "hello?");
        java.util.List<MessageChange> batch = java.util.List.of(again, andAgain);
        projection.onMessageChanges(batch);

        Map<String, AttributeValue> after = item(customer);
        assertEquals("waiting", after.get(Conversation.STATE).s());
        assertEquals("3", after.get("messageCount").n());
        assertEquals("hello?", after.get("lastMessagePreview").s());
        assertNotNull(marker(insert.conversation(), again.messageId()), "the first new message's reopen is marked");
        assertEquals(null, marker(insert.conversation(), andAgain.messageId()), "one reopen, one marker");

        projection.onMessageChanges(batch);
        assertEquals(after, item(customer));
    }

    @Test
    void aScoreAppliesOverASummaryChangedBehindTheProjectionsBack() throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "this is awful");
        Webhooks.post(sms).then().statusCode(200);
        MessageChange insert = insertOf(sms.get("MessageSid"));
        History.awaitConversation(customer, "waiting", 1);
        // What this instance last wrote is now stale: another writer moved the version on.
        dynamo.updateItem(b -> b.tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, AttributeValue.fromS(insert.conversation())))
                .updateExpression("ADD projectionVersion :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        long version = version(customer);

        Message message = Message.from(insert.newImage());
        assertEquals(ConversationProjectionStore.Applied.APPLIED,
                store.applyScore(message, new StoredSentiment("very_negative", 0, null, "test", 1L), "score-event"));

        Map<String, AttributeValue> after = item(customer);
        assertEquals("100", after.get(Conversation.NEGATIVITY).n());
        assertEquals(version + 1, Long.parseLong(after.get("projectionVersion").n()));
        // Routing takes the summary that write returned for its record, not an older one.
        assertEquals(100, store.projected(insert.conversation(), "score-event").orElseThrow().negativity());
    }

    private Map<String, AttributeValue> marker(String conversation, String messageId) {
        Map<String, AttributeValue> item = dynamo
                .getItem(b -> b.tableName(config.messagesTable()).consistentRead(true).key(Map.of("conversation",
                        AttributeValue.fromS(conversation), "id", AttributeValue.fromS("event-reopened-" + messageId))))
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** A new message of the same conversation, {@code n} records after {@code insert}, with its own id and seq. */
    private static MessageChange later(MessageChange insert, int n, String body) {
        String id = "SM" + Integer.toHexString(n).repeat(32).substring(0, 32);
        Map<String, AttributeValue> image = new HashMap<>(insert.newImage());
        image.put("id", AttributeValue.fromS(id));
        image.put("body", AttributeValue.fromS(body));
        image.put("seq", AttributeValue.fromS("Z".repeat(25) + (char) ('A' + n)));
        String event = new BigInteger(insert.eventId()).add(BigInteger.valueOf(n)).toString();
        return new MessageChange(event, "INSERT", insert.conversation(), id, image, insert.approximateCreation());
    }

    private long version(String customer) {
        return Long.parseLong(item(customer).get("projectionVersion").n());
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
