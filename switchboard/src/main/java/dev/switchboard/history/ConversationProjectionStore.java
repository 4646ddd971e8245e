package dev.switchboard.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Applies a stored message to its conversation's summary item: last message, unread and message counts, the state (a
 * closed conversation reopens when the customer writes), consent. Driven by the messages stream, once per message: the
 * item remembers the stream position and the ids of the last messages applied, so a record delivered again (after a
 * lease take-over, or twice) changes nothing. Records of one conversation arrive in order on one shard, so the only
 * other writers are agents' assignments and releases; every write is conditional on what was read. The messages of one
 * conversation in one stream batch are applied together, with one write ({@link ProjectionWrite}).
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

    /** One message to apply, with its stream record's id (its sequence number). */
    public record Applying(Message message, String eventId) {
    }

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";

    private final DynamoDbClient dynamo;
    private final HistoryConfig config;
    private final ConversationEvents events;
    private final RecentSummaries recent = new RecentSummaries();

    ConversationProjectionStore(DynamoDbClient dynamo, HistoryConfig config, ConversationEvents events) {
        this.dynamo = dynamo;
        this.config = config;
        this.events = events;
    }

    /**
     * Applies messages of one conversation, in stream order, with one conditional write of its summary: a stream batch
     * that carries several messages of a conversation costs one write, not one each. The summary is taken from this
     * instance's last write of it when there is one (no read); any other writer since then fails the write's condition,
     * and the summary is read again.
     *
     * @return how many of the messages were applied now; the others had been applied before
     */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public int applyAll(String conversation, List<Applying> messages) {
        Set<String> reopenedBefore = new HashSet<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = attempt == 1 ? recent.item(conversation) : null;
            if (item == null) {
                item = read(conversation);
            }
            ProjectionWrite write = new ProjectionWrite(config, conversation, item);
            write.assumeApplied(reopenedBefore);
            for (Applying applying : messages) {
                write.add(applying.message(), applying.eventId());
            }
            if (write.applied() == 0) {
                return 0;
            }
            try {
                if (write.reopenedBy() != null) {
                    if (reopen(write)) {
                        return write.applied();
                    }
                    reopenedBefore.add(write.reopenedBy().id());
                    continue;
                }
                UpdateItemResponse written = dynamo.updateItem(write.request());
                recent.wrote(conversation, written.attributes(), write.events());
                return write.applied();
            } catch (ConditionalCheckFailedException changed) {
                // An agent's assignment or release (or another instance, after a take-over) got there first.
                recent.forget(conversation);
                LOG.debugf("conversation %s changed while projecting %d messages (attempt %d)", conversation,
                        messages.size(), attempt);
            }
        }
        throw new IllegalStateException("conversation " + conversation + " kept changing while projecting "
                + messages.size() + " messages; their records are handled again on the next delivery");
    }

    /**
     * The conversation as the write that applied this stream record left it, when that write was this instance's last
     * of the conversation and happened within {@link RecentSummaries#FRESH}: what routing would otherwise read back
     * right after the projection.
     */
    public Optional<Conversation> projected(String conversation, String eventId) {
        return recent.justWritten(conversation, eventId).map(Conversation::from);
    }

    /**
     * Applies a stored score of an inbound message to its conversation's negativity: the mean of the last
     * {@link #RECENT_SCORES_KEPT} scores, keyed by the message's time-ordered id, so the same score applied again (a
     * re-delivered record) leaves the same map and changes nothing. Like {@link #applyAll}, it starts from this
     * instance's last write of the summary when there is one, and routing then takes what it wrote for {@code eventId}
     * ({@link #projected}).
     */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Applied applyScore(Message message, StoredSentiment score, String eventId) {
        String key = message.seq() == null ? message.id() : message.seq();
        int negativity = (int) Math.round(score.negativity() * 100);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            // As for messages: this instance's last write of the summary, unless another writer came since.
            Map<String, AttributeValue> item = attempt == 1 ? recent.item(message.conversation()) : null;
            if (item == null) {
                item = read(message.conversation());
            }
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
                UpdateItemResponse written = dynamo
                        .updateItem(UpdateItemRequest.builder().tableName(config.conversationsTable())
                                .key(Map.of(Conversation.ID, Attributes.s(message.conversation())))
                                .updateExpression("SET #scores = :scores, #neg = :neg, #cv = :version")
                                .conditionExpression(condition)
                                .expressionAttributeNames(Map.of("#scores", RECENT_SCORES, "#neg",
                                        Conversation.NEGATIVITY, "#cv", PROJECTION_VERSION))
                                .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW).build());
                recent.wrote(message.conversation(), written.attributes(),
                        eventId == null ? Set.of() : Set.of(eventId));
                return Applied.APPLIED;
            } catch (ConditionalCheckFailedException changed) {
                recent.forget(message.conversation());
                LOG.debugf("conversation %s changed while applying the score of %s (attempt %d)",
                        message.conversation(), message.id(), attempt);
            }
        }
        throw new IllegalStateException("conversation " + message.conversation()
                + " kept changing while applying the score of " + message.id());
    }

    /**
     * The customer wrote to a closed conversation: its summary goes back to waiting together with the history's
     * {@code reopened} marker, in one transaction. The marker is keyed by the message, so it exists exactly when the
     * reopen was applied. A transaction returns no item, so routing reads the summary this time.
     *
     * @return false when the marker exists: that message's reopen was applied before
     *
     * @throws ConditionalCheckFailedException
     *             when the summary changed since it was read
     */
    private boolean reopen(ProjectionWrite write) {
        UpdateItemRequest update = write.request();
        recent.forget(update.key().get(Conversation.ID).s());
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder()
                            .update(Update.builder().tableName(update.tableName()).key(update.key())
                                    .updateExpression(update.updateExpression())
                                    .conditionExpression(update.conditionExpression())
                                    .expressionAttributeNames(update.expressionAttributeNames())
                                    .expressionAttributeValues(update.expressionAttributeValues()).build())
                            .build(),
                    events.reopenedByCustomer(write.reopenedBy())).build());
            return true;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && CONDITIONAL_CHECK_FAILED.equals(reasons.get(1).code())) {
                return false;
            }
            if (!reasons.isEmpty() && CONDITIONAL_CHECK_FAILED.equals(reasons.get(0).code())) {
                throw ConditionalCheckFailedException.builder().message("conversation changed").build();
            }
            throw e;
        }
    }

    /** The summary item, read consistently; null when there is none. */
    private Map<String, AttributeValue> read(String conversation) {
        Map<String, AttributeValue> item = dynamo
                .getItem(GetItemRequest.builder().tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, Attributes.s(conversation))).consistentRead(true).build())
                .item();
        return item == null || item.isEmpty() ? null : item;
    }
}
