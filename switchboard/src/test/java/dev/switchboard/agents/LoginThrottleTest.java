package dev.switchboard.agents;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

/**
 * Guessing passwords is slowed down per agent and client address, shared through DynamoDB. The test's requests come
 * from 127.0.0.1, a trusted proxy in the test profile, so {@code X-Forwarded-For} chooses the client address.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class LoginThrottleTest {

    @Test
    void twentyWrongPasswordsAreHeldBackWhileTheRightOneFromElsewhereWorks() {
        String agent = Auth.newAgent(Roles.AGENT);
        String guesser = "198.51.100." + (1 + (int) (Math.random() * 250));
        List<Integer> statuses = new ArrayList<>();
        Response throttled = null;
        for (int i = 0; i < 20; i++) {
            Response response = loginFrom(guesser, agent, "wrong password " + i);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429 && throttled == null) {
                throttled = response;
            }
        }
        assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5), statuses::toString);
        assertNotNull(throttled, statuses::toString);
        assertTrue(statuses.subList(5, 20).stream().allMatch(s -> s == 429 || s == 401), statuses::toString);
        assertTrue(Long.parseLong(throttled.header("Retry-After")) >= 1, throttled.header("Retry-After"));
        throttled.then().contentType(ContentType.JSON).body("status", equalTo(429)).body("reason",
                containsString("try again"));

        // The right password from the guessing address waits too, or guessing would simply go on.
        loginFrom(guesser, agent, Auth.PASSWORD).then().statusCode(429);
        // From elsewhere it works at once, and so does another agent from the guessing address.
        loginFrom("203.0.113.9", agent, Auth.PASSWORD).then().statusCode(200).body("agent", equalTo(agent));
        String other = Auth.newAgent(Roles.AGENT);
        loginFrom(guesser, other, Auth.PASSWORD).then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(
                metrics.lines().anyMatch(
                        l -> l.startsWith("switchboard_logins_total{") && l.contains("outcome=\"throttled\"")),
                metrics);
    }

    @Test
    void forwardedForIsTheAddressCountedSoEachAddressHasItsOwnAllowance() {
        String agent = Auth.newAgent(Roles.AGENT);
        for (int i = 0; i < 5; i++) {
            loginFrom("192.0.2.10", agent, "nope").then().statusCode(401);
        }
        loginFrom("192.0.2.10", agent, "nope").then().statusCode(429).header("Retry-After",
                org.hamcrest.Matchers.notNullValue());
        // Another address's first failures are still plain 401s: the counters are per address.
        loginFrom("192.0.2.11", agent, "nope").then().statusCode(401);
    }

    private static Response loginFrom(String address, String agent, String password) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("agent", agent, "password", password)).post("/auth/login");
    }
}
