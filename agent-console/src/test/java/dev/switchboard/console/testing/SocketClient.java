package dev.switchboard.console.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** A browser-like client of {@code /console/ws}: sends an Origin and the cookie, records every frame. */
public final class SocketClient implements WebSocket.Listener {

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> pinged = new CompletableFuture<>();
    private WebSocket socket;

    /** Opens the socket; the future fails with the handshake's refusal. */
    public static CompletableFuture<SocketClient> open(String consoleUrl, String origin, String cookie) {
        SocketClient client = new SocketClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        return builder.buildAsync(URI.create(consoleUrl.replaceFirst("^http", "ws") + "console/ws"), client)
                .thenApply(ws -> {
                    client.socket = ws;
                    return client;
                });
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(SwitchboardApi.read(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pinged.complete(null);
        return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    public void send(Object command) {
        socket.sendText(SwitchboardApi.json(command), true).join();
    }

    public List<JsonNode> frames() {
        return frames;
    }

    /** The first frame of the type matching the condition, waiting for it. */
    public JsonNode await(String type, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode frame : frames) {
                if (type.equals(frame.path("type").asText()) && condition.test(frame)) {
                    return frame;
                }
            }
            StackResource.sleep(50);
        }
        throw new AssertionError("no " + type + " frame within " + timeout + "; got " + frames);
    }

    public int awaitClosed(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void awaitPing(Duration timeout) throws Exception {
        pinged.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
