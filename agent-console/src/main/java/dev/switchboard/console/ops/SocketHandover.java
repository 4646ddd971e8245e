package dev.switchboard.console.ops;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * Hands browsers over to the other console instances when this one stops: every browser's socket is closed with 1012
 * (Service Restart) and the reason {@value #REASON} first thing on SIGTERM; the console page reconnects within a few
 * seconds, through the proxy, to an instance still running (this one answers 503 while it drains). Closing a browser's
 * socket also closes its link to the switchboard. The console keeps no state, so nothing else moves.
 */
@ApplicationScoped
class SocketHandover {

    static final int SERVICE_RESTART = 1012;
    static final String REASON = "reconnect";
    private static final Logger LOG = Logger.getLogger(SocketHandover.class);

    private final OpenConnections connections;
    private final ShutdownConfig config;

    SocketHandover(OpenConnections connections, ShutdownConfig config) {
        this.connections = connections;
        this.config = config;
    }

    void beforeDraining(@Observes @Priority(10) ShutdownDelayInitiatedEvent event) {
        List<WebSocketConnection> open = connections.stream().filter(WebSocketConnection::isOpen).toList();
        if (open.isEmpty()) {
            return;
        }
        CloseReason reason = new CloseReason(SERVICE_RESTART, REASON);
        List<Uni<Void>> closing = open.stream().map(c -> c.close(reason).onFailure().recoverWithNull()).toList();
        try {
            Uni.join().all(closing).andCollectFailures().await().atMost(config.socketCloseTimeout());
        } catch (RuntimeException timeout) {
            LOG.warnf("not every browser socket closed within %s", config.socketCloseTimeout());
        }
        LOG.infof("closed %d browser socket(s) for shutdown with %d %s", open.size(), SERVICE_RESTART, REASON);
    }
}
