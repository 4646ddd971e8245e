package dev.switchboard.history;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * An agent read their conversation: its unread count goes to zero, on condition that it is still assigned to them. The
 * projection adds to {@code unread} with {@code ADD} and guards its own writes by version and state, neither of which
 * this changes, so a customer's text projected at the same moment is counted, never lost.
 */
@ApplicationScoped
public class ReadMarks {

    private final DynamoDbClient dynamo;
    private final HistoryConfig config;

    ReadMarks(DynamoDbClient dynamo, HistoryConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    /** @return false when the conversation is not (or no longer) assigned to {@code agent}; nothing changed then */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public boolean markRead(String conversation, String agent) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.conversationsTable())
                    .key(Map.of(Conversation.ID, Attributes.s(conversation))).updateExpression("SET #unread = :zero")
                    .conditionExpression("#agent = :agent AND #state = :assigned")
                    .expressionAttributeNames(Map.of("#unread", Conversation.UNREAD, "#agent", Conversation.AGENT,
                            "#state", Conversation.STATE))
                    .expressionAttributeValues(Map.of(":zero", Attributes.n(0), ":agent", Attributes.s(agent),
                            ":assigned", Attributes.s(Conversation.State.ASSIGNED.wire())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException notTheirs) {
            return false;
        }
    }
}
