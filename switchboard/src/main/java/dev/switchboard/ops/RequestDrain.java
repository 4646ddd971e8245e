package dev.switchboard.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets requests under way finish when the instance stops, and turns new ones away with 503. WebSocket handshakes are
 * not counted: an agent's socket is handed over on its own (agents.socket.ShutdownHandover) and would otherwise hold
 * the drain for as long as it stays open.
 */
@ApplicationScoped
public class RequestDrain {

    /** After the agents' sockets have been handed over (their observer has priority 10). */
    static final int AFTER_HANDOVER = 20;
    private static final Logger LOG = Logger.getLogger(RequestDrain.class);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ShutdownConfig config;
    private volatile boolean draining;

    RequestDrain(ShutdownConfig config) {
        this.config = config;
    }

    void track(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (draining) {
            context.response().setStatusCode(503).putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader(HttpHeaders.RETRY_AFTER, "1").end();
            return;
        }
        if (!isWebSocketHandshake(context.request())) {
            inFlight.incrementAndGet();
            AtomicBoolean finished = new AtomicBoolean();
            context.addEndHandler(ended -> {
                if (finished.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            });
        }
        context.next();
    }

    void onShutdown(@Observes @Priority(AFTER_HANDOVER) ShutdownDelayInitiatedEvent event) {
        draining = true;
        long deadline = System.nanoTime() + config.timeout().toNanos();
        int waiting = inFlight.get();
        if (waiting > 0) {
            LOG.infof("waiting up to %s for %d request(s) under way", config.timeout(), waiting);
        }
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warnf("stopping with %d request(s) still under way after %s", inFlight.get(), config.timeout());
        } else if (waiting > 0) {
            LOG.info("every request under way has been answered");
        }
    }

    private static boolean isWebSocketHandshake(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }
}
