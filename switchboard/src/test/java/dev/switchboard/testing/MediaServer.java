package dev.switchboard.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves MMS media the way Twilio does: {@code /media/*} demands the account's Basic credentials and answers with a
 * redirect to {@code /storage/*}, which serves the bytes and must never see those credentials.
 */
public final class MediaServer implements AutoCloseable {

    /** A file to serve; {@code chunked} omits Content-Length. */
    public record File(String contentType, byte[] bytes, boolean chunked) {
    }

    private final HttpServer server;
    private final Map<String, File> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> credentialsSeenByStorage = new CopyOnWriteArrayList<>();

    /** On the port the test configuration allows media from ({@link LocalServersResource#mediaPort()}). */
    public MediaServer() throws IOException {
        this(LocalServersResource.mediaPort());
    }

    public MediaServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/media/", this::media);
        server.createContext("/storage/", this::storage);
        // /redirect/{anything}?to=URL answers with a redirect to URL, as a hostile media host might.
        server.createContext("/redirect/", exchange -> {
            count(exchange);
            String query = exchange.getRequestURI().getRawQuery();
            exchange.getResponseHeaders().add("Location",
                    java.net.URLDecoder.decode(query.substring("to=".length()), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/broken/", exchange -> {
            count(exchange);
            respond(exchange, 500, "text/plain", "boom".getBytes(StandardCharsets.UTF_8), false);
        });
        server.start();
    }

    public MediaServer add(String name, File file) {
        files.put(name, file);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    public List<String> credentialsSeenByStorage() {
        return credentialsSeenByStorage;
    }

    private void count(HttpExchange exchange) {
        hits.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
    }

    private void media(HttpExchange exchange) throws IOException {
        count(exchange);
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((Webhooks.ACCOUNT + ":" + Webhooks.TOKEN).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "text/plain", "credentials required".getBytes(StandardCharsets.UTF_8), false);
            return;
        }
        String name = exchange.getRequestURI().getPath().substring("/media/".length());
        exchange.getResponseHeaders().add("Location", "/storage/" + name + "?signature=abc");
        exchange.sendResponseHeaders(307, -1);
        exchange.close();
    }

    private void storage(HttpExchange exchange) throws IOException {
        count(exchange);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            credentialsSeenByStorage.add(auth);
        }
        File file = files.get(exchange.getRequestURI().getPath().substring("/storage/".length()));
        if (file == null) {
            respond(exchange, 404, "text/plain", new byte[0], false);
            return;
        }
        respond(exchange, 200, file.contentType(), file.bytes(), file.chunked());
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body, boolean chunked)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
