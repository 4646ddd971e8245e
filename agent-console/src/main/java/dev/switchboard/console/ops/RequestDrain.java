package dev.switchboard.console.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets requests under way finish when the console stops, and turns new ones away with 503 (behind HAProxy they are
 * retried on another instance). WebSocket handshakes are not counted: browsers' sockets are handed over on their own
 * ({@link SocketHandover}) and would otherwise hold the drain for as long as they stay open.
 */
@ApplicationScoped
public class RequestDrain {

    /** After the browsers' sockets have been handed over. */
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
        if (!"websocket".equalsIgnoreCase(context.request().getHeader(HttpHeaders.UPGRADE))) {
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
        }
    }
}
