package dev.switchboard.agents;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

import dev.switchboard.local.JwtKeys;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.TestKeys;

@QuarkusTest
@WithTestResource(LocalServersResource.class)
class AuthTest {

    @Inject
    Tokens tokens;

    @Inject
    AgentStore store;

    @Test
    void loginGivesATokenThatReadsConversations() {
        String agent = Auth.newAgent(Roles.AGENT);
        Instant before = Instant.now();
        ExtractableResponse<Response> login = Auth.login(agent, Auth.PASSWORD).then().statusCode(200)
                .body("agent", equalTo(agent)).body("displayName", equalTo("Test " + agent))
                .body("roles", equalTo(List.of(Roles.AGENT))).extract();

        Instant expiresAt = Instant.parse(login.path("expiresAt"));
        Duration ttl = Duration.between(before, expiresAt);
        assertTrue(ttl.compareTo(Duration.ofMinutes(59)) > 0 && ttl.compareTo(Duration.ofMinutes(61)) < 0,
                ttl::toString);
        given().auth().oauth2(login.path("token")).queryParam("state", "waiting").get("/conversations").then()
                .statusCode(200);
        given().auth().oauth2(login.path("token")).get("/conversations/+15551234567/messages").then().statusCode(200);
        assertEquals(Optional.of(new AgentPrincipal(agent, Set.of(Roles.AGENT))), tokens.verify(login.path("token")));
    }

    @Test
    void wrongPasswordAndUnknownAgentLookTheSame() {
        String agent = Auth.newAgent(Roles.AGENT);
        String wrongPassword = Auth.login(agent, "not the password").then().statusCode(401).extract().asString();
        String unknownAgent = Auth.login("nobody-" + agent, Auth.PASSWORD).then().statusCode(401).extract().asString();
        String malformedName = Auth.login("No Such Agent!", Auth.PASSWORD).then().statusCode(401).extract().asString();

        assertEquals(wrongPassword, unknownAgent);
        assertEquals(wrongPassword, malformedName);
        // Past what bcrypt reads, and nothing at all: refused like any wrong password, not an error.
        assertEquals(wrongPassword,
                Auth.login(agent, Auth.PASSWORD + "x".repeat(100)).then().statusCode(401).extract().asString());
        assertEquals(wrongPassword, Auth.login(agent, "").then().statusCode(401).extract().asString());
        assertTrue(wrongPassword.contains("\"status\":401"), wrongPassword);
    }

    @Test
    void incompleteLoginIsABadRequest() {
        given().contentType("application/json").body("{\"agent\":\"admin\"}").post("/auth/login").then().statusCode(400)
                .body("reason", containsString("required"));
    }

    @Test
    void disabledAgentCannotLogInAndItsTokenStopsWorking() {
        String agent = Auth.newAgent(Roles.AGENT);
        String token = Auth.token(agent, Auth.PASSWORD);
        assertTrue(tokens.verify(token).isPresent());

        Auth.asAdmin().post("/admin/agents/" + agent + "/disable").then().statusCode(204);

        Auth.login(agent, Auth.PASSWORD).then().statusCode(403).body("status", equalTo(403)).body("reason",
                equalTo("agent is disabled"));
        // A wrong password still gets the answer every wrong password gets.
        Auth.login(agent, "not the password").then().statusCode(401);
        assertEquals(Optional.empty(), tokens.verify(token));
        given().auth().oauth2(token).get("/conversations").then().statusCode(401);

        Auth.asAdmin().post("/admin/agents/" + agent + "/enable").then().statusCode(204);
        assertTrue(tokens.verify(token).isPresent());
        Auth.login(agent, Auth.PASSWORD).then().statusCode(200);
    }

    @Test
    void historyWithoutATokenIsUnauthorized() {
        given().get("/conversations").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401)).body("reason", containsString("Bearer"));
        given().get("/conversations/+15551234567/messages").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").get("/conversations").then().statusCode(401).body("status",
                equalTo(401));
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = Auth.sign(Auth.ADMIN, Set.of(Roles.ADMIN), Auth.ISSUER, Instant.now().minusSeconds(600));
        given().auth().oauth2(expired).get("/conversations").then().statusCode(401).body("status", equalTo(401));
        assertEquals(Optional.empty(), tokens.verify(expired));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() {
        String forged = Jwt.upn(Auth.ADMIN).groups(Roles.ADMIN).issuer(Auth.ISSUER).expiresIn(600)
                .sign(TestKeys.privateKey(JwtKeys.generate()));
        given().auth().oauth2(forged).get("/conversations").then().statusCode(401);
        assertEquals(Optional.empty(), tokens.verify(forged));
    }

    @Test
    void tokenFromAnotherIssuerIsRefused() {
        String foreign = Auth.sign(Auth.ADMIN, Set.of(Roles.ADMIN), "https://elsewhere",
                Instant.now().plusSeconds(600));
        given().auth().oauth2(foreign).get("/conversations").then().statusCode(401);
        assertEquals(Optional.empty(), tokens.verify(foreign));
    }

    @Test
    void tokenWithoutAnAgentRoleIsForbidden() {
        String agent = Auth.newAgent(Roles.AGENT);
        String guest = Auth.sign(agent, Set.of("guest"), Auth.ISSUER, Instant.now().plusSeconds(600));
        given().auth().oauth2(guest).get("/conversations").then().statusCode(403).body("status", equalTo(403));
        assertEquals(Optional.of(new AgentPrincipal(agent, Set.of())), tokens.verify(guest));
    }

    @Test
    void tokenCannotGrantRolesTheAgentDoesNotHold() {
        String agent = Auth.newAgent(Roles.AGENT);
        String inflated = Auth.sign(agent, Set.of(Roles.AGENT, Roles.ADMIN), Auth.ISSUER,
                Instant.now().plusSeconds(600));
        given().auth().oauth2(inflated).get("/admin/agents").then().statusCode(403);
        assertEquals(Optional.of(new AgentPrincipal(agent, Set.of(Roles.AGENT))), tokens.verify(inflated));
    }

    @Test
    void tokenOfAnAgentThatDoesNotExistIsRefused() {
        String ghost = Auth.sign("ghost-agent", Set.of(Roles.ADMIN), Auth.ISSUER, Instant.now().plusSeconds(600));
        given().auth().oauth2(ghost).get("/conversations").then().statusCode(401);
        assertEquals(Optional.empty(), tokens.verify(ghost));
    }

    @Test
    void verifyRefusesWhatIsNotAToken() {
        assertEquals(Optional.empty(), tokens.verify(null));
        assertEquals(Optional.empty(), tokens.verify(""));
        assertEquals(Optional.empty(), tokens.verify("Bearer " + Auth.adminToken()));
        assertEquals(Optional.empty(), tokens.verify("a.b.c"));
    }

    @Test
    void webhookAndHealthIgnoreTheAuthorizationHeader() {
        given().header("Authorization", "Bearer not-a-jwt").get("/q/health/live").then().statusCode(200);
        given().header("Authorization", "Bearer not-a-jwt").get("/q/metrics").then().statusCode(200);
        // Unsigned, so refused, but by the webhook's own check rather than by authentication.
        given().header("Authorization", "Bearer not-a-jwt").contentType("application/x-www-form-urlencoded")
                .body("From=%2B15551234567").post("/twilio/messages").then().statusCode(403)
                .body("reason", containsString("X-Twilio-Signature"));
    }

    @Test
    void bootstrapAdminExistsAfterStart() {
        Agent admin = store.find(Auth.ADMIN).orElseThrow();
        assertEquals(Set.of(Roles.ADMIN), admin.roles());
        assertFalse(admin.disabled());
        Auth.login(Auth.ADMIN, Auth.ADMIN_PASSWORD).then().statusCode(200).body("roles", equalTo(List.of("admin")));
    }
}
