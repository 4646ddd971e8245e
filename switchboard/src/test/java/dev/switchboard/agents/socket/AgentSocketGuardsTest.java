package dev.switchboard.agents.socket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.delivery.LocalSockets;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

/** What an agent's socket does with bad frames, too many sockets, a flood of commands, an expired token, a stall. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class AgentSocketGuardsTest {

    static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    Delivery delivery;

    @Inject
    LocalSockets sockets;

    @Test
    void nullAndMalformedFramesGetBadRequestAndTheSocketStaysOpen() {
        String agent = Agents.create("ann");
        try (AgentClient client = Agents.connect(agent)) {
            client.await("presence", SOON);
            List<String> bad = List.of("null", "[]", "\"available\"", "42", "{", "",
                    "{\"type\":\"available\",\"capacity\":\"lots\"}", "{\"type\":null}",
                    "{\"type\":\"available\",\"capacity\":99999999999}");
            for (String frame : bad) {
                client.sendRaw(frame);
            }
            client.sendBinary(new byte[] { 1, 2, 3 });
            await().atMost(SOON).until(() -> client.frames("error").size() >= bad.size() + 1);
            assertTrue(client.frames("error").stream().allMatch(f -> "bad_request".equals(f.get("code"))),
                    () -> client.frames("error").toString());
            assertFalse(client.isClosed());
            client.available(2);
            client.await("presence", f -> "available".equals(f.get("presence")), SOON);
        }
    }

    @Test
    void theSixthSocketOfOneAgentClosesTheirOldest() {
        String agent = Agents.create("ann");
        String token = Auth.token(agent, Auth.PASSWORD);
        List<AgentClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                AgentClient client = AgentClient.connect(LocalServersResource.appUrl(), agent, token);
                client.await("presence", SOON);
                clients.add(client);
            }
            AgentClient.Closed closed = clients.get(0).awaitClosed(SOON);
            assertEquals(new AgentClient.Closed(4409, "replaced"), closed);
            assertTrue(clients.get(0).frames("error").stream().anyMatch(f -> "too_many_sockets".equals(f.get("code"))));
            await().atMost(SOON).until(() -> sockets.of(agent).size() == 5);
            for (AgentClient kept : clients.subList(1, 6)) {
                assertFalse(kept.isClosed());
            }
            clients.get(5).available(1);
            clients.get(1).await("presence", f -> "available".equals(f.get("presence")), SOON);
        } finally {
            clients.forEach(AgentClient::close);
        }
    }

    @Test
    void theCommandRateLimitCoversAllOfAnAgentsSockets() {
        String agent = Agents.create("ann");
        String token = Auth.token(agent, Auth.PASSWORD);
        try (AgentClient a = AgentClient.connect(LocalServersResource.appUrl(), agent, token);
                AgentClient b = AgentClient.connect(LocalServersResource.appUrl(), agent, token)) {
            a.await("presence", SOON);
            b.await("presence", SOON);
            // 15 each stays inside one socket's burst of 20; together they pass it.
            for (int i = 0; i < 15; i++) {
                a.send(Map.of("type", "away"));
                b.send(Map.of("type", "away"));
            }
            await().atMost(SOON).until(() -> !a.frames("error").isEmpty() || !b.frames("error").isEmpty());
            List<Map<String, Object>> errors = new ArrayList<>(a.frames("error"));
            errors.addAll(b.frames("error"));
            assertTrue(errors.stream().allMatch(f -> "rate_limited".equals(f.get("code"))), errors::toString);
        }
    }

    @Test
    void aSocketClosesWhenItsTokenExpires() {
        String agent = Agents.create("ann");
        String shortLived = Auth.sign(agent, Set.of("agent"), Auth.ISSUER, Instant.now().plusSeconds(3));
        try (AgentClient client = AgentClient.connect(LocalServersResource.appUrl(), agent, shortLived)) {
            client.await("presence", SOON);
            assertFalse(client.isClosed());
            AgentClient.Closed closed = client.awaitClosed(SOON);
            assertEquals(new AgentClient.Closed(4401, "unauthorized"), closed);
            assertTrue(client.frames("error").stream().anyMatch(f -> "unauthorized".equals(f.get("code"))));
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedNotBufferedWithoutLimit() {
        String agent = Agents.create("ann");
        String token = Auth.token(agent, Auth.PASSWORD);
        try (AgentClient stalled = AgentClient.connect(LocalServersResource.appUrl(), agent, token, false)) {
            await().atMost(SOON).until(() -> sockets.of(agent).size() == 1);
            String big = "x".repeat(60_000);
            // 60 MB, far past what the kernel's socket buffers can hold for a reader that takes nothing.
            for (int i = 0; i < 1_000 && !sockets.of(agent).isEmpty(); i++) {
                delivery.toAgent(agent, new Frames.Error("filler", big));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sockets.of(agent).isEmpty());
        }
    }
}
