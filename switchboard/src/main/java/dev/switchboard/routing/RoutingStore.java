package dev.switchboard.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.switchboard.agents.Agent;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.Conversation.State;
import dev.switchboard.history.HistoryConfig;

/**
 * Agent presence and conversation assignment in DynamoDB. Every change that could race with another instance is a
 * conditional write or a transaction, so two instances never assign one conversation twice nor overfill an agent.
 */
@ApplicationScoped
public class RoutingStore {

    /** Result of trying to assign a conversation. */
    public enum Assignment {
        ASSIGNED,
        /** The conversation is no longer waiting: another instance assigned it, or it closed. */
        CONVERSATION_TAKEN,
        /** The agent is no longer available or has no room. */
        AGENT_UNAVAILABLE
    }

    /** Items per page of the index repair's scan: small pages, so that it never competes with routing for long. */
    private static final int REPAIR_PAGE = 100;

    private final DynamoDbClient dynamo;
    private final HistoryConfig history;
    private final RoutableIndex index;
    private final String agentsTable;

    RoutingStore(DynamoDbClient dynamo, HistoryConfig history, RoutableIndex index,
            @ConfigProperty(name = "switchboard.agents.table", defaultValue = "switchboard-agents") String agentsTable) {
        this.dynamo = dynamo;
        this.history = history;
        this.index = index;
        this.agentsTable = agentsTable;
    }

    // --- presence ---

    /** Records that this instance now holds a connection of the agent. Presence and capacity are kept. */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public Optional<Presence> connected(String agent, String instance, int defaultCapacity) {
        try {
            return Optional.of(synced(dynamo.updateItem(UpdateItemRequest.builder().tableName(agentsTable)
                    .key(agentKey(agent))
                    .updateExpression("SET #instance = :instance, #hb = :now,"
                            + " #presence = if_not_exists(#presence, :offline),"
                            + " #capacity = if_not_exists(#capacity, :capacity), #load = if_not_exists(#load, :zero)"
                            + " REMOVE #disconnected")
                    .conditionExpression("attribute_exists(#agent)")
                    .expressionAttributeNames(Map.of("#instance", Presence.INSTANCE, "#hb", Presence.HEARTBEAT_AT,
                            "#presence", Presence.STATUS, "#capacity", Presence.CAPACITY, "#load", Presence.LOAD,
                            "#disconnected", Presence.DISCONNECTED_AT, "#agent", Presence.AGENT))
                    .expressionAttributeValues(Map.of(":instance", s(instance), ":now", now(), ":offline",
                            s(Presence.Status.OFFLINE.wire()), ":capacity", n(defaultCapacity), ":zero", n(0)))
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes()));
        } catch (ConditionalCheckFailedException unknownAgent) {
            return Optional.empty();
        }
    }

    /** Starts the agent's grace period, unless another instance has their connection by now. */
    @Timeout(5_000)
    public void disconnected(String agent, String instance) {
        conditionalSynced(UpdateItemRequest.builder().tableName(agentsTable).key(agentKey(agent))
                .updateExpression("SET #disconnected = :now").conditionExpression("#instance = :instance")
                .expressionAttributeNames(
                        Map.of("#disconnected", Presence.DISCONNECTED_AT, "#instance", Presence.INSTANCE))
                .expressionAttributeValues(Map.of(":now", now(), ":instance", s(instance))).build());
    }

    /** This instance vouches that the agent is still connected to it. */
    @Timeout(5_000)
    public void heartbeat(String agent, String instance) {
        conditionalSynced(UpdateItemRequest.builder().tableName(agentsTable).key(agentKey(agent))
                .updateExpression("SET #hb = :now")
                .conditionExpression("#instance = :instance AND attribute_not_exists(#disconnected)")
                .expressionAttributeNames(Map.of("#hb", Presence.HEARTBEAT_AT, "#instance", Presence.INSTANCE,
                        "#disconnected", Presence.DISCONNECTED_AT))
                .expressionAttributeValues(Map.of(":now", now(), ":instance", s(instance))).build());
    }

    /** Sets the agent available with a capacity, or away. */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public Presence setStatus(String agent, Presence.Status status, Integer capacity) {
        Map<String, String> names = new HashMap<>(Map.of("#presence", Presence.STATUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":presence", s(status.wire())));
        String set = "SET #presence = :presence";
        if (capacity != null) {
            names.put("#capacity", Presence.CAPACITY);
            values.put(":capacity", n(capacity));
            set += ", #capacity = :capacity";
        }
        return synced(dynamo.updateItem(UpdateItemRequest.builder().tableName(agentsTable).key(agentKey(agent))
                .updateExpression(set).expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW).build()).attributes());
    }

    /**
     * Marks an agent offline once their grace period is over, provided nothing changed since {@code seen} was read (a
     * reconnect moves the heartbeat).
     */
    @Timeout(5_000)
    public boolean markOffline(Presence seen) {
        Map<String, String> names = new HashMap<>(Map.of("#presence", Presence.STATUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":offline", s(Presence.Status.OFFLINE.wire())));
        String condition = "#presence <> :offline";
        if (seen.heartbeatAt() != null) {
            names.put("#hb", Presence.HEARTBEAT_AT);
            values.put(":hb", n(seen.heartbeatAt().toEpochMilli()));
            condition += " AND #hb = :hb";
        }
        return conditionalSynced(UpdateItemRequest.builder().tableName(agentsTable).key(agentKey(seen.agent()))
                .updateExpression("SET #presence = :offline").conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build());
    }

    /**
     * Brings every agent's index attributes in line with their item: one scan of the agents table, a page at a time,
     * writing only the entries that are wrong. Not on any routing path: the presence sweep runs it rarely
     * ({@code switchboard.routing.index-repair-interval}) for what a crash between a presence write and its index sync,
     * or an item written before the index existed, left behind.
     *
     * @return how many entries it corrected
     */
    public int repairIndex() {
        int corrected = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(agentsTable).consistentRead(true)
                    .limit(REPAIR_PAGE).exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (index.sync(item)) {
                    corrected++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return corrected;
    }

    @Timeout(5_000)
    public Optional<Presence> presence(String agent) {
        Map<String, AttributeValue> item = dynamo
                .getItem(builder -> builder.tableName(agentsTable).key(agentKey(agent)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Presence.from(item));
    }

    // --- assignment ---

    /** Assigns a waiting conversation to an available agent with room, atomically. */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public Assignment assign(String conversation, String agent) {
        AttributeValue now = now();
        Update take = Update.builder().tableName(history.conversationsTable()).key(conversationKey(conversation))
                .updateExpression("SET #state = :assigned, #agent = :agent, #lastAgent = :agent, #since = :now,"
                        + " #assignedAt = :now")
                .conditionExpression("#state = :waiting")
                .expressionAttributeNames(Map.of("#state", Conversation.STATE, "#agent", Conversation.AGENT,
                        "#lastAgent", Conversation.LAST_AGENT, "#since", Conversation.STATE_SINCE, "#assignedAt",
                        Conversation.ASSIGNED_AT))
                .expressionAttributeValues(Map.of(":assigned", s(State.ASSIGNED.wire()), ":waiting",
                        s(State.WAITING.wire()), ":agent", s(agent), ":now", now))
                .build();
        Update fill = fill(agent, now);
        try {
            transact(TransactWriteItem.builder().update(take).build(),
                    TransactWriteItem.builder().update(fill).build());
            index.syncAgent(agent);
            return Assignment.ASSIGNED;
        } catch (TransactionCanceledException e) {
            return failed(e.cancellationReasons(), 0) ? Assignment.CONVERSATION_TAKEN : Assignment.AGENT_UNAVAILABLE;
        }
    }

    /**
     * Takes a conversation from its agent: closed when they resolve it, or back to the queue (keeping its place by
     * {@code waitingSince}) when their grace period ran out.
     *
     * @return false when the conversation is not (or no longer) assigned to that agent
     */
    public boolean release(String conversation, String agent, State to, Instant waitingSince) {
        return release(conversation, agent, to, waitingSince, null);
    }

    /**
     * As {@link #release(String, String, State, Instant)}, writing {@code marker} (a history marker of the change, see
     * {@code ConversationEvents}) in the same transaction when given.
     */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public boolean release(String conversation, String agent, State to, Instant waitingSince,
            TransactWriteItem marker) {
        Map<String, String> names = new HashMap<>(
                Map.of("#state", Conversation.STATE, "#agent", Conversation.AGENT, "#since", Conversation.STATE_SINCE));
        Map<String, AttributeValue> values = new HashMap<>(
                Map.of(":to", s(to.wire()), ":assigned", s(State.ASSIGNED.wire()), ":agent", s(agent), ":since",
                        to == State.WAITING && waitingSince != null ? n(waitingSince.toEpochMilli()) : now()));
        String set = "SET #state = :to, #since = :since";
        if (to == State.CLOSED) {
            names.put("#unread", Conversation.UNREAD);
            values.put(":zero", n(0));
            set += ", #unread = :zero";
        }
        Update give = Update.builder().tableName(history.conversationsTable()).key(conversationKey(conversation))
                .updateExpression(set + " REMOVE #agent").conditionExpression("#state = :assigned AND #agent = :agent")
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
        List<TransactWriteItem> writes = new ArrayList<>(List.of(TransactWriteItem.builder().update(give).build(),
                TransactWriteItem.builder().update(loadChange(agent, -1)).build()));
        if (marker != null) {
            writes.add(marker);
        }
        try {
            transact(writes.toArray(TransactWriteItem[]::new));
            index.syncAgent(agent);
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    /** Hands a conversation from one agent to another who is available and has room, atomically. */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public Assignment transfer(String conversation, String from, String to) {
        AttributeValue now = now();
        Update move = Update.builder().tableName(history.conversationsTable()).key(conversationKey(conversation))
                .updateExpression("SET #agent = :to, #lastAgent = :to, #assignedAt = :now")
                .conditionExpression("#state = :assigned AND #agent = :from")
                .expressionAttributeNames(Map.of("#state", Conversation.STATE, "#agent", Conversation.AGENT,
                        "#lastAgent", Conversation.LAST_AGENT, "#assignedAt", Conversation.ASSIGNED_AT))
                .expressionAttributeValues(
                        Map.of(":assigned", s(State.ASSIGNED.wire()), ":from", s(from), ":to", s(to), ":now", now))
                .build();
        Update fill = fill(to, now);
        try {
            transact(TransactWriteItem.builder().update(move).build(),
                    TransactWriteItem.builder().update(loadChange(from, -1)).build(),
                    TransactWriteItem.builder().update(fill).build());
            index.syncAgent(from);
            index.syncAgent(to);
            return Assignment.ASSIGNED;
        } catch (TransactionCanceledException e) {
            return failed(e.cancellationReasons(), 0) ? Assignment.CONVERSATION_TAKEN : Assignment.AGENT_UNAVAILABLE;
        }
    }

    /**
     * An agent starts (or restarts) a conversation with a customer: a new, waiting or closed conversation that has not
     * opted out becomes theirs, atomically with one more unit of their load, which must stay within their capacity.
     * Presence is not required: an agent who is away may still text a customer first. A conversation item created here
     * is completed by the projection when the first text is stored.
     *
     * @return {@code CONVERSATION_TAKEN} when it is someone's already or opted out (read it to tell which),
     *         {@code AGENT_UNAVAILABLE} when the agent has no room
     */
    public Assignment start(String conversation, String business, String customer, String agent) {
        return start(conversation, business, customer, agent, null);
    }

    /**
     * As {@link #start(String, String, String, String)}; with a {@code reopened} marker only a closed conversation is
     * taken (one that is new or waiting is refused as {@code CONVERSATION_TAKEN}: read it again), and the marker is
     * written in the same transaction. Without one, only a new or waiting conversation is taken.
     */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    public Assignment start(String conversation, String business, String customer, String agent,
            TransactWriteItem reopenedMarker) {
        AttributeValue now = now();
        Map<String, String> names = new HashMap<>(Map.of("#state", Conversation.STATE, "#agent", Conversation.AGENT,
                "#lastAgent", Conversation.LAST_AGENT, "#since", Conversation.STATE_SINCE, "#assignedAt",
                Conversation.ASSIGNED_AT, "#business", Conversation.BUSINESS, "#customer", Conversation.CUSTOMER,
                "#created", Conversation.CREATED_AT, "#optedOut", Conversation.OPTED_OUT));
        Map<String, AttributeValue> values = new HashMap<>(
                Map.of(":assigned", s(State.ASSIGNED.wire()), ":agent", s(agent), ":now", now, ":business", s(business),
                        ":customer", s(customer), ":false", AttributeValue.fromBool(false)));
        // DynamoDB refuses names and values the expressions do not use, so each condition brings its own.
        String from;
        if (reopenedMarker != null) {
            from = "#state = :closed";
            values.put(":closed", s(State.CLOSED.wire()));
        } else {
            from = "(attribute_not_exists(#cid) OR #state = :waiting)";
            names.put("#cid", Conversation.ID);
            values.put(":waiting", s(State.WAITING.wire()));
        }
        Update take = Update.builder().tableName(history.conversationsTable()).key(conversationKey(conversation))
                .updateExpression("SET #state = :assigned, #agent = :agent, #lastAgent = :agent, #since = :now,"
                        + " #assignedAt = :now, #business = :business, #customer = :customer,"
                        + " #created = if_not_exists(#created, :now)")
                .conditionExpression(from + " AND (attribute_not_exists(#optedOut) OR #optedOut = :false)")
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
        Update room = Update.builder().tableName(agentsTable).key(agentKey(agent))
                .updateExpression("SET #lastAssigned = :now ADD #load :one")
                .conditionExpression("attribute_exists(#agent) AND (attribute_not_exists(#load) OR #load < #capacity)")
                .expressionAttributeNames(Map.of("#lastAssigned", Presence.LAST_ASSIGNED_AT, "#load", Presence.LOAD,
                        "#capacity", Presence.CAPACITY, "#agent", Presence.AGENT))
                .expressionAttributeValues(Map.of(":now", now, ":one", n(1))).build();
        List<TransactWriteItem> writes = new ArrayList<>(List.of(TransactWriteItem.builder().update(take).build(),
                TransactWriteItem.builder().update(room).build()));
        if (reopenedMarker != null) {
            writes.add(reopenedMarker);
        }
        try {
            transact(writes.toArray(TransactWriteItem[]::new));
            return Assignment.ASSIGNED;
        } catch (TransactionCanceledException e) {
            return failed(e.cancellationReasons(), 0) ? Assignment.CONVERSATION_TAKEN : Assignment.AGENT_UNAVAILABLE;
        }
    }

    /** Conversations assigned to an agent, as reconnects and grace expiry need them. */
    @Timeout(10_000)
    public List<Conversation> assignedTo(String agent) {
        return query(QueryRequest.builder().tableName(history.conversationsTable())
                .indexName(Conversation.BY_AGENT_INDEX).keyConditionExpression("#agent = :agent")
                .expressionAttributeNames(Map.of("#agent", Conversation.AGENT))
                .expressionAttributeValues(Map.of(":agent", s(agent))).build());
    }

    /** The queue: waiting conversations, longest waiting first. */
    @Timeout(10_000)
    public List<Conversation> waiting(int limit) {
        return query(QueryRequest.builder().tableName(history.conversationsTable())
                .indexName(Conversation.BY_STATE_INDEX).keyConditionExpression("#state = :waiting")
                .expressionAttributeNames(Map.of("#state", Conversation.STATE))
                .expressionAttributeValues(Map.of(":waiting", s(State.WAITING.wire()))).scanIndexForward(true)
                .limit(limit).build());
    }

    private List<Conversation> query(QueryRequest request) {
        return dynamo.query(request).items().stream().map(Conversation::from).toList();
    }

    /** Gives an agent one more conversation, provided they are available, connected, enabled and have room. */
    private Update fill(String agent, AttributeValue now) {
        return Update.builder().tableName(agentsTable).key(agentKey(agent))
                .updateExpression("SET #lastAssigned = :now ADD #load :one")
                .conditionExpression("#presence = :available AND #load < #capacity AND attribute_not_exists(#disc)"
                        + " AND (attribute_not_exists(#disabled) OR #disabled = :false)")
                .expressionAttributeNames(Map.of("#lastAssigned", Presence.LAST_ASSIGNED_AT, "#load", Presence.LOAD,
                        "#presence", Presence.STATUS, "#capacity", Presence.CAPACITY, "#disc", Presence.DISCONNECTED_AT,
                        "#disabled", Agent.DISABLED))
                .expressionAttributeValues(Map.of(":now", now, ":one", n(1), ":available",
                        s(Presence.Status.AVAILABLE.wire()), ":false", AttributeValue.fromBool(false)))
                .build();
    }

    private Update loadChange(String agent, int delta) {
        return Update.builder().tableName(agentsTable).key(agentKey(agent)).updateExpression("ADD #load :delta")
                .conditionExpression("attribute_exists(#agent)")
                .expressionAttributeNames(Map.of("#load", Presence.LOAD, "#agent", Presence.AGENT))
                .expressionAttributeValues(Map.of(":delta", n(delta))).build();
    }

    private void transact(TransactWriteItem... items) {
        dynamo.transactWriteItems(builder -> builder.transactItems(items));
    }

    /** The presence an item shows, once the routing index agrees with it. */
    private Presence synced(Map<String, AttributeValue> item) {
        index.sync(item);
        return Presence.from(item);
    }

    /** A conditional presence write, followed by the index sync of what it wrote. */
    private boolean conditionalSynced(UpdateItemRequest request) {
        try {
            index.sync(dynamo.updateItem(request.toBuilder().returnValues(ReturnValue.ALL_NEW).build()).attributes());
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    private boolean conditional(UpdateItemRequest request) {
        try {
            dynamo.updateItem(request);
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static Map<String, AttributeValue> agentKey(String agent) {
        return Map.of(Presence.AGENT, s(agent));
    }

    private static Map<String, AttributeValue> conversationKey(String conversation) {
        return Map.of(Conversation.ID, s(conversation));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue now() {
        return n(System.currentTimeMillis());
    }
}
