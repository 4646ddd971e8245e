package dev.switchboard.agents.socket;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

import dev.switchboard.agents.AgentPrincipal;
import dev.switchboard.agents.Tokens;
import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.delivery.LocalSockets;
import dev.switchboard.history.Conversation;
import dev.switchboard.routing.InstanceId;
import dev.switchboard.routing.Presence;
import dev.switchboard.routing.Router;
import dev.switchboard.routing.RoutingConfig;
import dev.switchboard.routing.RoutingStore;

/**
 * An agent socket's life: who it is and until when (its token's expiry, when it is closed), the per-agent socket cap,
 * the resync on connect (to the new socket alone, so a connect costs O(conversations)), and presence on close.
 */
@ApplicationScoped
public class AgentSessions {

    /**
     * Private-use close code: the agent opened more sockets than {@code max-sockets-per-agent}; this was the oldest.
     */
    static final int REPLACED_CODE = 4409;
    static final String REPLACED = "replaced";
    /** RFC 6455 1013 (Try Again Later): more sockets were opening at once than this instance takes on. */
    static final int BUSY_CODE = 1013;
    static final String BUSY = "busy";
    /** How long a new socket waits for its turn to open before it is closed {@value #BUSY_CODE} {@value #BUSY}. */
    private static final int OPEN_WAIT_SECONDS = 10;

    static final TypedKey<AgentPrincipal> PRINCIPAL = new TypedKey<>("principal");
    static final TypedKey<Instant> EXPIRES_AT = new TypedKey<>("expiresAt");
    private static final TypedKey<Long> EXPIRY_TIMER = new TypedKey<>("expiryTimer");
    private static final Logger LOG = Logger.getLogger(AgentSessions.class);

    private final Tokens tokens;
    private final RoutingStore routing;
    private final Router router;
    private final Delivery delivery;
    private final LocalSockets sockets;
    private final InstanceId instance;
    private final RoutingConfig routingConfig;
    private final SocketConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final HandshakeSessions verified;
    private final AtomicInteger opening = new AtomicInteger();
    /** handshake-threads opens at a time do their DynamoDB work; the others wait. */
    private final Semaphore turns;

    AgentSessions(Tokens tokens, RoutingStore routing, Router router, Delivery delivery, LocalSockets sockets,
            InstanceId instance, RoutingConfig routingConfig, SocketConfig config, Vertx vertx, ObjectMapper json,
            HandshakeSessions verified) {
        this.tokens = tokens;
        this.verified = verified;
        this.turns = new Semaphore(config.handshakeThreads());
        this.routing = routing;
        this.router = router;
        this.delivery = delivery;
        this.sockets = sockets;
        this.instance = instance;
        this.routingConfig = routingConfig;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
    }

    /**
     * A new connection: note who it is, take over their presence here, and resync everything assigned to them.
     * {@code handshake-threads} do that work at once (each writes presence and reads the agent's conversations), up to
     * {@code max-pending-handshakes} wait their turn; past that, or after waiting {@value #OPEN_WAIT_SECONDS} s, the
     * new socket is closed with {@value #BUSY_CODE} {@value #BUSY} before any of that work, and the client reconnects
     * later as after any close.
     */
    void opened(WebSocketConnection connection) {
        boolean turn = false;
        try {
            // Waiting is parked, not running: the bound on waiters keeps the worker threads it holds few.
            if (opening.incrementAndGet() > config.maxPendingHandshakes()
                    || !(turn = turns.tryAcquire(OPEN_WAIT_SECONDS, TimeUnit.SECONDS))) {
                LOG.debugf("too many sockets opening at once; closing a new one");
                sockets.closeWith(connection, null, BUSY_CODE, BUSY);
                return;
            }
            open(connection);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sockets.closeWith(connection, null, BUSY_CODE, BUSY);
        } finally {
            if (turn) {
                turns.release();
            }
            opening.decrementAndGet();
        }
    }

    private void open(WebSocketConnection connection) {
        var token = Bearer.token(connection.handshakeRequest().header("Authorization"),
                connection.handshakeRequest().query());
        // The handshake check verified this token a moment ago: trusted unless revoked since (HandshakeSessions).
        Tokens.Session session = token.flatMap(t -> verified.recent(t).or(() -> tokens.verifySession(t)))
                .filter(s -> AgentUpgradeCheck.mayAnswer(s.principal())).orElse(null);
        if (session == null || !session.expiresAt().isAfter(Instant.now())) {
            sockets.closeWith(connection, delivery.unauthorizedFrame(), LocalSockets.UNAUTHORIZED_CODE,
                    LocalSockets.UNAUTHORIZED);
            return;
        }
        String agent = session.principal().agent();
        connection.userData().put(PRINCIPAL, session.principal());
        connection.userData().put(EXPIRES_AT, session.expiresAt());
        sockets.add(agent, connection);
        long untilExpiry = Math.max(1, session.expiresAt().toEpochMilli() - System.currentTimeMillis());
        connection.userData().put(EXPIRY_TIMER, vertx.setTimer(untilExpiry, id -> expired(connection)));
        enforceCap(agent);
        Presence presence = routing.connected(agent, instance.get(), routingConfig.defaultCapacity()).orElse(null);
        if (presence == null) {
            send(connection, new Frames.Error("unknown_agent", "no such agent"));
            connection.closeAndAwait();
            return;
        }
        for (Conversation conversation : routing.assignedTo(agent)) {
            send(connection, router.assignedFrame(conversation, config.resyncHistory()));
        }
        send(connection,
                new Frames.PresenceFrame(agent, presence.status().wire(), presence.capacity(), presence.load()));
        if (presence.status() == Presence.Status.AVAILABLE) {
            router.drain();
        }
    }

    /** The oldest sockets past the cap go, newest kept. */
    private void enforceCap(String agent) {
        List<WebSocketConnection> open = sockets.of(agent);
        for (int i = 0; i < open.size() - config.maxSocketsPerAgent(); i++) {
            WebSocketConnection oldest = open.get(i);
            LOG.debugf("%s opened more than %d sockets; closing their oldest", agent, config.maxSocketsPerAgent());
            sockets.closeWith(oldest,
                    text(new Frames.Error("too_many_sockets",
                            "signed in on more than " + config.maxSocketsPerAgent() + " tabs; this one was closed")),
                    REPLACED_CODE, REPLACED);
        }
    }

    private void expired(WebSocketConnection connection) {
        connection.userData().remove(EXPIRY_TIMER);
        if (connection.isOpen()) {
            LOG.debugf("token of %s expired; closing its socket", connection.userData().get(LocalSockets.AGENT));
            sockets.closeWith(connection, delivery.unauthorizedFrame(), LocalSockets.UNAUTHORIZED_CODE,
                    LocalSockets.UNAUTHORIZED);
        }
    }

    /**
     * Whether the connection may still act: its token has not expired and its agent is still enabled with a role that
     * answers customers. If not, the socket is closed after {@code error unauthorized}.
     */
    boolean authorized(WebSocketConnection connection) {
        AgentPrincipal principal = connection.userData().get(PRINCIPAL);
        Instant expiresAt = connection.userData().get(EXPIRES_AT);
        boolean ok = principal != null && expiresAt != null && expiresAt.isAfter(Instant.now())
                && tokens.recheck(principal).filter(AgentUpgradeCheck::mayAnswer).isPresent();
        if (!ok) {
            sockets.closeWith(connection, delivery.unauthorizedFrame(), LocalSockets.UNAUTHORIZED_CODE,
                    LocalSockets.UNAUTHORIZED);
        }
        return ok;
    }

    /** One bucket per agent on this instance, whichever of their sockets a command comes on. */
    RateLimiter limiter(String agent) {
        return limiters.computeIfAbsent(agent, a -> new RateLimiter(config.commandsPerSecond(), config.commandBurst()));
    }

    /** Drops the command buckets of agents with no socket here left, so the map stays as small as the sockets. */
    void forgetIdleLimiters() {
        limiters.keySet().removeIf(agent -> sockets.of(agent).isEmpty());
    }

    void closed(String agent, WebSocketConnection connection) {
        Long timer = connection.userData().get(EXPIRY_TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (sockets.remove(agent, connection)) {
            // The bucket stays until the periodic re-check: reconnecting must not buy a fresh burst.
            routing.disconnected(agent, instance.get());
        }
    }

    void send(WebSocketConnection connection, Object frame) {
        sockets.send(connection, text(frame));
    }

    private String text(Object frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
