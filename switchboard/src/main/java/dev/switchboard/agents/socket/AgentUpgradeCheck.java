package dev.switchboard.agents.socket;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.agents.AgentPrincipal;
import dev.switchboard.agents.Tokens;

/** Refuses an agent's WebSocket handshake without a valid token or from a foreign origin, before it upgrades. */
@ApplicationScoped
public class AgentUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(AgentUpgradeCheck.class);

    private final Tokens tokens;
    private final SocketConfig config;

    AgentUpgradeCheck(Tokens tokens, SocketConfig config) {
        this.tokens = tokens;
        this.config = config;
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
        // Verifying reads the agent from DynamoDB: not on the event loop.
        return Uni.createFrom().item(() -> tokens.verify(token.get()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(principal -> principal.filter(AgentUpgradeCheck::mayAnswer).isPresent()
                        ? CheckResult.permitUpgradeSync()
                        : CheckResult.rejectUpgradeSync(principal.isPresent() ? 403 : 401));
    }
}
