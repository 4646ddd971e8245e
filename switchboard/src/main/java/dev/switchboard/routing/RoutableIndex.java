package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import dev.switchboard.agents.Agent;
import dev.switchboard.agents.AgentStore;

/**
 * The sparse index of agents who can take a conversation now ({@value AgentStore#ROUTABLE_INDEX} on the agents table):
 * an agent who is available, connected, enabled and below capacity carries {@value #ROUTABLE} = {@value #YES}, with a
 * {@value #RANK} that sorts the most free capacity first and, among equals, the longest idle. Choosing an agent reads a
 * page of it instead of scanning every agent.
 * <p>
 * Its second partition, {@value #ROUTABLE} = {@value #HELD}, holds every other agent the presence sweep must watch: not
 * offline, or still holding conversations (away, full, disconnected within the grace period, offline with load). An
 * agent who is offline with nothing assigned is in neither, so the sweep reads the agents who are present, never every
 * agent.
 * <p>
 * The index is a hint, never the decision: assignments stay conditional writes on the agent's own item, so a stale
 * entry costs one failed condition. After every presence write the writer brings the two attributes in line with the
 * item it just wrote, conditionally on that item being unchanged, so the last writer's view wins; the heartbeat repeats
 * this every interval, repairing anything a crash between the two writes left behind.
 */
@ApplicationScoped
public class RoutableIndex {

    private static final Logger LOG = Logger.getLogger(RoutableIndex.class);
    public static final String ROUTABLE = AgentStore.ROUTABLE;
    public static final String RANK = AgentStore.RANK;
    static final String YES = "available";
    /** Present but not routable: what the presence sweep reads besides the routable agents. */
    static final String HELD = "held";
    /** What the sync's condition compares: every attribute the two derived ones follow from. */
    private static final List<String> INPUTS = List.of(Presence.STATUS, Presence.CAPACITY, Presence.LOAD,
            Presence.DISCONNECTED_AT, Presence.LAST_ASSIGNED_AT, Agent.DISABLED);

    private final DynamoDbClient dynamo;
    private final String agentsTable;

    RoutableIndex(DynamoDbClient dynamo,
            @ConfigProperty(name = "switchboard.agents.table", defaultValue = "switchboard-agents") String agentsTable) {
        this.dynamo = dynamo;
        this.agentsTable = agentsTable;
    }

    /** Whether the agent item says they can take a conversation now (heartbeat freshness aside: that is time). */
    static boolean routable(Map<String, AttributeValue> item) {
        Presence presence = Presence.from(item);
        AttributeValue disabled = item.get(Agent.DISABLED);
        return presence.status() == Presence.Status.AVAILABLE && presence.disconnectedAt() == null
                && presence.free() > 0 && (disabled == null || !Boolean.TRUE.equals(disabled.bool()));
    }

    /** Whether the presence sweep must watch the agent: anything but offline with nothing assigned. */
    static boolean present(Map<String, AttributeValue> item) {
        Presence presence = Presence.from(item);
        return presence.status() != Presence.Status.OFFLINE || presence.load() > 0;
    }

    static String rank(Presence presence) {
        long idleSince = presence.lastAssignedAt() == null ? 0 : presence.lastAssignedAt().toEpochMilli();
        return String.format("%04d#%013d", 9999 - Math.min(9999, presence.free()), idleSince);
    }

    /**
     * Brings the item's index attributes in line with the rest of it, unless it changed since it was read.
     *
     * @return whether it wrote them
     */
    @Timeout(5_000)
    public boolean sync(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(Presence.AGENT)) {
            return false;
        }
        boolean routable = routable(item);
        String partition = routable ? YES : present(item) ? HELD : null;
        // Held agents sort by name: their rank means nothing, and a fixed one costs no write when their load moves.
        String rank = routable ? rank(Presence.from(item)) : partition == null ? null : item.get(Presence.AGENT).s();
        AttributeValue currentPartition = item.get(ROUTABLE);
        AttributeValue currentRank = item.get(RANK);
        if (Objects.equals(partition, currentPartition == null ? null : currentPartition.s())
                && Objects.equals(rank, currentRank == null ? null : currentRank.s())) {
            return false;
        }
        Map<String, String> names = new HashMap<>(Map.of("#routable", ROUTABLE, "#rank", RANK));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < INPUTS.size(); i++) {
            String name = "#in" + i;
            names.put(name, INPUTS.get(i));
            AttributeValue value = item.get(INPUTS.get(i));
            if (value == null) {
                conditions.add("attribute_not_exists(" + name + ")");
            } else {
                values.put(":in" + i, value);
                conditions.add(name + " = :in" + i);
            }
        }
        String update;
        if (partition != null) {
            values.put(":yes", AttributeValue.fromS(partition));
            values.put(":rank", AttributeValue.fromS(rank));
            update = "SET #routable = :yes, #rank = :rank";
        } else {
            update = "REMOVE #routable, #rank";
        }
        try {
            dynamo.updateItem(builder -> builder.tableName(agentsTable)
                    .key(Map.of(Presence.AGENT, item.get(Presence.AGENT))).updateExpression(update)
                    .conditionExpression(String.join(" AND ", conditions)).expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            // Someone wrote the item since; their own sync follows.
            LOG.debugf("index entry of %s left to a later writer", item.get(Presence.AGENT).s());
            return false;
        }
    }

    /** Re-reads the agent and syncs: after a transaction, which returns no item. */
    @Timeout(5_000)
    public void syncAgent(String agent) {
        try {
            sync(dynamo.getItem(builder -> builder.tableName(agentsTable)
                    .key(Map.of(Presence.AGENT, AttributeValue.fromS(agent))).consistentRead(true)).item());
        } catch (RuntimeException e) {
            LOG.warnf("could not update the routing index entry of %s: %s", agent, e.getMessage());
        }
    }

    /** Agents who can take a conversation, best first: at most {@code limit}, read from the sparse index alone. */
    @Timeout(10_000)
    public List<Presence> routable(int limit) {
        return read(YES, limit);
    }

    /**
     * Every agent the presence sweep must watch (both partitions of the index): a hint, eventually consistent, so the
     * sweep re-reads an agent before it acts on them.
     */
    @Timeout(20_000)
    public List<Presence> present() {
        List<Presence> agents = new ArrayList<>(read(YES, Integer.MAX_VALUE));
        agents.addAll(read(HELD, Integer.MAX_VALUE));
        return agents;
    }

    private List<Presence> read(String partition, int limit) {
        List<Presence> agents = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(builder -> builder.tableName(agentsTable)
                    .indexName(AgentStore.ROUTABLE_INDEX).keyConditionExpression("#routable = :yes")
                    .expressionAttributeNames(Map.of("#routable", ROUTABLE))
                    .expressionAttributeValues(Map.of(":yes", AttributeValue.fromS(partition))).scanIndexForward(true)
                    .limit(Math.min(1000, limit - agents.size())).exclusiveStartKey(from));
            page.items().stream().map(Presence::from).forEach(agents::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && agents.size() < limit);
        return agents;
    }
}
