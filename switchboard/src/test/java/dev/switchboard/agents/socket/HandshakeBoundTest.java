package dev.switchboard.agents.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

/**
 * A burst of connects larger than {@code switchboard.socket.max-pending-handshakes} is turned away (503 at the
 * handshake, or {@code 1013 busy} right after it) instead of queueing without limit, and the instance takes sockets
 * again as soon as the burst is over.
 */
@QuarkusTest
@TestProfile(HandshakeBoundTest.OneAtATime.class)
@WithTestResource(LocalServersResource.class)
class HandshakeBoundTest {

    private static final int BURST = 40;

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.socket.max-pending-handshakes", "1", "switchboard.socket.handshake-threads",
                    "1");
        }
    }

    @Test
    void aBurstPastTheBoundIsTurnedAwayAndTheInstanceRecovers() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            String agent = Agents.create("burst");
            urls.add(LocalServersResource.appUrl().replace("http", "ws") + "/agents/ws?access_token="
                    + Auth.token(agent, Auth.PASSWORD));
        }
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<WebSocket>> connects = new ArrayList<>();
        for (String url : urls) {
            connects.add(http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    outcomes.add(statusCode + " " + reason);
                    return null;
                }
            }).whenComplete((socket, failure) -> {
                if (failure != null && failure.getCause() instanceof WebSocketHandshakeException refused) {
                    outcomes.add(Integer.toString(refused.getResponse().statusCode()));
                }
            }));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .orTimeout(60, TimeUnit.SECONDS).join();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> outcomes.stream().anyMatch(o -> o.equals("503") || o.equals("1013 busy")));
        assertTrue(outcomes.stream().allMatch(o -> o.equals("503") || o.equals("1013 busy")),
                "only the bound turns sockets away: " + outcomes);
        connects.forEach(c -> c.thenAccept(s -> s.abort()));

        // Positive control, and recovery: one connect on its own is taken and works.
        String alone = Agents.create("alone");
        try (AgentClient client = Agents.connect(alone)) {
            assertEquals("presence", client.await("presence", Duration.ofSeconds(10)).get("type"));
        }
    }
}
