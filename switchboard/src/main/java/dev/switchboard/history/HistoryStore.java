package dev.switchboard.history;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.switchboard.history.Conversation.State;

/**
 * Conversation history in DynamoDB: one item per message, one summary item per conversation (projected from the
 * messages stream by {@link ConversationProjectionStore}), one item per Twilio SID of a sent reply (for status
 * callbacks; written by the sender, never on a webhook's path). Every write that must not happen twice is conditional,
 * so any number of instances may write at once.
 */
@ApplicationScoped
public class HistoryStore {

    private static final Logger LOG = Logger.getLogger(HistoryStore.class);
    private static final String SID = "sid";

    public enum Outcome {
        /** The message is new and now stored. */
        STORED,
        /** A message with this MessageSid was stored before; nothing changed. */
        DUPLICATE
    }

    private final DynamoDbClient dynamo;
    private final HistoryConfig config;

    HistoryStore(DynamoDbClient dynamo, HistoryConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    /**
     * Stores an inbound message with one conditional put. Its key is derived from the MessageSid, so a repeated
     * delivery fails the condition and changes nothing. The conversation's summary follows from the stream
     * ({@code ConversationProjection}); an MMS is written owing its media, which the stream or a sweeper fetches.
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Outcome recordInbound(Message message) {
        Map<String, AttributeValue> item = message.media().isEmpty() ? message.toItem()
                : message.toItemOwing(MEDIA_WORK, message.createdAt().toEpochMilli() + config.streamGrace().toMillis());
        return putIfAbsent(item);
    }

    private Outcome putIfAbsent(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(config.messagesTable()).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", Message.ID)).build());
            return Outcome.STORED;
        } catch (ConditionalCheckFailedException repeated) {
            return Outcome.DUPLICATE;
        }
    }

    /** Work kinds owed on a message item. */
    public static final String MEDIA_WORK = "media";
    public static final String REPLY_WORK = "reply";

    /** Records what became of one attachment of a stored message. */
    @Timeout(10_000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100, retryOn = SdkClientException.class)
    public boolean recordMedia(String conversation, String messageId, MediaItem media) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.messagesTable())
                    .key(Map.of(Message.CONVERSATION, Attributes.s(conversation), Message.ID, Attributes.s(messageId)))
                    .updateExpression("SET #media[" + media.index() + "] = :media, #updated = :now")
                    // Only a pending item changes: an outcome recorded once (stored, or failed by the deadline) stays.
                    .conditionExpression("attribute_exists(#id) AND #media[" + media.index() + "].#state = :pending")
                    .expressionAttributeNames(Map.of("#media", Message.MEDIA, "#updated", Message.UPDATED_AT, "#id",
                            Message.ID, "#state", MediaItem.STATE))
                    .expressionAttributeValues(
                            Map.of(":media", media.toAttribute(), ":now", Attributes.n(Instant.now().toEpochMilli()),
                                    ":pending", Attributes.s(MediaItem.State.PENDING.wire())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException settled) {
            return false;
        }
    }

    private Map<String, AttributeValue> conversationItem(String conversation) {
        Map<String, AttributeValue> item = dynamo
                .getItem(GetItemRequest.builder().tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, Attributes.s(conversation))).consistentRead(true).build())
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    public Optional<Conversation> conversation(String conversation) {
        return Optional.ofNullable(conversationItem(conversation)).map(Conversation::from);
    }

    /**
     * A conversation's messages, newest first (by {@link Message#seq()}), strictly older than {@code before} (a seq, as
     * {@link Page#next()} returns it) when given.
     */
    @Timeout(10_000)
    public Page<Message> messages(String conversation, int limit, Optional<String> before) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":c", Attributes.s(conversation));
        String condition = "#c = :c";
        if (before.isPresent()) {
            values.put(":before", Attributes.s(before.get()));
            condition += " AND #seq < :before";
        }
        QueryResponse response = dynamo.query(QueryRequest.builder().tableName(config.messagesTable())
                .indexName(Message.BY_SEQ_INDEX).keyConditionExpression(condition)
                .expressionAttributeNames(before.isPresent() ? Map.of("#c", Message.CONVERSATION, "#seq", Message.SEQ)
                        : Map.of("#c", Message.CONVERSATION))
                .expressionAttributeValues(values).scanIndexForward(false).limit(limit + 1).build());
        List<Message> messages = new ArrayList<>(response.items().stream().map(Message::from).toList());
        String next = null;
        if (messages.size() > limit) {
            messages = messages.subList(0, limit);
            next = messages.get(limit - 1).seq();
        }
        return new Page<>(messages, next);
    }

    /**
     * Conversations in one state: the waiting queue oldest first (the order agents should take them), the others most
     * recent first.
     */
    @Timeout(10_000)
    public Page<Conversation> conversations(State state, int limit, Optional<String> cursor) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(config.conversationsTable())
                .indexName(Conversation.BY_STATE_INDEX).keyConditionExpression("#state = :state")
                .expressionAttributeNames(Map.of("#state", Conversation.STATE))
                .expressionAttributeValues(Map.of(":state", Attributes.s(state.wire())))
                .scanIndexForward(state == State.WAITING).limit(limit);
        cursor.map(text -> decodeCursor(text, state)).ifPresent(query::exclusiveStartKey);
        QueryResponse response = dynamo.query(query.build());
        List<Conversation> conversations = response.items().stream().map(Conversation::from).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? encodeCursor(response.lastEvaluatedKey()) : null;
        return new Page<>(conversations, next);
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        String raw = key.get(Conversation.STATE_SINCE).n() + "|" + key.get(Conversation.ID).s();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException
     *             when the cursor was not made by {@link #encodeCursor}
     */
    private static Map<String, AttributeValue> decodeCursor(String cursor, State state) {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int bar = raw.indexOf('|');
        if (bar <= 0) {
            throw new IllegalArgumentException("malformed cursor");
        }
        long since = Long.parseLong(raw.substring(0, bar));
        return Map.of(Conversation.ID, Attributes.s(raw.substring(bar + 1)), Conversation.STATE,
                Attributes.s(state.wire()), Conversation.STATE_SINCE, Attributes.n(since));
    }

    /**
     * Stores an agent's reply (status {@code queued}) with one conditional put, owing its send. Its key comes from the
     * client's idempotency id when there is one, so a double click stores one reply. The stream-driven sender claims
     * and sends it; a sweeper covers a crash. The conversation's summary follows from the stream.
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Outcome recordOutbound(Message message) {
        return putIfAbsent(
                message.toItemOwing(REPLY_WORK, message.createdAt().toEpochMilli() + config.streamGrace().toMillis()));
    }

    /**
     * Stores an agent's private note with one conditional put, owing no work: no sender or sweeper ever looks at it.
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Outcome recordNote(Message note) {
        if (note.direction() != Message.Direction.NOTE) {
            throw new IllegalArgumentException("not a note: " + note.direction());
        }
        return putIfAbsent(note.toItem());
    }

    /** One message, read consistently. */
    @Timeout(10_000)
    public Optional<Message> message(String conversation, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(config.messagesTable())
                .key(messageKey(conversation, id)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Message.from(item));
    }

    /** Twilio accepted the message: remember its SID (for status callbacks) and move its status forward. */
    @Timeout(10_000)
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public void recordAccepted(String conversation, String id, String sid, MessageStatus status) {
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder()
                        .put(Put.builder().tableName(config.sidsTable())
                                .item(Map.of(SID, Attributes.s(sid), Message.CONVERSATION, Attributes.s(conversation),
                                        Message.ID, Attributes.s(id)))
                                .build())
                        .build(),
                TransactWriteItem.builder().update(Update.builder().tableName(config.messagesTable())
                        .key(messageKey(conversation, id))
                        .updateExpression("SET #sid = :sid, #updated = :now" + FINISH_WORK)
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(withWorkNames(
                                Map.of("#sid", Message.TWILIO_SID, "#updated", Message.UPDATED_AT, "#id", Message.ID)))
                        .expressionAttributeValues(
                                Map.of(":sid", Attributes.s(sid), ":now", Attributes.n(System.currentTimeMillis())))
                        .build()).build())
                .build());
        advance(conversation, id, status, null, null);
    }

    /** Sending failed before Twilio took the message; the agent sees why. */
    @Timeout(10_000)
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public void recordSendFailure(String conversation, String id, Integer errorCode, String reason) {
        advance(conversation, id, MessageStatus.FAILED, errorCode, reason);
    }

    /** What a status callback did. */
    public enum Advance {
        /** The status moved forward. */
        ADVANCED,
        /** The message already had this or a later status (callbacks arrive out of order). */
        IGNORED,
        /** No message with this SID is ours. */
        UNKNOWN
    }

    /** Moves a message's status forward on a Twilio status callback; never backwards. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Advance advanceBySid(String sid, MessageStatus status, Integer errorCode, String errorMessage) {
        return sidRef(sid).map(ref -> advance(Attributes.string(ref, Message.CONVERSATION),
                Attributes.string(ref, Message.ID), status, errorCode, errorMessage)).orElse(Advance.UNKNOWN);
    }

    /** The conversation a Twilio MessageSid belongs to, if it is ours. */
    @Timeout(10_000)
    public Optional<String> conversationOfSid(String sid) {
        return sidRef(sid).map(ref -> Attributes.string(ref, Message.CONVERSATION));
    }

    private Optional<Map<String, AttributeValue>> sidRef(String sid) {
        Map<String, AttributeValue> ref = dynamo.getItem(GetItemRequest.builder().tableName(config.sidsTable())
                .key(Map.of(SID, Attributes.s(sid))).consistentRead(true).build()).item();
        return ref == null || ref.isEmpty() ? Optional.empty() : Optional.of(ref);
    }

    private Advance advance(String conversation, String id, MessageStatus status, Integer errorCode,
            String errorMessage) {
        List<MessageStatus> earlier = status.earlier();
        if (earlier.isEmpty()) {
            return Advance.IGNORED;
        }
        Map<String, String> names = new HashMap<>(Map.of("#status", Message.STATUS, "#updated", Message.UPDATED_AT,
                "#times", Message.STATUS_TIMES, "#this", status.wire()));
        Map<String, AttributeValue> values = new HashMap<>();
        long now = System.currentTimeMillis();
        values.put(":status", Attributes.s(status.wire()));
        values.put(":now", Attributes.n(now));
        names.putAll(withWorkNames(Map.of()));
        StringBuilder set = new StringBuilder("SET #status = :status, #updated = :now, #times.#this = :now");
        if (errorCode != null) {
            names.put("#code", Message.ERROR_CODE);
            values.put(":code", Attributes.n(errorCode));
            set.append(", #code = :code");
        }
        if (errorMessage != null) {
            names.put("#error", Message.ERROR_MESSAGE);
            values.put(":error", Attributes.s(errorMessage));
            set.append(", #error = :error");
        }
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < earlier.size(); i++) {
            in.append(i == 0 ? "" : ", ").append(":e").append(i);
            values.put(":e" + i, Attributes.s(earlier.get(i).wire()));
        }
        try {
            dynamo.updateItem(
                    UpdateItemRequest.builder().tableName(config.messagesTable()).key(messageKey(conversation, id))
                            // Any answer from Twilio settles the send: no sweeper looks at it again.
                            .updateExpression(set + FINISH_WORK).conditionExpression("#status IN (" + in + ")")
                            .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return Advance.ADVANCED;
        } catch (ConditionalCheckFailedException later) {
            return Advance.IGNORED;
        }
    }

    /** Drops the work markers: the item leaves the sparse work index. */
    static final String FINISH_WORK = " REMOVE #work, #workDue, #claimOwner, #claimUntil";

    static Map<String, String> withWorkNames(Map<String, String> names) {
        Map<String, String> all = new HashMap<>(names);
        all.put("#work", Message.WORK);
        all.put("#workDue", Message.WORK_DUE);
        all.put("#claimOwner", Message.CLAIM_OWNER);
        all.put("#claimUntil", Message.CLAIM_UNTIL);
        return all;
    }

    /** Records the customer's consent as Twilio reported it (error 21610 on a send means they opted out). */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public void setOptedOut(String conversation, boolean optedOut) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, Attributes.s(conversation)))
                .updateExpression("SET #optedOut = :optedOut, #consentAt = :now")
                .conditionExpression("attribute_exists(#cid)")
                .expressionAttributeNames(Map.of("#optedOut", Conversation.OPTED_OUT, "#consentAt",
                        Conversation.CONSENT_CHANGED_AT, "#cid", Conversation.ID))
                .expressionAttributeValues(Map.of(":optedOut", AttributeValue.fromBool(optedOut), ":now",
                        Attributes.n(System.currentTimeMillis())))
                .build());
    }

    private static Map<String, AttributeValue> messageKey(String conversation, String id) {
        return Map.of(Message.CONVERSATION, Attributes.s(conversation), Message.ID, Attributes.s(id));
    }

    /** Fails unless DynamoDB answers and the messages table exists. */
    @Timeout(3_000)
    public void ping() {
        dynamo.describeTable(builder -> builder.tableName(config.messagesTable()));
    }

    /** Creates the three tables unless they exist. Only for local runs and tests: production tables come from infra. */
    public void createTablesIfMissing() {
        createTable(CreateTableRequest.builder().tableName(config.messagesTable())
                .attributeDefinitions(stringAttribute(Message.CONVERSATION), stringAttribute(Message.ID),
                        stringAttribute(Message.SEQ), stringAttribute(Message.WORK),
                        AttributeDefinition.builder().attributeName(Message.WORK_DUE)
                                .attributeType(ScalarAttributeType.N).build())
                .keySchema(key(Message.CONVERSATION, KeyType.HASH), key(Message.ID, KeyType.RANGE))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(Message.BY_SEQ_INDEX)
                        .keySchema(key(Message.CONVERSATION, KeyType.HASH), key(Message.SEQ, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(Message.BY_WORK_INDEX)
                        .keySchema(key(Message.WORK, KeyType.HASH), key(Message.WORK_DUE, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_IMAGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        createTable(CreateTableRequest.builder().tableName(config.conversationsTable())
                .attributeDefinitions(stringAttribute(Conversation.ID), stringAttribute(Conversation.STATE),
                        stringAttribute(Conversation.AGENT),
                        AttributeDefinition.builder().attributeName(Conversation.STATE_SINCE)
                                .attributeType(ScalarAttributeType.N).build())
                .keySchema(key(Conversation.ID, KeyType.HASH))
                .globalSecondaryIndexes(
                        index(Conversation.BY_STATE_INDEX, Conversation.STATE, Conversation.STATE_SINCE),
                        index(Conversation.BY_AGENT_INDEX, Conversation.AGENT, Conversation.STATE_SINCE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
        createTable(
                CreateTableRequest.builder().tableName(config.sidsTable()).attributeDefinitions(stringAttribute(SID))
                        .keySchema(key(SID, KeyType.HASH)).billingMode(BillingMode.PAY_PER_REQUEST));
    }

    private void createTable(CreateTableRequest.Builder request) {
        CreateTableRequest built = request.build();
        try {
            dynamo.createTable(built);
            LOG.infof("created table %s", built.tableName());
        } catch (ResourceInUseException exists) {
            LOG.debugf("table %s exists", built.tableName());
        }
        dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(built.tableName()));
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
