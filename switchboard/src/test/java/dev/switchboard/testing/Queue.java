package dev.switchboard.testing;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryConfig;

/**
 * Tests share one table, and routing serves the longest-waiting conversation first: a routing test starts by closing
 * what earlier tests left waiting, so that its own conversations are the queue.
 */
public final class Queue {

    private Queue() {
    }

    public static void closeAllWaiting(DynamoDbClient dynamo, HistoryConfig config) {
        dynamo.queryPaginator(b -> b.tableName(config.conversationsTable()).indexName(Conversation.BY_STATE_INDEX)
                .keyConditionExpression("#s = :w").expressionAttributeNames(Map.of("#s", Conversation.STATE))
                .expressionAttributeValues(Map.of(":w", AttributeValue.fromS("waiting")))).items()
                .forEach(item -> dynamo.updateItem(b -> b.tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, item.get(Conversation.ID))).updateExpression("SET #s = :c")
                        .conditionExpression("#s = :w").expressionAttributeNames(Map.of("#s", Conversation.STATE))
                        .expressionAttributeValues(
                                Map.of(":c", AttributeValue.fromS("closed"), ":w", AttributeValue.fromS("waiting")))));
    }
}
