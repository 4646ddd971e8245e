package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agent's socket ({@code /agents/ws}) on the JDK's WebSocket client. Every text frame is stamped with
 * {@link System#nanoTime()} as soon as its last part arrives and handed to a {@link FrameSink}; nothing is parsed
 * beyond the frame's {@code type} (the first field of every frame the switchboard sends).
 */
final class AgentSocket implements WebSocket.Listener, AutoCloseable {

    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern AVAILABLE = Pattern.compile("\"presence\"\\s*:\\s*\"available\"");

    /** Receives every frame of every agent, from the client's threads. */
    @FunctionalInterface
    interface FrameSink {
        void frame(String agent, String type, String text, long receivedNanos);
    }

    private final String agent;
    private final FrameSink sink;
    private final StringBuilder partial = new StringBuilder();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> available = new CompletableFuture<>();
    /** The first presence frame: the switchboard has finished opening the socket (resync and presence sent). */
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final boolean quiet;
    private volatile WebSocket socket;
    private volatile String closedWith;

    private AgentSocket(String agent, FrameSink sink, boolean quiet) {
        this.agent = agent;
        this.sink = sink;
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

    String agent() {
        return agent;
    }

    /** Says the agent is available for {@code capacity} conversations and waits for the presence frame saying so. */
    void available(int capacity, Duration timeout) {
        socket.sendText("{\"type\":\"available\",\"capacity\":" + capacity + "}", true).orTimeout(10, TimeUnit.SECONDS)
                .join();
        available.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
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

    /** Frames received so far, by type. */
    Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            String text = partial.toString();
            partial.setLength(0);
            Matcher type = TYPE.matcher(text);
            String name = type.find() ? type.group(1) : "?";
            counts.merge(name, 1, Integer::sum);
            if (name.equals("presence")) {
                opened.complete(null);
            }
            if (name.equals("presence") && AVAILABLE.matcher(text).find()) {
                available.complete(null);
            }
            sink.frame(agent, name, text, now);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closedWith = "error " + error.getClass().getSimpleName();
        if (!quiet) {
            System.err.println("agent " + agent + ": socket error " + error);
        }
        available.completeExceptionally(error);
        opened.completeExceptionally(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedWith = statusCode + " " + reason;
        if (statusCode != WebSocket.NORMAL_CLOSURE && !quiet) {
            System.err.println("agent " + agent + ": socket closed by the switchboard, " + statusCode + " " + reason);
        }
        available.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
        opened.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void close() {
        WebSocket current = socket;
        if (current != null && !current.isOutputClosed()) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                    .join();
        }
    }
}
