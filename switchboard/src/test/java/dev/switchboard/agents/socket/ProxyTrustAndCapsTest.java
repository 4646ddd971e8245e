package dev.switchboard.agents.socket;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.switchboard.local.TwilioSignature;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Webhooks;

/**
 * With the test client not among the trusted proxies, its {@code X-Forwarded-*} headers count for nothing; and an
 * instance at its socket cap refuses new handshakes with 503 while the open sockets carry on.
 */
@QuarkusTest
@TestProfile(ProxyTrustAndCapsTest.UntrustedClient.class)
@WithTestResource(LocalServersResource.class)
class ProxyTrustAndCapsTest {

    public static class UntrustedClient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.trusted-proxies", "10.255.255.1",
                    "switchboard.socket.max-sockets-per-instance", "2");
        }
    }

    @Test
    void forwardedHeadersFromAnUntrustedAddressDoNotChooseTheSignedUrl() {
        Map<String, String> sms = Webhooks.sms(Webhooks.newCustomer(), "from an untrusted proxy");
        String claimed = "https://sms.example.com/twilio/messages";
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "sms.example.com")
                .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, claimed, sms))
                .body(TwilioSignature.formBody(sms)).post("/twilio/messages").then().statusCode(403);
        // Positive control: the same headers, signed for the URL actually called, pass.
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "sms.example.com")
                .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, Webhooks.url(), sms))
                .body(TwilioSignature.formBody(sms)).post("/twilio/messages").then().statusCode(200);
    }

    @Test
    void forwardedForFromAnUntrustedAddressDoesNotEscapeTheLoginThrottle() {
        String agent = Auth.newAgent("agent");
        for (int i = 0; i < 5; i++) {
            loginFrom("192.0.2." + (20 + i), agent, "nope").then().statusCode(401);
        }
        loginFrom("192.0.2.99", agent, "nope").then().statusCode(429);
    }

    @Test
    void pastTheInstanceSocketCapHandshakesGet503AndOpenSocketsCarryOn() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        try (AgentClient a = Agents.connect(ann); AgentClient b = Agents.connect(bob)) {
            a.await("presence", Duration.ofSeconds(10));
            b.await("presence", Duration.ofSeconds(10));
            String url = LocalServersResource.appUrl().replace("http", "ws") + "/agents/ws?access_token="
                    + Auth.token(ann, Auth.PASSWORD);
            CompletionException failure = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient()
                    .newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                    }).join());
            assertEquals(503,
                    assertInstanceOf(WebSocketHandshakeException.class, failure.getCause()).getResponse().statusCode());
            a.available(1);
            a.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(10));
            assertFalse(b.isClosed());
        }
    }

    private static io.restassured.response.Response loginFrom(String address, String agent, String password) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("agent", agent, "password", password)).post("/auth/login");
    }
}
