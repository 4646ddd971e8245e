package dev.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * Where the tests point {@code StatusCallback}: a plain JDK server that records every request and answers 200, or
 * whatever status codes a test scripted for a path.
 */
final class CallbackReceiver implements AutoCloseable {

    /** A request as it arrived; {@code url} is rebuilt from it the way a webhook receiver would. */
    record Received(String path, String url, Map<String, String> headers, Map<String, String> params) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new HashMap<>();

    CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String url = url() + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
            int status;
            synchronized (this) {
                received.add(new Received(path, url, headers, form(body)));
                Deque<Integer> codes = scripted.get(path);
                status = codes == null || codes.isEmpty() ? 200 : codes.poll();
                notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests to {@code path} get these status codes, then 200s. */
    synchronized void script(String path, Integer... codes) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(codes));
    }

    /** Waits for {@code count} requests to {@code path} and returns them in arrival order. */
    synchronized List<Received> await(String path, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> matching = received.stream().filter(r -> r.path().equals(path)).toList();
            if (matching.size() >= count) {
                return matching;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " callbacks to " + path + ", got " + matching);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized List<Received> all(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
