package dev.switchboard.agents.socket;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.WebSocketConnection;

import dev.switchboard.agents.AgentDisabled;
import dev.switchboard.agents.AgentPrincipal;
import dev.switchboard.agents.Tokens;
import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.LocalSockets;

/**
 * Closes a disabled agent's sockets on every instance: at once through {@link Delivery#revoke} (Redis carries it to the
 * other instances), and, should that message be lost, at the next periodic re-read of the agents connected here.
 * Commands are re-checked one by one as well (AgentSessions#authorized), so none races the close.
 */
@ApplicationScoped
class Revocations {

    private static final Logger LOG = Logger.getLogger(Revocations.class);

    private final Delivery delivery;
    private final LocalSockets sockets;
    private final Tokens tokens;
    private final AgentSessions sessions;

    Revocations(Delivery delivery, LocalSockets sockets, Tokens tokens, AgentSessions sessions) {
        this.delivery = delivery;
        this.sockets = sockets;
        this.tokens = tokens;
        this.sessions = sessions;
    }

    void onDisabled(@Observes AgentDisabled disabled) {
        delivery.revoke(disabled.agent());
    }

    @Scheduled(every = "${switchboard.socket.revocation-check-interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recheckConnected() {
        sessions.forgetIdleLimiters();
        for (String agent : sockets.agents()) {
            List<WebSocketConnection> open = sockets.of(agent);
            AgentPrincipal principal = open.isEmpty() ? null : open.get(0).userData().get(AgentSessions.PRINCIPAL);
            if (principal == null) {
                continue;
            }
            try {
                if (tokens.recheck(principal).filter(AgentUpgradeCheck::mayAnswer).isEmpty()) {
                    LOG.infof("%s may no longer answer customers; closing their sockets", agent);
                    sockets.revoked(agent);
                    sockets.closeAll(agent, delivery.unauthorizedFrame(), LocalSockets.UNAUTHORIZED_CODE,
                            LocalSockets.UNAUTHORIZED);
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not re-check %s: %s", agent, e.getMessage());
            }
        }
    }
}
