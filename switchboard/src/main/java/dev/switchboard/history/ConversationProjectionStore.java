package dev.switchboard.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.switchboard.history.Conversation.State;

/**
 * Applies a stored message to its conversation's summary item: last message, unread and message counts, the state (a
 * closed conversation reopens when the customer writes), consent. Driven by the messages stream, once per message: the
 * item remembers the stream position and the ids of the last messages applied, so a record delivered again (after a
 * lease take-over, or twice) changes nothing. Records of one conversation arrive in order on one shard, so the only
 * other writers are agents' assignments and releases; every write is conditional on what was read.
 */
@ApplicationScoped
public class ConversationProjectionStore {

    private static final Logger LOG = Logger.getLogger(ConversationProjectionStore.class);
    private static final int ATTEMPTS = 10;
    static final String PROJECTED_EVENT = "projectedEvent";
    static final String PROJECTED_IDS = "projectedIds";
    static final String PROJECTION_VERSION = "projectionVersion";
    static final String LAST_MESSAGE_SEQ = "lastMessageSeq";
    /** The customer's last scored messages: their time-ordered id (seq) to negativity 0..100. */
    static final String RECENT_SCORES = "recentScores";
    /** How many of the customer's last scores make a conversation's negativity. */
    public static final int RECENT_SCORES_KEPT = 3;

    /** What applying a message did. */
    public enum Applied {
        /** The summary now reflects the message. */
        APPLIED,
        /** The message had been applied before; nothing changed. */
        ALREADY_APPLIED
    }

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";

    private final DynamoDbClient dynamo;
    private final HistoryConfig config;
    private final ConversationEvents events;

    ConversationProjectionStore(DynamoDbClient dynamo, HistoryConfig config, ConversationEvents events) {
        this.dynamo = dynamo;
        this.config = config;
        this.events = events;
    }

    /**
     * @param eventId
     *            the stream record's sequence number
     */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Applied apply(Message message, String eventId) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = read(message.conversation());
            if (item != null && alreadyApplied(item, message.id(), eventId)) {
                return Applied.ALREADY_APPLIED;
            }
            UpdateItemRequest update = item == null ? create(message, eventId) : change(item, message, eventId);
            try {
                if (reopens(item, message)) {
                    return reopen(update, message);
                }
                dynamo.updateItem(update);
                return Applied.APPLIED;
            } catch (ConditionalCheckFailedException changed) {
                // An agent's assignment or release got there between the read and the write: read again.
                LOG.debugf("conversation %s changed while projecting %s (attempt %d)", message.conversation(),
                        message.id(), attempt);
            }
        }
        throw new IllegalStateException("conversation " + message.conversation() + " kept changing while projecting "
                + message.id() + "; the record is handled again on the next delivery");
    }

    /**
     * Applies a stored score of an inbound message to its conversation's negativity: the mean of the last
     * {@link #RECENT_SCORES_KEPT} scores, keyed by the message's time-ordered id, so the same score applied again (a
     * re-delivered record) leaves the same map and changes nothing.
     */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Applied applyScore(Message message, StoredSentiment score) {
        String key = message.seq() == null ? message.id() : message.seq();
        int negativity = (int) Math.round(score.negativity() * 100);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = read(message.conversation());
            if (item == null) {
                // Projected with its INSERT before any score can exist; nothing to steer otherwise.
                return Applied.ALREADY_APPLIED;
            }
            TreeMap<String, Integer> scores = new TreeMap<>();
            AttributeValue stored = item.get(RECENT_SCORES);
            if (stored != null && stored.hasM()) {
                stored.m().forEach((seq, value) -> scores.put(seq, Integer.parseInt(value.n())));
            }
            if (Integer.valueOf(negativity).equals(scores.get(key))) {
                return Applied.ALREADY_APPLIED;
            }
            scores.put(key, negativity);
            while (scores.size() > RECENT_SCORES_KEPT) {
                scores.pollFirstEntry();
            }
            if (!scores.containsKey(key)) {
                return Applied.ALREADY_APPLIED; // older than the scores kept: says nothing about now
            }
            int mean = (int) Math.round(scores.values().stream().mapToInt(Integer::intValue).average().orElse(0));
            Map<String, AttributeValue> map = new HashMap<>();
            scores.forEach((seq, value) -> map.put(seq, Attributes.n(value)));
            long version = Attributes.longOf(item, PROJECTION_VERSION);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":scores", AttributeValue.fromM(map), ":neg",
                    Attributes.n(mean), ":version", Attributes.n(version + 1)));
            String condition = "attribute_not_exists(#cv)";
            if (item.containsKey(PROJECTION_VERSION)) {
                condition = "#cv = :seenVersion";
                values.put(":seenVersion", Attributes.n(version));
            }
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, Attributes.s(message.conversation())))
                        .updateExpression("SET #scores = :scores, #neg = :neg, #cv = :version")
                        .conditionExpression(condition).expressionAttributeNames(Map.of("#scores", RECENT_SCORES,
                                "#neg", Conversation.NEGATIVITY, "#cv", PROJECTION_VERSION))
                        .expressionAttributeValues(values).build());
                return Applied.APPLIED;
            } catch (ConditionalCheckFailedException changed) {
                LOG.debugf("conversation %s changed while applying the score of %s (attempt %d)",
                        message.conversation(), message.id(), attempt);
            }
        }
        throw new IllegalStateException("conversation " + message.conversation()
                + " kept changing while applying the score of " + message.id());
    }

    private static boolean reopens(Map<String, AttributeValue> item, Message message) {
        return item != null && message.direction() == Message.Direction.INBOUND
                && State.CLOSED.wire().equals(Attributes.string(item, Conversation.STATE));
    }

    /**
     * The customer wrote to a closed conversation: its summary goes back to waiting together with the history's
     * {@code reopened} marker, in one transaction. The marker is keyed by the message, so it exists exactly when the
     * reopen was applied.
     *
     * @throws ConditionalCheckFailedException
     *             when the summary changed since it was read
     */
    private Applied reopen(UpdateItemRequest update, Message message) {
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder()
                            .update(Update.builder().tableName(update.tableName()).key(update.key())
                                    .updateExpression(update.updateExpression())
                                    .conditionExpression(update.conditionExpression())
                                    .expressionAttributeNames(update.expressionAttributeNames())
                                    .expressionAttributeValues(update.expressionAttributeValues()).build())
                            .build(),
                    events.reopenedByCustomer(message)).build());
            return Applied.APPLIED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && CONDITIONAL_CHECK_FAILED.equals(reasons.get(1).code())) {
                return Applied.ALREADY_APPLIED; // this message's reopen was written before
            }
            if (!reasons.isEmpty() && CONDITIONAL_CHECK_FAILED.equals(reasons.get(0).code())) {
                throw ConditionalCheckFailedException.builder().message("conversation changed").build();
            }
            throw e;
        }
    }

    static boolean alreadyApplied(Map<String, AttributeValue> item, String messageId, String eventId) {
        AttributeValue ids = item.get(PROJECTED_IDS);
        if (ids != null && ids.hasL() && ids.l().stream().anyMatch(id -> messageId.equals(id.s()))) {
            return true;
        }
        // Only the very same record is recognised by its position: sequence numbers are not promised to grow across
        // the shards a stream rolls over to, and wrongly skipping a new message would lose it from the summary.
        return eventId != null && eventId.equals(Attributes.string(item, PROJECTED_EVENT));
    }

    private Map<String, AttributeValue> read(String conversation) {
        Map<String, AttributeValue> item = dynamo
                .getItem(GetItemRequest.builder().tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, Attributes.s(conversation))).consistentRead(true).build())
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    private UpdateItemRequest create(Message message, String eventId) {
        SummaryUpdate update = new SummaryUpdate(config, message);
        update.setLast();
        update.set(Conversation.CREATED_AT, ":at");
        update.set(Conversation.STATE, ":waiting", Attributes.s(State.WAITING.wire()));
        update.set(Conversation.STATE_SINCE, ":at");
        update.consent(null);
        update.remember(List.of(), eventId, 0);
        update.counts();
        return update.build("attribute_not_exists(#cid)", Map.of("#cid", Conversation.ID));
    }

    private UpdateItemRequest change(Map<String, AttributeValue> item, Message message, String eventId) {
        SummaryUpdate update = new SummaryUpdate(config, message);
        String lastSeq = Attributes.string(item, LAST_MESSAGE_SEQ);
        boolean newer = lastSeq == null || message.seq() == null || message.seq().compareTo(lastSeq) > 0;
        // A private note is history for agents, not the conversation's last word: preview and counts stay.
        if (newer && message.direction() != Message.Direction.NOTE) {
            update.setLast();
        }
        State state = State.fromWire(Attributes.string(item, Conversation.STATE));
        if (state == State.CLOSED && message.direction() == Message.Direction.INBOUND) {
            // A customer writing again reopens the conversation and puts it back in the queue.
            update.set(Conversation.STATE, ":waiting", Attributes.s(State.WAITING.wire()));
            update.set(Conversation.STATE_SINCE, ":at");
        }
        update.consent(Attributes.longOrNull(item, Conversation.CONSENT_CHANGED_AT));
        List<String> remembered = new ArrayList<>();
        AttributeValue ids = item.get(PROJECTED_IDS);
        if (ids != null && ids.hasL()) {
            ids.l().forEach(id -> remembered.add(id.s()));
        }
        long version = Attributes.longOf(item, PROJECTION_VERSION);
        update.remember(remembered, eventId, version);
        update.counts();
        Map<String, String> names = Map.of("#cv", PROJECTION_VERSION, "#cs", Conversation.STATE);
        boolean versioned = item.containsKey(PROJECTION_VERSION);
        if (versioned) {
            // An item no message was projected into yet (a conversation an agent started) has no version: DynamoDB
            // refuses a value the expression does not use.
            update.value(":seenVersion", Attributes.n(version));
        }
        update.value(":seenState", Attributes.s(state.wire()));
        String condition = (versioned ? "#cv = :seenVersion" : "attribute_not_exists(#cv)") + " AND #cs = :seenState";
        return update.build(condition, names);
    }
}
