package dev.switchboard.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The agent connections this instance holds, indexed by agent so that a frame for one agent costs O(their sockets),
 * never a walk over every connection. Connection state only: never the source of truth.
 * <p>
 * Every frame to a socket goes through {@link #send(WebSocketConnection, String)}, which counts the bytes written but
 * not yet flushed to the network: a socket whose client stops reading passes
 * {@code switchboard.socket.max-pending-bytes} and is closed with {@value #SLOW_CONSUMER_CODE} {@value #SLOW_CONSUMER},
 * instead of being buffered without limit.
 */
@ApplicationScoped
public class LocalSockets {

    public static final TypedKey<String> AGENT = TypedKey.forString("agent");

    /** RFC 6455 1013 (Try Again Later): the client did not keep up; it may reconnect and gets a resync. */
    public static final int SLOW_CONSUMER_CODE = 1013;
    public static final String SLOW_CONSUMER = "slow_consumer";
    /** Private-use close code: the agent must sign in again (token expired, agent disabled). */
    public static final int UNAUTHORIZED_CODE = 4401;
    public static final String UNAUTHORIZED = "unauthorized";

    private static final Logger LOG = Logger.getLogger(LocalSockets.class);
    private static final TypedKey<AtomicLong> PENDING = new TypedKey<>("pendingBytes");
    /** Set once this side has started closing the connection: it no longer counts as one of the agent's sockets. */
    private static final TypedKey<Boolean> CLOSING = new TypedKey<>("closing");

    private final Map<String, Set<WebSocketConnection>> byAgent = new ConcurrentHashMap<>();
    /** When each agent's sockets were last revoked here (System.nanoTime), kept for a minute; see revokedSince. */
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final long maxPendingBytes;

    public LocalSockets(
            @ConfigProperty(name = "switchboard.socket.max-pending-bytes", defaultValue = "524288") long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
    }

    /** Registers an agent's connection once its handshake is accepted. */
    public void add(String agent, WebSocketConnection connection) {
        connection.userData().put(AGENT, agent);
        connection.userData().put(PENDING, new AtomicLong());
        if (byAgent.computeIfAbsent(agent, a -> ConcurrentHashMap.newKeySet()).add(connection)) {
            open.incrementAndGet();
        }
    }

    /** @return whether the agent has no connection left here */
    public boolean remove(String agent, WebSocketConnection connection) {
        boolean[] last = { false };
        byAgent.computeIfPresent(agent, (a, set) -> {
            if (set.remove(connection)) {
                open.decrementAndGet();
            }
            last[0] = set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        return last[0] || !byAgent.containsKey(agent);
    }

    /** The agent's open connections here that are not being closed, oldest first. */
    public List<WebSocketConnection> of(String agent) {
        Set<WebSocketConnection> set = byAgent.get(agent);
        return set == null ? List.of() : set.stream().filter(LocalSockets::live)
                .sorted(Comparator.comparing(WebSocketConnection::creationTime)).toList();
    }

    private static boolean live(WebSocketConnection connection) {
        return connection.isOpen() && connection.userData().get(CLOSING) == null;
    }

    public List<String> agents() {
        return List.copyOf(byAgent.keySet());
    }

    /** Agent connections open on this instance. */
    public int count() {
        return open.get();
    }

    /** Sends to every open connection of the agent on this instance; returns how many there were. */
    public int send(String agent, String text) {
        Set<WebSocketConnection> set = byAgent.get(agent);
        if (set == null) {
            return 0;
        }
        int sent = 0;
        for (WebSocketConnection connection : set) {
            if (live(connection)) {
                send(connection, text);
                sent++;
            }
        }
        return sent;
    }

    /** Sends one frame to one connection, closing it instead if its client has stopped reading. */
    public void send(WebSocketConnection connection, String text) {
        AtomicLong pending = connection.userData().get(PENDING);
        long size = text.length() <= 1024 ? text.getBytes(StandardCharsets.UTF_8).length : 3L * text.length();
        if (pending != null && pending.addAndGet(size) > maxPendingBytes) {
            pending.addAndGet(-size);
            LOG.warnf("closing a socket of %s: more than %d bytes waiting for a client that does not read",
                    connection.userData().get(AGENT), maxPendingBytes);
            close(connection, SLOW_CONSUMER_CODE, SLOW_CONSUMER);
            return;
        }
        connection.sendText(text).subscribe().with(sent -> release(pending, size), failure -> {
            release(pending, size);
            LOG.debugf("could not send to %s: %s", connection.userData().get(AGENT), failure.getMessage());
        });
    }

    /**
     * Notes that the agent's access was revoked now, before their sockets here are closed: a handshake verified before
     * this moment must be verified again rather than trusted (AgentSessions).
     */
    public void revoked(String agent) {
        long now = System.nanoTime();
        if (revokedAt.size() > 1024) {
            revokedAt.values().removeIf(at -> now - at > TimeUnit.MINUTES.toNanos(1));
        }
        revokedAt.put(agent, now);
    }

    /**
     * Whether the agent's access was revoked here at or after {@code nanos} (System.nanoTime), within the last minute.
     */
    public boolean revokedSince(String agent, long nanos) {
        Long at = revokedAt.get(agent);
        return at != null && at - nanos >= 0;
    }

    /** Sends a last frame (if any) to each of the agent's connections here and closes them. */
    public int closeAll(String agent, String lastFrame, int code, String reason) {
        List<WebSocketConnection> open = of(agent);
        for (WebSocketConnection connection : open) {
            closeWith(connection, lastFrame, code, reason);
        }
        return open.size();
    }

    /** Sends a last frame (if any), then closes the connection. */
    public void closeWith(WebSocketConnection connection, String lastFrame, int code, String reason) {
        // Once only: a flood of handshakes must not close (and frame) the same sockets again and again.
        if (connection.userData().put(CLOSING, Boolean.TRUE) != null) {
            return;
        }
        if (lastFrame == null) {
            close(connection, code, reason);
            return;
        }
        connection.sendText(lastFrame).onFailure().recoverWithNull()
                .chain(() -> connection.close(new CloseReason(code, reason))).subscribe().with(x -> {
                }, failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
    }

    private static void close(WebSocketConnection connection, int code, String reason) {
        connection.userData().put(CLOSING, Boolean.TRUE);
        connection.close(new CloseReason(code, reason)).subscribe().with(x -> {
        }, failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
    }

    private static void release(AtomicLong pending, long size) {
        if (pending != null) {
            pending.addAndGet(-size);
        }
    }
}
