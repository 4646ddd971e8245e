package dev.switchboard.bench;

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
 * What an agent's socket and a browser's socket share: every text frame is put together from its parts, stamped with
 * {@link System#nanoTime()} as soon as its last part arrives, counted by its {@code type} and handed to a
 * {@link AgentSocket.FrameSink}; nothing is parsed beyond the type. The presence frame saying the agent is available
 * completes {@link #available(int, Duration)}.
 */
abstract class FrameSocket implements WebSocket.Listener, AutoCloseable {

    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern AVAILABLE = Pattern.compile("\"presence\"\\s*:\\s*\"available\"");

    private final String agent;
    private final AgentSocket.FrameSink sink;
    private final StringBuilder partial = new StringBuilder();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    /** The presence frame saying the agent is available; a closed socket fails it. */
    protected final CompletableFuture<Void> available = new CompletableFuture<>();
    protected volatile WebSocket socket;

    FrameSocket(String agent, AgentSocket.FrameSink sink) {
        this.agent = agent;
        this.sink = sink;
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

    /** Frames received so far, by type. */
    Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    /** A whole frame, before the sink gets it. */
    protected void frame(String type, String text) {
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
            frame(name, text);
            if (name.equals("presence") && AVAILABLE.matcher(text).find()) {
                available.complete(null);
            }
            sink.frame(agent, name, text, now);
        }
        webSocket.request(1);
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
