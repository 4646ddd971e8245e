package dev.switchboard.routing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;

/**
 * The sparse index routing reads holds exactly the agents who can take a conversation now; its second partition holds
 * the other agents the presence sweep must watch, and the repair scan restores an entry a crash left out.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class RoutableIndexTest {

    static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    RoutableIndex index;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    RoutingStore store;

    @Inject
    HistoryConfig config;

    /** Conversations other test classes left waiting would fill the agents' room as soon as they are available. */
    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void onlyAvailableConnectedEnabledAgentsWithRoomAreIndexed() {
        String ann = Agents.create("ann");
        try (AgentClient client = Agents.connect(ann)) {
            client.await("presence", SOON);
            assertTrue(!indexed(ann), "offline yet indexed");
            client.available(2);
            await().atMost(SOON).until(() -> indexed(ann));
            assertTrue(index.routable(1000).stream().filter(p -> p.agent().equals(ann))
                    .allMatch(p -> p.capacity() == 2 && p.free() == 2));
            client.send(Map.of("type", "away"));
            await().atMost(SOON).until(() -> !indexed(ann));
            client.available(1);
            await().atMost(SOON).until(() -> indexed(ann));
            Auth.asAdmin().post("/admin/agents/" + ann + "/disable").then().statusCode(204);
            client.awaitClosed(SOON);
            await().atMost(SOON).until(() -> !indexed(ann));
        }
    }

    @Test
    void theMostFreeCapacityRanksFirst() {
        String small = Agents.create("small");
        String large = Agents.create("large");
        try (AgentClient s = Agents.connect(small); AgentClient l = Agents.connect(large)) {
            s.await("presence", SOON);
            l.await("presence", SOON);
            s.available(1);
            l.available(9);
            await().atMost(SOON).until(() -> indexed(small) && indexed(large));
            var order = index.routable(1000).stream().map(Presence::agent)
                    .filter(a -> a.equals(small) || a.equals(large)).toList();
            assertTrue(order.indexOf(large) < order.indexOf(small), order::toString);
        }
    }

    @Test
    void theSweepReadsPresentAgentsOnly() {
        String ann = Agents.create("ann");
        try (AgentClient client = Agents.connect(ann)) {
            client.await("presence", SOON);
            assertFalse(watched(ann), "offline with nothing assigned, yet watched by the sweep");
            client.send(Map.of("type", "away"));
            await().atMost(SOON).until(() -> watched(ann));
            assertFalse(indexed(ann), "away, yet routable");
            client.available(1);
            await().atMost(SOON).until(() -> indexed(ann) && watched(ann));
        }
        // Disconnected within the grace period: still watched, no longer routable; once it is over, the sweep (which
        // found them through the index) marks them offline and they leave it.
        await().atMost(SOON).until(() -> !indexed(ann) && watched(ann));
        await().atMost(SOON).until(() -> !watched(ann));
        assertEquals(Presence.Status.OFFLINE, store.presence(ann).orElseThrow().status());
    }

    @Test
    void theRepairScanRestoresAnEntryACrashLeftOut() {
        String ann = Agents.create("ann");
        // As a crash between a presence write and its index update leaves it: away and holding a conversation,
        // invisible to the sweep. No socket, so no heartbeat repairs it first.
        dynamo.updateItem(
                builder -> builder.tableName("switchboard-agents").key(Map.of("agent", AttributeValue.fromS(ann)))
                        .updateExpression("SET #presence = :away, #load = :one, #capacity = :one")
                        .expressionAttributeNames(
                                Map.of("#presence", "presence", "#load", "load", "#capacity", "capacity"))
                        .expressionAttributeValues(
                                Map.of(":away", AttributeValue.fromS("away"), ":one", AttributeValue.fromN("1"))));
        assertFalse(watched(ann));
        assertTrue(store.repairIndex() >= 1);
        assertTrue(watched(ann));
    }

    private boolean watched(String agent) {
        return index.present().stream().anyMatch(p -> p.agent().equals(agent));
    }

    private boolean indexed(String agent) {
        return index.routable(1000).stream().anyMatch(p -> p.agent().equals(agent));
    }
}
