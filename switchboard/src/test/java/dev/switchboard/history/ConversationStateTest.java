package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Webhooks;

/** The conversation summary, projected from the messages stream, in the cases that need more than counting. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ConversationStateTest {

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @Test
    void customerWritingToAClosedConversationReopensIt() {
        String customer = Webhooks.newCustomer();
        Webhooks.post(Webhooks.sms(customer, "my parcel is late")).then().statusCode(200);
        History.awaitConversation(customer, "waiting", 1);
        set(customer, "#s = :v", "state", AttributeValue.fromS("closed"));
        assertEquals("closed", History.conversation(customer, "closed").getString("state"));

        Webhooks.post(Webhooks.sms(customer, "it is still late")).then().statusCode(200);

        JsonPath reopened = History.awaitConversation(customer, "waiting", 2);
        assertEquals("waiting", reopened.getString("state"));
        assertEquals("it is still late", reopened.getString("lastMessagePreview"));
        assertEquals(2, reopened.getInt("unread"));
        assertNull(History.conversation(customer, "closed").get());
    }

    @Test
    void aMessageOlderThanTheLastCountsButDoesNotReplaceIt() {
        String customer = Webhooks.newCustomer();
        Webhooks.post(Webhooks.sms(customer, "newest")).then().statusCode(200);
        String newest = History.awaitConversation(customer, "waiting", 1).getString("lastMessageId");
        // As if the next message had been written with an older time (another instance's clock a little behind).
        set(customer, "#s = :v", "lastMessageSeq", AttributeValue.fromS("ZZZZZZZZZZZZZZZZZZZZZZZZZZ"));

        Webhooks.post(Webhooks.sms(customer, "late arrival")).then().statusCode(200);

        JsonPath conversation = History.awaitConversation(customer, "waiting", 2);
        assertEquals(newest, conversation.getString("lastMessageId"));
        assertEquals("newest", conversation.getString("lastMessagePreview"));
        assertEquals(2, conversation.getInt("unread"));
        assertEquals(2, History.messages(customer).getList("messages").size());
    }

    private void set(String customer, String expression, String attribute, AttributeValue value) {
        dynamo.updateItem(b -> b.tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, AttributeValue.fromS(Webhooks.BUSINESS + "#" + customer)))
                .updateExpression("SET " + expression).expressionAttributeNames(Map.of("#s", attribute))
                .expressionAttributeValues(Map.of(":v", value)));
    }
}
