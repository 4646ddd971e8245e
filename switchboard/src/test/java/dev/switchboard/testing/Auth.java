package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/** Logs in through the switchboard's own API, as clients do. */
public final class Auth {

    /** The bootstrap admin of the test profile. */
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password";
    public static final String ISSUER = "https://switchboard";
    /** The password {@link #newAgent} gives its agents. */
    public static final String PASSWORD = "correct horse battery";

    /** Per application port: each test application starts on a port of its own. */
    private static final Map<Integer, String> ADMIN_TOKENS = new ConcurrentHashMap<>();

    private Auth() {
    }

    public static Response login(String agent, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("agent", agent, "password", password))
                .post("/auth/login");
    }

    public static String token(String agent, String password) {
        return login(agent, password).then().statusCode(200).extract().path("token");
    }

    /** A token of the bootstrap admin, logged in once per application. */
    public static String adminToken() {
        return ADMIN_TOKENS.computeIfAbsent(RestAssured.port, port -> token(ADMIN, ADMIN_PASSWORD));
    }

    /** A request carrying the bootstrap admin's token. */
    public static RequestSpecification asAdmin() {
        return given().auth().oauth2(adminToken());
    }

    /** Creates an agent with a name no other test uses and password {@link #PASSWORD}. */
    public static String newAgent(String... roles) {
        String name = "agent-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        asAdmin().contentType(ContentType.JSON).body(
                Map.of("agent", name, "password", PASSWORD, "displayName", "Test " + name, "roles", List.of(roles)))
                .post("/admin/agents").then().statusCode(201);
        return name;
    }

    /** A token signed with the test key, with whatever claims a test needs, valid or not. */
    public static String sign(String agent, Set<String> roles, String issuer, Instant expiresAt) {
        return Jwt.upn(agent).groups(roles).issuer(issuer).issuedAt(expiresAt.minusSeconds(3600)).expiresAt(expiresAt)
                .sign(TestKeys.privateKey());
    }
}
