package dev.switchboard.agents.socket;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

import dev.switchboard.delivery.LocalSockets;
import dev.switchboard.routing.InstanceId;
import dev.switchboard.routing.RoutingStore;

/**
 * Hands agents over to the other instances when this one stops: every agent's socket is closed with 1012 (Service
 * Restart) and the reason {@value #REASON}, so browsers reconnect at once instead of waiting out a dead TCP connection,
 * and the load balancer sends them elsewhere (this instance answers new requests 503 while it drains). Each agent's
 * disconnect grace starts first, so their conversations stay theirs while they reconnect.
 * <p>
 * It runs first thing on SIGTERM ({@link ShutdownDelayInitiatedEvent}, which {@code quarkus.shutdown.delay-enabled}
 * turns on), before requests under way are drained (ops.RequestDrain), so agents move while webhooks finish. The
 * {@link ShutdownEvent} pass catches anyone whose handshake was already under way.
 */
@ApplicationScoped
class ShutdownHandover {

    /** RFC 6455 registry: the server is restarting; a client may reconnect, ideally to another instance. */
    static final int SERVICE_RESTART = 1012;
    static final String REASON = "reconnect";

    private static final Logger LOG = Logger.getLogger(ShutdownHandover.class);

    private final OpenConnections connections;
    private final RoutingStore routing;
    private final InstanceId instance;
    private final SocketConfig config;

    ShutdownHandover(OpenConnections connections, RoutingStore routing, InstanceId instance, SocketConfig config) {
        this.connections = connections;
        this.routing = routing;
        this.instance = instance;
        this.config = config;
    }

    void beforeDraining(@Observes @Priority(10) ShutdownDelayInitiatedEvent event) {
        handOver();
    }

    void atShutdown(@Observes @Priority(1) ShutdownEvent event) {
        handOver();
    }

    void handOver() {
        List<WebSocketConnection> open = connections.stream().filter(WebSocketConnection::isOpen).toList();
        if (open.isEmpty()) {
            return;
        }
        // The grace must be running before the browser can reconnect; @OnClose would start it too, but possibly only
        // after the storage clients have been closed.
        open.stream().map(c -> c.userData().get(LocalSockets.AGENT)).filter(a -> a != null).distinct()
                .forEach(agent -> {
                    try {
                        routing.disconnected(agent, instance.get());
                    } catch (RuntimeException e) {
                        LOG.warnf("could not start the disconnect grace of %s: %s", agent, e.getMessage());
                    }
                });
        CloseReason reason = new CloseReason(SERVICE_RESTART, REASON);
        List<Uni<Void>> closing = open.stream()
                .map(c -> c.close(reason).onFailure()
                        .invoke(e -> LOG.debugf("close of %s failed: %s", c.id(), e.getMessage())).onFailure()
                        .recoverWithNull())
                .toList();
        try {
            Uni.join().all(closing).andCollectFailures().await().atMost(config.shutdownCloseTimeout());
        } catch (RuntimeException timeout) {
            LOG.warnf("not every agent socket closed within %s", config.shutdownCloseTimeout());
        }
        LOG.infof("closed %d agent socket(s) for shutdown with %d %s", open.size(), SERVICE_RESTART, REASON);
    }
}
