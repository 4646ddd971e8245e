package dev.switchboard.agents.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.agents.AgentPrincipal;
import dev.switchboard.agents.Tokens;
import dev.switchboard.delivery.LocalSockets;

/** A handshake's verified session is reused by the socket's open only until the agent is revoked. */
class HandshakeSessionsTest {

    private final LocalSockets sockets = new LocalSockets(1024);
    private final HandshakeSessions sessions = new HandshakeSessions(sockets);

    @Test
    void aSessionVerifiedBeforeARevocationIsNotReused() {
        Tokens.Session ann = session("ann");
        Tokens.Session bob = session("bob");
        sessions.remember("token-ann", ann, System.nanoTime());
        sessions.remember("token-bob", bob, System.nanoTime());
        assertEquals(Optional.of(ann), sessions.recent("token-ann"));
        sockets.revoked("ann");
        assertTrue(sessions.recent("token-ann").isEmpty(), "reused after the agent was revoked");
        // Positive control: another agent's session still counts.
        assertEquals(Optional.of(bob), sessions.recent("token-bob"));
        // Verified after the revocation: counts again.
        sessions.remember("token-ann", ann, System.nanoTime());
        assertEquals(Optional.of(ann), sessions.recent("token-ann"));
    }

    @Test
    void anOldVerificationDoesNotCount() {
        long longAgo = System.nanoTime() - (HandshakeSessions.TTL_SECONDS + 1) * 1_000_000_000L;
        sessions.remember("token-old", session("old"), longAgo);
        assertTrue(sessions.recent("token-old").isEmpty());
        assertTrue(sessions.recent("token-unknown").isEmpty());
    }

    @Test
    void theMapStaysBounded() {
        long now = System.nanoTime();
        for (int i = 0; i < HandshakeSessions.MAX_ENTRIES * 3; i++) {
            sessions.remember("token-" + i, session("a" + i), now + i);
        }
        assertTrue(sessions.size() <= HandshakeSessions.MAX_ENTRIES, () -> sessions.size() + " entries");
        assertTrue(sessions.recent("token-" + (HandshakeSessions.MAX_ENTRIES * 3 - 1)).isPresent());
    }

    private static Tokens.Session session(String agent) {
        return new Tokens.Session(new AgentPrincipal(agent, Set.of("agent")), Instant.now().plusSeconds(3600));
    }
}
