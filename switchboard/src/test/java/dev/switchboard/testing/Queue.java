package dev.switchboard.testing;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryConfig;

/**
 * Tests share one table, and routing serves the longest-waiting conversation first: a routing test starts by closing
 * every conversation earlier tests left open. Assigned ones too: once their agent's grace period runs out they would
 * rejoin the queue in the middle of the next test.
 */
public final class Queue {

    private Queue() {
    }

    public static void closeAllOpen(DynamoDbClient dynamo, HistoryConfig config) {
        for (String state : List.of("waiting", "assigned")) {
            dynamo.queryPaginator(b -> b.tableName(config.conversationsTable()).indexName(Conversation.BY_STATE_INDEX)
                    .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", Conversation.STATE))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(state)))).items()
                    .forEach(item -> close(dynamo, config, item.get(Conversation.ID), state));
        }
    }

    /** A conversation the sweep's drain moves meanwhile (waiting → assigned) is caught by the second state's pass. */
    private static void close(DynamoDbClient dynamo, HistoryConfig config, AttributeValue id, String state) {
        try {
            dynamo.updateItem(b -> b.tableName(config.conversationsTable()).key(Map.of(Conversation.ID, id))
                    .updateExpression("SET #s = :c REMOVE #agent").conditionExpression("#s = :s")
                    .expressionAttributeNames(Map.of("#s", Conversation.STATE, "#agent", Conversation.AGENT))
                    .expressionAttributeValues(
                            Map.of(":c", AttributeValue.fromS("closed"), ":s", AttributeValue.fromS(state))));
        } catch (ConditionalCheckFailedException moved) {
            // Changed state since the query: assigned now (closed by the next pass) or closed already.
        }
    }
}
