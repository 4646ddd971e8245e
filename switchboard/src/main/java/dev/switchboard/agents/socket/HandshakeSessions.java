package dev.switchboard.agents.socket;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.agents.Tokens;
import dev.switchboard.delivery.LocalSockets;

/**
 * Tokens the handshake check ({@link AgentUpgradeCheck}) has just verified, so that opening the socket a moment later
 * does not parse the token and read the agent a second time. An entry counts for {@value #TTL_SECONDS} s and only if
 * the agent's sockets were not revoked on this instance since it was verified; otherwise the socket verifies again.
 * Bounded: past {@value #MAX_ENTRIES} entries the stale ones go, then the oldest half if need be.
 */
@ApplicationScoped
class HandshakeSessions {

    static final int TTL_SECONDS = 5;
    static final int MAX_ENTRIES = 4096;

    private record Verified(Tokens.Session session, long atNanos) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final LocalSockets sockets;

    HandshakeSessions(LocalSockets sockets) {
        this.sockets = sockets;
    }

    /**
     * @param startedNanos
     *            System.nanoTime when the verification began (before it read the agent): a revocation after that moment
     *            voids the entry
     */
    void remember(String token, Tokens.Session session, long startedNanos) {
        if (verified.size() >= MAX_ENTRIES) {
            prune();
        }
        verified.put(token, new Verified(session, startedNanos));
    }

    /** The session verified for this token moments ago, if it still counts. */
    Optional<Tokens.Session> recent(String token) {
        Verified entry = verified.get(token);
        if (entry == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (now - entry.atNanos() > TimeUnit.SECONDS.toNanos(TTL_SECONDS)
                || sockets.revokedSince(entry.session().principal().agent(), entry.atNanos())) {
            verified.remove(token, entry);
            return Optional.empty();
        }
        return Optional.of(entry.session());
    }

    int size() {
        return verified.size();
    }

    private void prune() {
        long now = System.nanoTime();
        verified.values().removeIf(entry -> now - entry.atNanos() > TimeUnit.SECONDS.toNanos(TTL_SECONDS));
        if (verified.size() >= MAX_ENTRIES) {
            long cut = verified.values().stream().mapToLong(Verified::atNanos).sorted().skip(MAX_ENTRIES / 2)
                    .findFirst().orElse(now);
            verified.values().removeIf(entry -> entry.atNanos() < cut);
        }
    }
}
