package dev.switchboard.agents.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

/** Who may open an agent socket: a valid token, from an allowed origin, of an agent who may answer customers. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class AgentSocketHandshakeTest {

    @Test
    void aValidTokenOpensTheSocketAndTheAgentSeesTheirPresence() {
        String agent = Agents.create("ann");
        try (AgentClient client = Agents.connect(agent)) {
            Map<String, Object> presence = client.await("presence", Duration.ofSeconds(10));
            assertEquals(agent, presence.get("agent"));
            assertEquals("offline", presence.get("presence"));
            client.available(2);
            client.await("presence",
                    f -> "available".equals(f.get("presence")) && Integer.valueOf(2).equals(f.get("capacity")),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void missingTokenIsRefused() {
        assertEquals(401, refusal(null, null));
    }

    @Test
    void expiredTokenIsRefused() {
        String agent = Agents.create("ann");
        assertEquals(401,
                refusal(Auth.sign(agent, Set.of("agent"), Auth.ISSUER, Instant.now().minusSeconds(60)), null));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() throws Exception {
        String agent = Agents.create("ann");
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.upn(agent).groups(Set.of("agent")).issuer(Auth.ISSUER).expiresIn(600)
                .sign(generator.generateKeyPair().getPrivate());
        assertEquals(401, refusal(forged, null));
    }

    @Test
    void tokenWithoutAnAgentRoleIsRefused() {
        String guest = Auth.newAgent("agent");
        assertEquals(403,
                refusal(Auth.sign(guest, Set.of("guest"), Auth.ISSUER, Instant.now().plusSeconds(600)), null));
    }

    @Test
    void foreignOriginIsRefused() {
        String agent = Agents.create("ann");
        assertEquals(403, refusal(Auth.token(agent, Auth.PASSWORD), "https://evil.example.com"));
    }

    @Test
    void garbageAndUnknownCommandsGetAnErrorAndChangeNothing() {
        String agent = Agents.create("ann");
        try (AgentClient client = Agents.connect(agent)) {
            client.await("presence", Duration.ofSeconds(10));
            client.send(Map.of("type", "teleport"));
            client.await("error", f -> "bad_request".equals(f.get("code")), Duration.ofSeconds(10));
            client.send(Map.of("type", "available", "capacity", 0));
            client.await("error", f -> String.valueOf(f.get("reason")).contains("capacity"), Duration.ofSeconds(10));
        }
    }

    @Test
    void aFloodOfCommandsIsRateLimited() {
        String agent = Agents.create("ann");
        try (AgentClient client = Agents.connect(agent)) {
            client.await("presence", Duration.ofSeconds(10));
            for (int i = 0; i < 40; i++) {
                client.send(Map.of("type", "away"));
            }
            client.await("error", f -> "rate_limited".equals(f.get("code")), Duration.ofSeconds(10));
        }
    }

    /** The HTTP status with which the handshake was refused. */
    private static int refusal(String token, String origin) {
        String url = LocalServersResource.appUrl().replace("http", "ws") + "/agents/ws"
                + (token == null ? "" : "?access_token=" + token);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        CompletionException failure = assertThrows(CompletionException.class,
                () -> builder.buildAsync(URI.create(url), new WebSocket.Listener() {
                }).join());
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        return refused.getResponse().statusCode();
    }
}
