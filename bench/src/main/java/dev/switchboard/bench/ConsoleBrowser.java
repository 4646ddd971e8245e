package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What an agent's browser does with the agent console, on the JDK's clients: signs in at {@code /console/api/login}
 * (the token comes back in the HttpOnly {@code console_token} cookie), opens {@code /console/ws} with that cookie and
 * the console's own Origin, as the page does, and says the agent is available. Its frames reach an
 * {@link AgentSocket.FrameSink} as {@link FrameSocket} hands them on.
 */
final class ConsoleBrowser extends FrameSocket {

    private static final Pattern CONNECTED = Pattern.compile("\"state\"\\s*:\\s*\"connected\"");
    private static final String COOKIE = "console_token";
    private static final int SIGN_IN_ATTEMPTS = 5;

    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    private ConsoleBrowser(String agent, AgentSocket.FrameSink sink) {
        super(agent, sink);
    }

    /**
     * Signs in at the console at {@code base} (http://host:port) and opens the browsers' socket. A 503 (the console got
     * no answer from the switchboard in time: its bcrypt check is slow on a busy machine) is tried again after a pause,
     * up to {@value #SIGN_IN_ATTEMPTS} times, as the page tells the agent to.
     */
    static ConsoleBrowser open(HttpClient client, URI base, String agent, String password, AgentSocket.FrameSink sink)
            throws Exception {
        HttpResponse<String> login = null;
        for (int attempt = 1; attempt <= SIGN_IN_ATTEMPTS; attempt++) {
            login = client.send(HttpRequest.newBuilder(URI.create(base + "/console/api/login"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Origin", base.toString())
                    .POST(HttpRequest.BodyPublishers
                            .ofString("{\"agent\":\"" + agent + "\",\"password\":\"" + password + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() != 503) {
                break;
            }
            System.out.println("console sign-in of " + agent + ", attempt " + attempt + ": 503 " + login.body());
            Thread.sleep(2_000);
        }
        String cookie = login.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(COOKIE + "="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElse(null);
        if (login.statusCode() != 200 || cookie == null) {
            throw new IllegalStateException("console sign-in of " + agent + " answered " + login.statusCode() + " "
                    + login.body() + " (cookies " + login.headers().allValues("set-cookie") + ")");
        }
        ConsoleBrowser listener = new ConsoleBrowser(agent, sink);
        URI url = URI.create(base.toString().replaceFirst("^http", "ws") + "/console/ws");
        listener.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).header("Cookie", cookie)
                .header("Origin", base.toString()).buildAsync(url, listener).orTimeout(20, TimeUnit.SECONDS).join();
        return listener;
    }

    /**
     * Waits until the console says its own socket to the switchboard is open ({@code connection: connected}; commands
     * before it are refused, and the page waits too), then says the agent is available for {@code capacity}
     * conversations and waits for the presence frame saying so.
     */
    @Override
    void available(int capacity, Duration timeout) {
        connected.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        super.available(capacity, timeout);
    }

    @Override
    protected void frame(String type, String text) {
        if (type.equals("connection") && CONNECTED.matcher(text).find()) {
            connected.complete(null);
        }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        System.err.println("browser of " + agent() + ": socket error " + error);
        available.completeExceptionally(error);
        connected.completeExceptionally(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode != WebSocket.NORMAL_CLOSURE) {
            System.err
                    .println("browser of " + agent() + ": socket closed by the console, " + statusCode + " " + reason);
        }
        IllegalStateException closed = new IllegalStateException("closed: " + statusCode + " " + reason);
        available.completeExceptionally(closed);
        connected.completeExceptionally(closed);
        return null;
    }
}
