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
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.switchboard.history.Conversation.State;
import dev.switchboard.web.ApiException;

/**
 * Conversation history in DynamoDB: one item per message, one summary item per conversation, one item per Twilio
 * MessageSid. Every write that must not happen twice is conditional, so any number of instances may write at once.
 */
@ApplicationScoped
public class HistoryStore {

    private static final Logger LOG = Logger.getLogger(HistoryStore.class);
    private static final String SID = "sid";
    private static final int CONFLICT_ATTEMPTS = 8;

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
     * Stores an inbound message and, in the same transaction, claims its MessageSid and updates its conversation.
     * Either all three happen or none.
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Outcome recordInbound(Message message, Consent consent) {
        Map<String, AttributeValue> observed = null;
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            Update conversationUpdate = observed == null ? optimisticInboundUpdate(message, consent)
                    : inboundUpdateAfter(observed, message, consent);
            try {
                dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                        .transactItems(TransactWriteItem.builder().put(claimSid(message)).build(),
                                TransactWriteItem.builder().put(putMessage(message)).build(),
                                TransactWriteItem.builder().update(conversationUpdate).build())
                        .build());
                return Outcome.STORED;
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                if (failedCondition(reasons, 0)) {
                    return Outcome.DUPLICATE;
                }
                if (failedCondition(reasons, 2)) {
                    // The conversation is closed, or a newer message got there first: decide from what is stored.
                    observed = conversationItem(message.conversation());
                } else if (!conflicted(reasons)) {
                    throw cancelled;
                }
                LOG.debugf("conversation %s changed under us (attempt %d)", message.conversation(), attempt);
                backOff(attempt);
            }
        }
        // 503: Twilio delivers again later, and the MessageSid claim makes that safe.
        throw new ApiException(503, "conversation " + message.conversation() + " is too busy just now; deliver again");
    }

    /** Writers that collided retry at different moments, or they collide again. */
    private static void backOff(int attempt) {
        long bound = Math.min(400, 10L << attempt);
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(bound / 2, bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing", e);
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static boolean conflicted(List<CancellationReason> reasons) {
        return reasons.stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()));
    }

    private Put claimSid(Message message) {
        return Put.builder().tableName(config.sidsTable())
                .item(Map.of(SID, Attributes.s(message.twilioSid()), Message.CONVERSATION,
                        Attributes.s(message.conversation()), Message.ID, Attributes.s(message.id())))
                .conditionExpression("attribute_not_exists(#sid)").expressionAttributeNames(Map.of("#sid", SID))
                .build();
    }

    private Put putMessage(Message message) {
        return Put.builder().tableName(config.messagesTable()).item(message.toItem())
                .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", Message.ID))
                .build();
    }

    /**
     * The common case in one round trip: a new conversation, or an open one whose last message is older. A closed
     * conversation or an out-of-order message fails the condition and is handled by {@link #inboundUpdateAfter}.
     */
    private Update optimisticInboundUpdate(Message message, Consent consent) {
        ConversationKey key = ConversationKey.parse(message.conversation());
        Map<String, String> names = new HashMap<>(inboundNames());
        names.put("#state", Conversation.STATE);
        names.put("#since", Conversation.STATE_SINCE);
        names.put("#created", Conversation.CREATED_AT);
        Map<String, AttributeValue> values = new HashMap<>(inboundValues(message, key));
        values.put(":waiting", Attributes.s(State.WAITING.wire()));
        values.put(":closed", Attributes.s(State.CLOSED.wire()));
        return Update.builder().tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, Attributes.s(message.conversation())))
                .updateExpression(INBOUND_SET + ", #created = if_not_exists(#created, :at),"
                        + " #state = if_not_exists(#state, :waiting), #since = if_not_exists(#since, :at)"
                        + consentClause(consent, names, values) + INBOUND_ADD)
                .conditionExpression("attribute_not_exists(#cid) OR (#state <> :closed AND #lastId < :id)")
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    /** The update for an existing conversation, decided from its stored item and conditional on it being unchanged. */
    private Update inboundUpdateAfter(Map<String, AttributeValue> observed, Message message, Consent consent) {
        if (observed == null) {
            return optimisticInboundUpdate(message, consent);
        }
        ConversationKey key = ConversationKey.parse(message.conversation());
        State state = State.fromWire(Attributes.string(observed, Conversation.STATE));
        String lastId = Attributes.string(observed, Conversation.LAST_MESSAGE_ID);
        boolean newer = lastId == null || message.id().compareTo(lastId) > 0;

        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder();
        if (newer) {
            names.putAll(inboundNames());
            values.putAll(inboundValues(message, key));
            set.append(INBOUND_SET);
        } else {
            // An older message arriving late counts as unread but does not replace the newer preview.
            names.put("#cid", Conversation.ID);
            names.put("#lastId", Conversation.LAST_MESSAGE_ID);
            names.put("#updated", Conversation.UPDATED_AT);
            names.put("#unread", Conversation.UNREAD);
            names.put("#count", Conversation.MESSAGE_COUNT);
            values.put(":at", Attributes.n(message.createdAt().toEpochMilli()));
            values.put(":one", Attributes.n(1));
            set.append("SET #updated = :at");
        }
        names.put("#state", Conversation.STATE);
        values.put(":seenState", Attributes.s(state.wire()));
        if (state == State.CLOSED) {
            // A customer writing again reopens the conversation and puts it back in the queue.
            names.put("#since", Conversation.STATE_SINCE);
            values.put(":waiting", Attributes.s(State.WAITING.wire()));
            set.append(", #state = :waiting, #since = :at");
        }
        String condition = "attribute_exists(#cid) AND #state = :seenState AND ";
        if (lastId == null) {
            condition += "attribute_not_exists(#lastId)";
        } else {
            values.put(":seenLast", Attributes.s(lastId));
            condition += "#lastId = :seenLast";
        }
        return Update.builder().tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, Attributes.s(message.conversation())))
                .updateExpression(set + consentClause(consent, names, values) + INBOUND_ADD)
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .build();
    }

    /** The SET clauses that record what the message says about consent. */
    private static String consentClause(Consent consent, Map<String, String> names,
            Map<String, AttributeValue> values) {
        switch (consent) {
        case OPT_OUT, OPT_IN -> {
            names.put("#optedOut", Conversation.OPTED_OUT);
            names.put("#consentAt", Conversation.CONSENT_CHANGED_AT);
            values.put(":optedOut", AttributeValue.fromBool(consent == Consent.OPT_OUT));
            return ", #optedOut = :optedOut, #consentAt = :at";
        }
        case HELP -> {
            names.put("#helpAt", Conversation.HELP_REQUESTED_AT);
            return ", #helpAt = :at";
        }
        default -> {
            return "";
        }
        }
    }

    private static final String INBOUND_SET = "SET #business = :business, #customer = :customer, #lastId = :id,"
            + " #lastAt = :at, #preview = :preview, #lastDir = :dir, #lastIn = :at, #updated = :at";
    private static final String INBOUND_ADD = " ADD #unread :one, #count :one";

    private static Map<String, String> inboundNames() {
        return Map.ofEntries(Map.entry("#cid", Conversation.ID), Map.entry("#business", Conversation.BUSINESS),
                Map.entry("#customer", Conversation.CUSTOMER), Map.entry("#lastId", Conversation.LAST_MESSAGE_ID),
                Map.entry("#lastAt", Conversation.LAST_MESSAGE_AT),
                Map.entry("#preview", Conversation.LAST_MESSAGE_PREVIEW),
                Map.entry("#lastDir", Conversation.LAST_DIRECTION), Map.entry("#lastIn", Conversation.LAST_INBOUND_AT),
                Map.entry("#updated", Conversation.UPDATED_AT), Map.entry("#unread", Conversation.UNREAD),
                Map.entry("#count", Conversation.MESSAGE_COUNT));
    }

    private Map<String, AttributeValue> inboundValues(Message message, ConversationKey key) {
        return Map.of(":business", Attributes.s(key.business()), ":customer", Attributes.s(key.customer()), ":id",
                Attributes.s(message.id()), ":at", Attributes.n(message.createdAt().toEpochMilli()), ":preview",
                Attributes.s(preview(message)), ":dir", Attributes.s(message.direction().wire()), ":one",
                Attributes.n(1));
    }

    private String preview(Message message) {
        String body = message.body();
        int limit = config.previewCharacters();
        if (body.codePointCount(0, body.length()) > limit) {
            return body.substring(0, body.offsetByCodePoints(0, limit)) + "…";
        }
        if (body.isEmpty() && !message.media().isEmpty()) {
            return message.media().size() == 1 ? "[1 attachment]" : "[" + message.media().size() + " attachments]";
        }
        return body;
    }

    private Map<String, AttributeValue> conversationItem(String conversation) {
        Map<String, AttributeValue> item = dynamo
                .getItem(GetItemRequest.builder().tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, Attributes.s(conversation))).consistentRead(true).build())
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** Records what became of one attachment of a stored message. */
    @Timeout(10_000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100, retryOn = SdkClientException.class)
    public void recordMedia(String conversation, String messageId, MediaItem media) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(config.messagesTable())
                .key(Map.of(Message.CONVERSATION, Attributes.s(conversation), Message.ID, Attributes.s(messageId)))
                .updateExpression("SET #media[" + media.index() + "] = :media, #updated = :now")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(
                        Map.of("#media", Message.MEDIA, "#updated", Message.UPDATED_AT, "#id", Message.ID))
                .expressionAttributeValues(
                        Map.of(":media", media.toAttribute(), ":now", Attributes.n(Instant.now().toEpochMilli())))
                .build());
    }

    public Optional<Conversation> conversation(String conversation) {
        return Optional.ofNullable(conversationItem(conversation)).map(Conversation::from);
    }

    /** A conversation's messages, newest first, strictly older than {@code before} when given. */
    @Timeout(10_000)
    public Page<Message> messages(String conversation, int limit, Optional<String> before) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":c", Attributes.s(conversation));
        String condition = "#c = :c";
        if (before.isPresent()) {
            values.put(":before", Attributes.s(before.get()));
            condition += " AND #id < :before";
        }
        QueryResponse response = dynamo.query(QueryRequest.builder().tableName(config.messagesTable())
                .keyConditionExpression(condition)
                .expressionAttributeNames(before.isPresent() ? Map.of("#c", Message.CONVERSATION, "#id", Message.ID)
                        : Map.of("#c", Message.CONVERSATION))
                .expressionAttributeValues(values).scanIndexForward(false).limit(limit + 1).build());
        List<Message> messages = new ArrayList<>(response.items().stream().map(Message::from).toList());
        String next = null;
        if (messages.size() > limit) {
            messages = messages.subList(0, limit);
            next = messages.get(limit - 1).id();
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
     * Stores an agent's reply (status {@code queued}) and makes it the conversation's last message, in one transaction.
     * Sending happens when the change event for it arrives, on whichever instance handles it.
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public void recordOutbound(Message message) {
        ConversationKey key = ConversationKey.parse(message.conversation());
        Map<String, String> names = new HashMap<>(inboundNames());
        names.remove("#lastIn");
        names.remove("#unread");
        Map<String, AttributeValue> values = new HashMap<>(inboundValues(message, key));
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(putMessage(message)).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(config.conversationsTable())
                        .key(Map.of(Conversation.ID, Attributes.s(message.conversation())))
                        .updateExpression("SET #business = :business, #customer = :customer,"
                                + " #lastId = :id, #lastAt = :at, #preview = :preview, #lastDir = :dir,"
                                + " #updated = :at ADD #count :one")
                        .conditionExpression("attribute_exists(#cid)").expressionAttributeNames(names)
                        .expressionAttributeValues(values).build()).build())
                .build());
    }

    /** One message, read consistently. */
    @Timeout(10_000)
    public Optional<Message> message(String conversation, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(config.messagesTable())
                .key(messageKey(conversation, id)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Message.from(item));
    }

    /**
     * Takes a queued outbound message for sending. Only one caller ever succeeds, so a change event delivered twice, or
     * to two instances, sends one SMS.
     */
    @Timeout(10_000)
    public boolean claimDispatch(String conversation, String id) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.messagesTable())
                    .key(messageKey(conversation, id)).updateExpression("SET #dispatched = :now")
                    .conditionExpression("attribute_not_exists(#dispatched) AND #status = :queued")
                    .expressionAttributeNames(Map.of("#dispatched", Message.DISPATCHED_AT, "#status", Message.STATUS))
                    .expressionAttributeValues(Map.of(":now", Attributes.n(System.currentTimeMillis()), ":queued",
                            Attributes.s(MessageStatus.QUEUED.wire())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
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
                        .key(messageKey(conversation, id)).updateExpression("SET #sid = :sid, #updated = :now")
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(
                                Map.of("#sid", Message.TWILIO_SID, "#updated", Message.UPDATED_AT, "#id", Message.ID))
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
                            .updateExpression(set.toString()).conditionExpression("#status IN (" + in + ")")
                            .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return Advance.ADVANCED;
        } catch (ConditionalCheckFailedException later) {
            return Advance.IGNORED;
        }
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
        createTable(
                CreateTableRequest.builder().tableName(config.messagesTable())
                        .attributeDefinitions(stringAttribute(Message.CONVERSATION), stringAttribute(Message.ID))
                        .keySchema(key(Message.CONVERSATION, KeyType.HASH), key(Message.ID, KeyType.RANGE))
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
