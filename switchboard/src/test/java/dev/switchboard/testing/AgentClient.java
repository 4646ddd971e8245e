package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An agent's browser, as far as the socket goes: connects with a token, sends commands, records every frame. */
public final class AgentClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String agent;
    private final WebSocket socket;
    private final List<Map<String, Object>> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed;

    private AgentClient(String agent, WebSocket socket, Listener listener) {
        this.agent = agent;
        this.socket = socket;
        this.closed = listener.closed;
        listener.client = this;
    }

    /** Connects to {@code /agents/ws} of the switchboard at {@code baseUrl} (http://host:port). */
    public static AgentClient connect(String baseUrl, String agent, String token) {
        return connect(baseUrl, agent, token, true);
    }

    /**
     * As {@link #connect(String, String, String)}; with {@code reading} false the client never takes a frame off the
     * socket, as a stalled browser would.
     */
    public static AgentClient connect(String baseUrl, String agent, String token, boolean reading) {
        Listener listener = new Listener();
        listener.reading = reading;
        String url = baseUrl.replaceFirst("^http", "ws") + "/agents/ws?access_token=" + token;
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), listener).join();
        AgentClient client = new AgentClient(agent, socket, listener);
        listener.pending.forEach(client.frames::add);
        return client;
    }

    public String agent() {
        return agent;
    }

    public void send(Map<String, Object> command) {
        try {
            socket.sendText(JSON.writeValueAsString(command), true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + command, e);
        }
    }

    /** Sends a text frame exactly as given, JSON or not. */
    public void sendRaw(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Whether the server has closed the connection. */
    public boolean isClosed() {
        return closed.isDone();
    }

    public void available(int capacity) {
        send(Map.of("type", "available", "capacity", capacity));
    }

    public List<Map<String, Object>> frames() {
        return new ArrayList<>(frames);
    }

    public List<Map<String, Object>> frames(String type) {
        return frames.stream().filter(f -> type.equals(f.get("type"))).toList();
    }

    /** Waits for a frame of the type that matches, and returns it. */
    public Map<String, Object> await(String type, Predicate<Map<String, Object>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> frame : frames) {
                if (type.equals(frame.get("type")) && match.test(frame)) {
                    return frame;
                }
            }
            sleep(20);
        }
        fail(agent + " got no matching '" + type + "' frame within " + timeout + "; frames: " + frames);
        return null;
    }

    public Map<String, Object> await(String type, Duration timeout) {
        return await(type, frame -> true, timeout);
    }

    /** Asserts that no matching frame arrives within the period. */
    public void assertNone(String type, Predicate<Map<String, Object>> match, Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> frame : frames) {
                if (type.equals(frame.get("type")) && match.test(frame)) {
                    fail(agent + " got an unexpected '" + type + "' frame: " + frame);
                }
            }
            sleep(50);
        }
    }

    /** The close code and reason the server sent, once it has closed the connection. */
    public record Closed(int code, String reason) {
    }

    /** Waits for the server to close the connection, and returns how it did. */
    public Closed awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            fail(agent + " was not closed within " + timeout + ": " + e);
            return null;
        }
    }

    /** Drops the connection without a closing handshake, as a lost network would. */
    public void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                    .join();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final List<Map<String, Object>> pending = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private volatile AgentClient client;
        private volatile boolean reading = true;

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    Map<String, Object> frame = JSON.readValue(partial.toString(), new TypeReference<>() {
                    });
                    (client == null ? pending : client.frames).add(frame);
                } catch (Exception e) {
                    throw new IllegalStateException("not JSON: " + partial, e);
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
