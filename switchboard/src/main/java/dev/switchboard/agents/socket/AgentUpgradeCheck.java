package dev.switchboard.agents.socket;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
    private final AtomicInteger pending = new AtomicInteger();

    AgentUpgradeCheck(Tokens tokens, SocketConfig config, LocalSockets sockets) {
        this.tokens = tokens;
        this.config = config;
        this.sockets = sockets;
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
            LOG.warnf("refused an agent socket: %d open, the most this instance holds", sockets.count());
            return CheckResult.rejectUpgrade(503);
        }
        if (pending.incrementAndGet() > config.maxPendingHandshakes()) {
            pending.decrementAndGet();
            return CheckResult.rejectUpgrade(503);
        }
        // Verifying reads the agent from DynamoDB: not on the event loop.
        return Uni.createFrom().item(() -> tokens.verify(token.get()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(principal -> principal.filter(AgentUpgradeCheck::mayAnswer).isPresent()
                        ? CheckResult.permitUpgradeSync()
                        : CheckResult.rejectUpgradeSync(principal.isPresent() ? 403 : 401))
                .onTermination().invoke(pending::decrementAndGet);
    }
}
