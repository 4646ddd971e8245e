package dev.switchboard.console.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.console.testing.SocketClient;
import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;
import dev.switchboard.local.ChildJvm;

/**
 * SIGTERM to a packaged console with a browser connected, as a rolling restart sends it: the browser's socket is closed
 * at once with 1012 {@code reconnect}, and the console exits within its own drain instead of Quarkus's 30 s shutdown
 * timeout (which a socket ever opened used to hold to the end).
 */
class ConsoleShutdownIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "local-servers");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private ChildJvm console;

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void sigtermClosesBrowserSocketsWith1012AndStopsWithinTheDrain() throws Exception {
        StackResource.Stack stack = StackResource.stack();
        int port = ChildJvm.freePort();
        String url = "http://localhost:" + port + "/";
        console = ChildJvm
                .start("console-shutdown", List.of("-Xmx512m", "-jar", JAR.toString()), List.of(),
                        Map.of("QUARKUS_HTTP_PORT", Integer.toString(port), "CONSOLE_SWITCHBOARD_URL",
                                stack.switchboardUrl(), "SWITCHBOARD_JWT_PUBLIC_KEY", stack.keys().publicPem()),
                        LOGS, false);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertTrue(console.isAlive(), "the console died; see " + console.log());
            return status(url + "q/health/ready") == 200;
        });
        String agent = SwitchboardApi.createAgent("shutdown", "Shutdown");
        HttpResponse<String> login = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "console/api/login")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper()
                                .writeValueAsString(Map.of("agent", agent, "password", agent + "-password"))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("console_token="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        SocketClient browser = SocketClient.open(url, "http://localhost:" + port, cookie).get();
        browser.await("connection", f -> "connected".equals(f.path("state").asText()), Duration.ofSeconds(20));

        long sigterm = System.nanoTime();
        ProcessHandle.of(console.pid()).orElseThrow().destroy();
        assertEquals(1012, browser.awaitClosed(Duration.ofSeconds(10)), "close code");
        ProcessHandle.of(console.pid())
                .ifPresent(p -> p.onExit().orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join());
        long millis = (System.nanoTime() - sigterm) / 1_000_000;
        System.out.printf("console stopped %d ms after SIGTERM with a browser connected%n", millis);
        assertTrue(millis < 15_000, "took " + millis + " ms");
        assertTrue(Files.readString(console.log()).contains("closed 1 browser socket(s) for shutdown with 1012"),
                Files.readString(console.log()));
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception notYet) {
            return 0;
        }
    }
}
