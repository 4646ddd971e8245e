package dev.switchboard.routing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

/** The sparse index routing reads holds exactly the agents who can take a conversation now. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class RoutableIndexTest {

    static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    RoutableIndex index;

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

    private boolean indexed(String agent) {
        return index.routable(1000).stream().anyMatch(p -> p.agent().equals(agent));
    }
}
