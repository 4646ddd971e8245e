package dev.switchboard.agents.socket;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.agents.AgentPrincipal;
import dev.switchboard.agents.Tokens;
import dev.switchboard.delivery.LocalSockets;

/** Refuses an agent's WebSocket handshake without a valid token or from a foreign origin, before it upgrades. */
@ApplicationScoped
public class AgentUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(AgentUpgradeCheck.class);

    private final Tokens tokens;
    private final SocketConfig config;
    private final LocalSockets sockets;
    private final HandshakeSessions verified;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong lastFullWarning = new AtomicLong(System.nanoTime() - 2_000_000_000L);

    /** Runs the verifications, {@code handshake-threads} at a time; its queue holds at most the pending ones. */
    private final ExecutorService verifier;

    AgentUpgradeCheck(Tokens tokens, SocketConfig config, LocalSockets sockets, HandshakeSessions verified) {
        this.tokens = tokens;
        this.config = config;
        this.sockets = sockets;
        this.verified = verified;
        AtomicInteger threads = new AtomicInteger();
        this.verifier = Executors.newFixedThreadPool(config.handshakeThreads(), runnable -> {
            Thread thread = new Thread(runnable, "agent-handshake-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        verifier.shutdownNow();
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return AgentSocket.class.getName().equals(endpointId);
    }

    /** Only agents and admins answer customers. */
    static boolean mayAnswer(AgentPrincipal principal) {
        return principal.roles().contains("agent") || principal.roles().contains("admin");
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin != null && !config.allowedOrigins().contains(origin)) {
            LOG.infof("refused an agent socket from origin %s", origin);
            return CheckResult.rejectUpgrade(403);
        }
        var token = Bearer.token(request.getHeader("Authorization"), request.query());
        if (token.isEmpty()) {
            return CheckResult.rejectUpgrade(401);
        }
        // Overload is refused before any work, so the sockets already open keep what they have.
        if (sockets.count() >= config.maxSocketsPerInstance()) {
            // On the event loop, and possibly thousands a second: one line a second at most.
            long now = System.nanoTime();
            long last = lastFullWarning.get();
            if (now - last > 1_000_000_000L && lastFullWarning.compareAndSet(last, now)) {
                LOG.warnf("refusing agent sockets: %d open, the most this instance holds", sockets.count());
            }
            return CheckResult.rejectUpgrade(503);
        }
        if (pending.incrementAndGet() > config.maxPendingHandshakes()) {
            pending.decrementAndGet();
            return CheckResult.rejectUpgrade(503);
        }
        // Verifying reads the agent from DynamoDB: not on the event loop. The socket's open reuses the result.
        return Uni.createFrom().item(() -> {
            long started = System.nanoTime();
            var session = tokens.verifySession(token.get());
            session.filter(s -> mayAnswer(s.principal())).ifPresent(s -> verified.remember(token.get(), s, started));
            return session.map(Tokens.Session::principal);
        }).runSubscriptionOn(verifier).map(principal -> principal.filter(AgentUpgradeCheck::mayAnswer).isPresent()
                ? CheckResult.permitUpgradeSync() : CheckResult.rejectUpgradeSync(principal.isPresent() ? 403 : 401))
                .onTermination().invoke(pending::decrementAndGet);
    }
}
