package dev.switchboard.history;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Work owed on message items (a reply to send, media to fetch), claimed with a lease: a conditional update naming the
 * owner and an expiry. Only one instance holds a claim at a time; a claim that expired (its holder died) may be taken
 * again. The sparse index {@link Message#BY_WORK_INDEX} lists owed work by due time, so sweepers on any number of
 * instances read only what is due and race only through these conditions.
 */
@ApplicationScoped
public class WorkStore {

    /** Reason recorded on a reply whose instance died while Twilio was being called. */
    public static final String UNKNOWN_OUTCOME = "unknown_outcome";

    /** A message owing work, as the index lists it. */
    public record Due(String conversation, String id) {
    }

    /** A claim taken: the message as it is now, and how many claims were taken on it so far (this one included). */
    public record Claim(Message message, long attempts) {
    }

    private final DynamoDbClient dynamo;
    private final HistoryConfig config;

    WorkStore(DynamoDbClient dynamo, HistoryConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    /** Owed work of one kind whose due time has come, oldest first. */
    @Timeout(10_000)
    public List<Due> due(String kind, long now, int limit) {
        return dynamo
                .query(QueryRequest.builder().tableName(config.messagesTable()).indexName(Message.BY_WORK_INDEX)
                        .keyConditionExpression("#work = :kind AND #due <= :now")
                        .expressionAttributeNames(Map.of("#work", Message.WORK, "#due", Message.WORK_DUE))
                        .expressionAttributeValues(Map.of(":kind", Attributes.s(kind), ":now", Attributes.n(now)))
                        .limit(limit).build())
                .items().stream().map(item -> new Due(Attributes.string(item, Message.CONVERSATION),
                        Attributes.string(item, Message.ID)))
                .toList();
    }

    /**
     * Claims owed work unless another instance holds an unexpired claim. A reply already being sent (its Twilio call
     * may have been made) is never claimed again.
     *
     * @param until
     *            when the claim expires (epoch ms)
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public Optional<Claim> claim(String conversation, String id, String kind, String owner, long until) {
        long now = System.currentTimeMillis();
        Map<String, String> names = HistoryStore.withWorkNames(Map.of("#attempts", Message.ATTEMPTS));
        names.put("#sending", Message.SENDING_AT);
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(config.messagesTable()).key(key(conversation, id))
                    .updateExpression(
                            "SET #claimOwner = :owner, #claimUntil = :until, #workDue = :until" + " ADD #attempts :one")
                    .conditionExpression("#work = :kind AND attribute_not_exists(#sending)"
                            + " AND (attribute_not_exists(#claimOwner) OR #claimUntil < :now)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":owner", Attributes.s(owner), ":until", Attributes.n(until),
                            ":one", Attributes.n(1), ":kind", Attributes.s(kind), ":now", Attributes.n(now)))
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            return Optional.of(new Claim(Message.from(item), Attributes.longOf(item, Message.ATTEMPTS)));
        } catch (ConditionalCheckFailedException taken) {
            return Optional.empty();
        }
    }

    /**
     * Records, while the claim is still ours, that Twilio is about to be called; extends the claim by {@code lease}.
     * From here on a crash leaves the outcome unknown: {@link #failUnknownOutcome} settles it, nothing resends it.
     */
    @Timeout(10_000)
    public boolean markSending(String conversation, String id, String owner, Duration lease) {
        long now = System.currentTimeMillis();
        Map<String, String> names = HistoryStore.withWorkNames(Map.of("#sending", Message.SENDING_AT));
        names.remove("#work");
        names.put("#status", Message.STATUS);
        try {
            dynamo.updateItem(
                    UpdateItemRequest.builder().tableName(config.messagesTable()).key(key(conversation, id))
                            .updateExpression("SET #sending = :now, #claimUntil = :until, #workDue = :until")
                            .conditionExpression("#claimOwner = :owner AND #claimUntil >= :now AND"
                                    + " attribute_not_exists(#sending) AND #status = :queued")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(Map.of(":now", Attributes.n(now), ":until",
                                    Attributes.n(now + lease.toMillis()), ":owner", Attributes.s(owner), ":queued",
                                    Attributes.s(MessageStatus.QUEUED.wire())))
                            .build());
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /**
     * Settles a reply whose sender died after deciding to call Twilio and before recording the answer: it becomes
     * {@code failed} with reason {@link #UNKNOWN_OUTCOME}, shown to the agent, never silently sent again.
     *
     * @return false unless the reply was in exactly that state (being sent, claim expired, no answer)
     */
    @Timeout(10_000)
    public boolean failUnknownOutcome(String conversation, String id) {
        long now = System.currentTimeMillis();
        Map<String, String> names = HistoryStore.withWorkNames(Map.of("#sending", Message.SENDING_AT));
        names.putAll(Map.of("#status", Message.STATUS, "#reason", Message.REASON, "#error", Message.ERROR_MESSAGE,
                "#updated", Message.UPDATED_AT, "#times", Message.STATUS_TIMES, "#failed",
                MessageStatus.FAILED.wire()));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", Attributes.n(now));
        values.put(":reply", Attributes.s(HistoryStore.REPLY_WORK));
        values.put(":queued", Attributes.s(MessageStatus.QUEUED.wire()));
        values.put(":failed", Attributes.s(MessageStatus.FAILED.wire()));
        values.put(":reason", Attributes.s(UNKNOWN_OUTCOME));
        values.put(":error", Attributes.s("the switchboard stopped while handing this reply to Twilio; it may or may"
                + " not have reached the customer, and was not sent again"));
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.messagesTable()).key(key(conversation, id))
                    .updateExpression("SET #status = :failed, #reason = :reason, #error = :error, #updated = :now,"
                            + " #times.#failed = :now" + HistoryStore.FINISH_WORK)
                    .conditionExpression("#work = :reply AND attribute_exists(#sending) AND #claimUntil < :now"
                            + " AND #status = :queued")
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException notThatState) {
            return false;
        }
    }

    /** Brings a claim's expiry forward to {@code until}, while it is ours. */
    @Timeout(10_000)
    public boolean shorten(String conversation, String id, String owner, long until) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.messagesTable()).key(key(conversation, id))
                    .updateExpression("SET #claimUntil = :until, #workDue = :until")
                    .conditionExpression("#claimOwner = :owner")
                    .expressionAttributeNames(Map.of("#claimUntil", Message.CLAIM_UNTIL, "#workDue", Message.WORK_DUE,
                            "#claimOwner", Message.CLAIM_OWNER))
                    .expressionAttributeValues(Map.of(":owner", Attributes.s(owner), ":until", Attributes.n(until)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    /** The work is done: the item leaves the work index. Only the claim's holder may say so. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public boolean finish(String conversation, String id, String owner) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.messagesTable()).key(key(conversation, id))
                    .updateExpression(HistoryStore.FINISH_WORK.trim()).conditionExpression("#claimOwner = :owner")
                    .expressionAttributeNames(HistoryStore.withWorkNames(Map.of()))
                    .expressionAttributeValues(Map.of(":owner", Attributes.s(owner))).build());
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String conversation, String id) {
        return Map.of(Message.CONVERSATION, Attributes.s(conversation), Message.ID, Attributes.s(id));
    }
}
