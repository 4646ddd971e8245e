package dev.switchboard.console.socket;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import dev.switchboard.console.testing.SocketClient;
import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;

/** The browsers' socket without a browser: who may open it, what comes through it, when it ends. */
@QuarkusTest
@QuarkusTestResource(StackResource.class)
class ConsoleSocketTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL root;

    private String origin() {
        return "http://" + root.getHost() + ":" + root.getPort();
    }

    private static String cookieOf(String agent) {
        String token = given().contentType("application/json")
                .body(Map.of("agent", agent, "password", agent + "-password")).post("/console/api/login").then()
                .statusCode(200).extract().cookie("console_token");
        return "console_token=" + token;
    }

    private static int refusal(ExecutionException e) {
        assertTrue(e.getCause() instanceof WebSocketHandshakeException, e.toString());
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }

    @Test
    void refusesForeignOriginsAndMissingCookies() {
        String cookie = cookieOf(SwitchboardApi.createAgent("origin", "Origin"));
        ExecutionException foreign = assertThrows(ExecutionException.class,
                () -> SocketClient.open(root.toString(), "https://evil.example", cookie).get());
        assertEquals(403, refusal(foreign));
        ExecutionException none = assertThrows(ExecutionException.class,
                () -> SocketClient.open(root.toString(), null, cookie).get());
        assertEquals(403, refusal(none));
        ExecutionException anonymous = assertThrows(ExecutionException.class,
                () -> SocketClient.open(root.toString(), origin(), null).get());
        assertEquals(401, refusal(anonymous));
    }

    @Test
    void refusesCookiesQuarkusCannotVerify() throws Exception {
        String agent = SwitchboardApi.createAgent("forger", "Forger");
        // Signed with a key that is not the switchboard's, or long expired, or not a token at all: 401, as for REST.
        String forged = Jwt.upn(agent).groups("agent").issuer("https://switchboard").expiresIn(600)
                .sign(KeyUtils.generateKeyPair(2048).getPrivate());
        long anHourAgo = System.currentTimeMillis() / 1000 - 3600;
        String expired = Jwt.upn(agent).groups("agent").issuer("https://switchboard").issuedAt(anHourAgo - 60)
                .expiresAt(anHourAgo).sign(KeyUtils.decodePrivateKey(StackResource.stack().keys().privatePem()));
        for (String token : new String[] { forged, expired, "not-a-token" }) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> SocketClient.open(root.toString(), origin(), "console_token=" + token).get());
            assertEquals(401, refusal(refused), token);
            given().cookie("console_token", token).get("/console/api/me").then().statusCode(401);
        }
        // Positive control: the same agent with a token the switchboard signed gets in.
        String valid = Jwt.upn(agent).groups("agent").issuer("https://switchboard").expiresIn(600)
                .sign(KeyUtils.decodePrivateKey(StackResource.stack().keys().privatePem()));
        SocketClient client = SocketClient.open(root.toString(), origin(), "console_token=" + valid).get();
        client.await("presence", f -> agent.equals(f.path("agent").asText()), SOON);
        client.close();
    }

    @Test
    void bridgesCommandsAndFramesAndPingsTheBrowser() throws Exception {
        String agent = SwitchboardApi.createAgent("bridge", "Bridge");
        SocketClient client = SocketClient.open(root.toString(), origin(), cookieOf(agent)).get();
        client.await("connection", f -> "connected".equals(f.path("state").asText()), SOON);
        client.await("presence", f -> agent.equals(f.path("agent").asText()), SOON);

        client.send(Map.of("type", "available", "capacity", 2));
        client.await("presence", f -> "available".equals(f.path("presence").asText()), SOON);
        assertEquals(2, client.await("presence", f -> "available".equals(f.path("presence").asText()), SOON)
                .path("capacity").asInt());

        client.send(Map.of("type", "explode"));
        assertEquals("bad_request", client.await("error", f -> true, SOON).path("code").asText());
        // The switchboard's own refusals come through unchanged.
        client.send(Map.of("type", "resolve", "conversation", "+15550000000:+15559999999"));
        client.await("error", f -> "not_assigned".equals(f.path("code").asText()), SOON);

        // Idle for a while: the console pings (20 s by default, inside Heroku's 55 s idle window).
        client.awaitPing(Duration.ofSeconds(30));
        client.close();
    }

    @Test
    void aDisabledAgentIsSignedOut() throws Exception {
        String agent = SwitchboardApi.createAgent("disabled", "Disabled");
        String cookie = cookieOf(agent);
        SwitchboardApi.disable(agent);
        // The console's own check passes (the token is still signed and unexpired); the switchboard refuses.
        SocketClient client = SocketClient.open(root.toString(), origin(), cookie).get();
        JsonNode signedOut = client.await("connection", f -> "signed_out".equals(f.path("state").asText()), SOON);
        assertTrue(signedOut.path("reason").asText().contains("no longer accepts"), signedOut.toString());
        client.awaitClosed(SOON);
        assertTrue(client.frames().stream().noneMatch(f -> "connected".equals(f.path("state").asText())));
    }

    @Test
    void disablingAConnectedAgentSignsThemOutWithoutAReconnect() throws Exception {
        String agent = SwitchboardApi.createAgent("revoked", "Revoked");
        SocketClient client = SocketClient.open(root.toString(), origin(), cookieOf(agent)).get();
        client.await("connection", f -> "connected".equals(f.path("state").asText()), SOON);
        client.await("presence", f -> true, SOON);
        SwitchboardApi.disable(agent);
        // The switchboard closes its socket with 4401: the console signs out at once instead of retrying.
        client.await("connection", f -> "signed_out".equals(f.path("state").asText()), Duration.ofSeconds(3));
        assertTrue(client.frames().stream().noneMatch(f -> "reconnecting".equals(f.path("state").asText())),
                () -> client.frames().toString());
        client.awaitClosed(SOON);
    }

    @Test
    void anExpiredSignInEndsTheSocket() throws Exception {
        String agent = SwitchboardApi.createAgent("brief", "Brief");
        String token = Jwt.upn(agent).groups("agent").issuer("https://switchboard").expiresIn(4)
                .sign(KeyUtils.decodePrivateKey(StackResource.stack().keys().privatePem()));
        SocketClient client = SocketClient.open(root.toString(), origin(), "console_token=" + token).get();
        client.await("connection", f -> "connected".equals(f.path("state").asText()), SOON);
        client.await("connection", f -> "signed_out".equals(f.path("state").asText()), SOON);
        client.awaitClosed(SOON);
    }
}
