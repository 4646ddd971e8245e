package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One agent's socket ({@code /agents/ws}) on the JDK's WebSocket client; its frames reach a {@link FrameSink} as
 * {@link FrameSocket} hands them on.
 */
final class AgentSocket extends FrameSocket {

    /** Receives every frame of every agent, from the client's threads. */
    @FunctionalInterface
    interface FrameSink {
        void frame(String agent, String type, String text, long receivedNanos);
    }

    /** The first presence frame: the switchboard has finished opening the socket (resync and presence sent). */
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final boolean quiet;
    private volatile String closedWith;

    private AgentSocket(String agent, FrameSink sink, boolean quiet) {
        super(agent, sink);
        this.quiet = quiet;
    }

    /** Connects with a login token to the switchboard at {@code base} (http://host:port). */
    static AgentSocket connect(HttpClient client, URI base, String agent, String token, FrameSink sink) {
        return connect(client, base, agent, token, sink, false);
    }

    /**
     * As {@link #connect(HttpClient, URI, String, String, FrameSink)}; {@code quiet} keeps the switchboard's closes off
     * stderr (a flood expects thousands), for {@link #closedWith()} to report.
     */
    static AgentSocket connect(HttpClient client, URI base, String agent, String token, FrameSink sink, boolean quiet) {
        AgentSocket listener = new AgentSocket(agent, sink, quiet);
        URI url = URI.create(base.toString().replaceFirst("^http", "ws") + "/agents/ws?access_token=" + token);
        listener.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(url, listener)
                .orTimeout(20, TimeUnit.SECONDS).join();
        return listener;
    }

    /**
     * Waits until the switchboard has opened the socket (its first {@code presence} frame), as the console waits before
     * it shows the agent signed in; a closed socket fails it.
     */
    AgentSocket awaitOpened(Duration timeout) {
        opened.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /** Says the agent is away: signed in, taking no conversation. */
    void away() {
        socket.sendText("{\"type\":\"away\"}", true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** How the switchboard closed this socket ({@code "4409 replaced"}), or null while it is open. */
    String closedWith() {
        return closedWith;
    }

    @Override
    protected void frame(String type, String text) {
        if (type.equals("presence")) {
            opened.complete(null);
        }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closedWith = "error " + error.getClass().getSimpleName();
        if (!quiet) {
            System.err.println("agent " + agent() + ": socket error " + error);
        }
        available.completeExceptionally(error);
        opened.completeExceptionally(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedWith = statusCode + " " + reason;
        if (statusCode != WebSocket.NORMAL_CLOSURE && !quiet) {
            System.err.println("agent " + agent() + ": socket closed by the switchboard, " + statusCode + " " + reason);
        }
        available.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
        opened.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
        return null;
    }
}
