package dev.switchboard.console.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;
import dev.switchboard.local.JwtKeys;

/** Signing in and out through the console, against a real switchboard. */
@QuarkusTest
@QuarkusTestResource(StackResource.class)
class SessionTest {

    private static Response login(String agent, String password, String forwardedProto) {
        var request = given().contentType("application/json").body(Map.of("agent", agent, "password", password));
        if (forwardedProto != null) {
            request = request.header("X-Forwarded-Proto", forwardedProto);
        }
        return request.post("/console/api/login");
    }

    private static String setCookie(Response response, String name) {
        List<String> cookies = response.headers().getValues("Set-Cookie");
        return cookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + cookies));
    }

    private static long maxAge(String cookie) {
        Matcher m = Pattern.compile("Max-Age=(\\d+)", Pattern.CASE_INSENSITIVE).matcher(cookie);
        assertTrue(m.find(), cookie);
        return Long.parseLong(m.group(1));
    }

    @Test
    void signsInWithAnHttpOnlyStrictCookieAndKnowsWhoItIs() {
        String agent = SwitchboardApi.createAgent("cookie", "Cookie Monster");
        Response response = login(agent, agent + "-password", null);
        response.then().statusCode(200).body("agent", equalTo(agent)).body("displayName", equalTo("Cookie Monster"))
                .body("roles", hasItem("agent")).body("token", equalTo(null));
        Instant expiresAt = Instant.parse(response.path("expiresAt"));

        String cookie = setCookie(response, "console_token");
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.toLowerCase().contains("samesite=strict"), cookie);
        assertTrue(cookie.contains("Path=/console"), cookie);
        assertFalse(cookie.contains("Secure"), "plain http and not configured: " + cookie);
        long untilExpiry = Duration.between(Instant.now(), expiresAt).toSeconds();
        assertTrue(Math.abs(maxAge(cookie) - untilExpiry) <= 5, cookie + " vs " + expiresAt);

        String token = response.getCookie("console_token");
        String name = response.getCookie("console_token_name");
        given().cookie("console_token", token).cookie("console_token_name", name).get("/console/api/me").then()
                .statusCode(200).body("agent", equalTo(agent)).body("displayName", equalTo("Cookie Monster"))
                .body("expiresAt", equalTo(response.path("expiresAt")));
    }

    @Test
    void marksTheCookieSecureBehindAnHttpsLoadBalancer() {
        String agent = SwitchboardApi.createAgent("secure", "Secure");
        Response response = login(agent, agent + "-password", "https");
        response.then().statusCode(200);
        assertTrue(setCookie(response, "console_token").contains("Secure"));
    }

    @Test
    void passesTheSwitchboardsRefusalOn() {
        String agent = SwitchboardApi.createAgent("refused", "Refused");
        Response wrong = login(agent, "not-the-password", null);
        wrong.then().statusCode(401).body("status", equalTo(401)).body("reason", not(equalTo(null)));
        assertTrue(wrong.headers().getValues("Set-Cookie").isEmpty(), "no cookie on a refusal");

        SwitchboardApi.disable(agent);
        login(agent, agent + "-password", null).then().statusCode(403).body("reason", not(equalTo(null)));
        login("", "", null).then().statusCode(400);
    }

    @Test
    void meWithoutOrWithABadCookieIs401() throws Exception {
        given().get("/console/api/me").then().statusCode(401).body("reason", containsString("not signed in"));
        given().cookie("console_token", "not.a.jwt").get("/console/api/me").then().statusCode(401);
        // A token of another key pair: signed, but not by this switchboard.
        String forged = Jwt.upn("demo").groups("agent").issuer("https://switchboard").expiresIn(600)
                .sign(KeyUtils.decodePrivateKey(JwtKeys.generate().privatePem()));
        given().cookie("console_token", forged).get("/console/api/me").then().statusCode(401);
    }

    @Test
    void logoutClearsTheCookies() {
        Response response = given().post("/console/api/logout");
        response.then().statusCode(204);
        String cookie = setCookie(response, "console_token");
        assertEquals(0, maxAge(cookie), cookie);
        assertTrue(setCookie(response, "console_token_name").contains("Max-Age=0"));
    }

    @Test
    void servesTheConsoleUnderConsoleAndRedirectsTheRoot() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location",
                containsString("/console/"));
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location",
                containsString("/console/"));
        given().get("/console/").then().statusCode(200).body(containsString("data-testid=\"login-form\""));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
