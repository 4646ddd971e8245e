package dev.switchboard.console.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;

import dev.switchboard.console.config.ConsoleConfig;
import dev.switchboard.console.enrich.Enrichment;
import dev.switchboard.console.session.Session;

/**
 * One browser connection and the one switchboard socket opened for it. Upstream frames, and the console's own
 * {@code connection}/{@code error} frames, go into one stream, through {@link Enrichment}, to the browser, in order.
 * Commands from the browser go upstream. A dropped upstream is reopened with back-off until the browser leaves or the
 * token expires; every reopen makes the switchboard resend the agent's conversations and presence.
 */
final class AgentLink {

    private static final Logger LOG = Logger.getLogger(AgentLink.class);
    private static final String UPSTREAM_PATH = "/agents/ws";
    private static final Set<String> COMMANDS = Set.of("available", "away", "response", "resolve", "transfer", "note",
            "read", "retry", "start");
    /** Time a {@code signed_out} frame gets to reach the browser before its socket is closed anyway. */
    private static final long CLOSE_GRACE_MILLIS = 2000;
    /** Close codes of the switchboard's agent socket (its README). */
    static final int SWITCHBOARD_UNAUTHORIZED = 4401;
    static final int SWITCHBOARD_REPLACED = 4409;

    private final WebSocketConnection browser;
    private final Session session;
    private final ConsoleConfig config;
    private final Backoff backoff;
    private final Vertx vertx;
    private final ObjectMapper json;
    /** Everything on its way to the browser, before enrichment. Serialized: fed from upstream, timers and commands. */
    private final SerializedProcessor<ObjectNode, ObjectNode> frames = UnicastProcessor.<ObjectNode> create()
            .serialized();

    private volatile WebSocketClientConnection upstream;
    private volatile boolean ended;
    private int failures;
    private long reconnectTimer = -1;
    private long expiryTimer = -1;

    AgentLink(WebSocketConnection browser, Session session, ConsoleConfig config, Vertx vertx, ObjectMapper json) {
        this.browser = browser;
        this.session = session;
        this.config = config;
        this.backoff = new Backoff(config.reconnect().minDelay(), config.reconnect().maxDelay(),
                config.reconnect().jitter());
        this.vertx = vertx;
        this.json = json;
    }

    String agent() {
        return session.agent();
    }

    /** Subscribes the browser to the enriched stream, once, and opens the upstream socket. */
    void start(Enrichment enrichment) {
        enrichment.enrich(Multi.createFrom().publisher(frames)).onItem().transformToUniAndConcatenate(this::toBrowser)
                .subscribe().with(sent -> {
                }, failure -> {
                    LOG.errorf(failure, "frames to %s failed; closing their socket", session.agent());
                    end();
                    browser.close(CloseReason.INTERNAL_SERVER_ERROR).subscribe().with(x -> {
                    }, x -> {
                    });
                }, () -> browser.close().subscribe().with(x -> {
                }, x -> {
                }));
        long untilExpiry = Math.max(1, Duration.between(Instant.now(), session.expiresAt()).toMillis());
        synchronized (this) {
            expiryTimer = vertx.setTimer(untilExpiry, id -> signOut("your sign-in expired"));
        }
        connect();
    }

    private Uni<Void> toBrowser(ObjectNode frame) {
        String text;
        try {
            text = json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "frame to %s not serializable", session.agent());
            return Uni.createFrom().voidItem();
        }
        // A browser gone mid-send is not the stream's failure: the close handler ends the link.
        return browser.sendText(text).onFailure().recoverWithNull();
    }

    private void connect() {
        if (ended) {
            return;
        }
        if (session.expired()) {
            signOut("your sign-in expired");
            return;
        }
        BasicWebSocketConnector.create().baseUri(config.switchboardUrl().orElseThrow()).path(UPSTREAM_PATH)
                .addHeader("Authorization", "Bearer " + session.token())
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                // Vert.x would send the switchboard's own address as Origin, which its allow-list need not hold;
                // a server-side client sends none.
                .customizeOptions((connect, client) -> connect.setAllowOriginHeader(false)).onOpen(this::upstreamOpened)
                .onTextMessage(this::fromUpstream).onClose(this::upstreamClosed).connect().subscribe()
                .with(connection -> {
                    if (ended) {
                        connection.close().subscribe().with(x -> {
                        }, x -> {
                        });
                    }
                }, this::connectFailed);
    }

    private void upstreamOpened(WebSocketClientConnection connection) {
        if (ended) {
            connection.close().subscribe().with(x -> {
            }, x -> {
            });
            return;
        }
        synchronized (this) {
            failures = 0;
            upstream = connection;
        }
        // Emitted before any frame of this connection: the browser marks its conversations stale here and keeps
        // those the switchboard sends again.
        emit(new ConsoleFrames.Connection(ConsoleFrames.CONNECTED, null, null));
    }

    private void fromUpstream(WebSocketClientConnection connection, String text) {
        if (connection != upstream) {
            return;
        }
        try {
            JsonNode frame = json.readTree(text);
            if (frame instanceof ObjectNode object) {
                emitNode(object);
            }
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable frame from the switchboard for %s", session.agent());
        }
    }

    private void upstreamClosed(WebSocketClientConnection connection, CloseReason reason) {
        synchronized (this) {
            if (connection != upstream) {
                return;
            }
            upstream = null;
        }
        if (ended) {
            return;
        }
        // 4401: the switchboard no longer accepts this sign-in (agent disabled, token expired); 4409: the agent opened
        // more sockets than allowed and this was the oldest. Reconnecting would be refused, or would push another out.
        if (reason != null && reason.getCode() == SWITCHBOARD_UNAUTHORIZED) {
            signOut("the switchboard no longer accepts your sign-in");
            return;
        }
        if (reason != null && reason.getCode() == SWITCHBOARD_REPLACED) {
            signOut("you are signed in on too many tabs; this one was closed");
            return;
        }
        LOG.infof("switchboard socket of %s closed (%s); reconnecting", session.agent(), reason);
        if (session.expired()) {
            signOut("your sign-in expired");
        } else {
            scheduleReconnect();
        }
    }

    private void connectFailed(Throwable failure) {
        if (ended) {
            return;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpgradeRejectedException rejected
                    && (rejected.getStatus() == 401 || rejected.getStatus() == 403)) {
                signOut("the switchboard no longer accepts your sign-in");
                return;
            }
        }
        LOG.infof("switchboard socket of %s did not open: %s", session.agent(), failure.toString());
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long delay;
        synchronized (this) {
            if (ended) {
                return;
            }
            failures++;
            delay = backoff.delayMillis(failures, ThreadLocalRandom.current()::nextDouble);
            reconnectTimer = vertx.setTimer(delay, id -> connect());
        }
        emit(new ConsoleFrames.Connection(ConsoleFrames.RECONNECTING, delay, null));
    }

    /** A command from the browser, passed upstream if it is one and the switchboard is there to take it. */
    void command(String text) {
        ConsoleFrames.Command command;
        try {
            command = json.readValue(text, ConsoleFrames.Command.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            emit(new ConsoleFrames.Error("bad_request", "not a JSON command"));
            return;
        }
        if (command.type() == null || !COMMANDS.contains(command.type())) {
            emit(new ConsoleFrames.Error("bad_request", "unknown command type " + command.type()));
            return;
        }
        if (session.expired()) {
            signOut("your sign-in expired");
            return;
        }
        WebSocketClientConnection connection = upstream;
        if (connection == null || !connection.isOpen()) {
            emit(new ConsoleFrames.Error("unavailable", "not connected to the switchboard; reconnecting, try again"));
            return;
        }
        String out;
        try {
            out = json.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        connection.sendText(out).subscribe().with(sent -> {
        }, failure -> emit(new ConsoleFrames.Error("unavailable", "could not reach the switchboard; try again")));
    }

    /** Tells the browser, then closes both sockets. */
    private void signOut(String reason) {
        if (ended) {
            return;
        }
        emit(new ConsoleFrames.Connection(ConsoleFrames.SIGNED_OUT, null, reason));
        end();
        vertx.setTimer(CLOSE_GRACE_MILLIS, id -> browser.close().subscribe().with(x -> {
        }, x -> {
        }));
    }

    /** The browser left (or is being sent away): nothing more goes either way. */
    void end() {
        WebSocketClientConnection connection;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            vertx.cancelTimer(reconnectTimer);
            vertx.cancelTimer(expiryTimer);
            connection = upstream;
            upstream = null;
        }
        if (connection != null) {
            connection.close().subscribe().with(x -> {
            }, x -> {
            });
        }
        frames.onComplete();
    }

    private void emit(Object frame) {
        emitNode(json.valueToTree(frame));
    }

    private void emitNode(ObjectNode frame) {
        if (!ended) {
            frames.onNext(frame);
        }
    }
}
