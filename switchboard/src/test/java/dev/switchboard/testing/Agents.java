package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Agents made and signed in through the switchboard's own API. */
public final class Agents {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password";

    private Agents() {
    }

    public static String login(String agent, String password) {
        return given().contentType("application/json").body(Map.of("agent", agent, "password", password))
                .post("/auth/login").then().statusCode(200).extract().path("token");
    }

    public static String adminToken() {
        return login(ADMIN, ADMIN_PASSWORD);
    }

    /** Creates an agent with a name no other test uses; returns the name. Their password is name + "-password". */
    public static String create(String prefix) {
        String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        given().auth().oauth2(adminToken()).contentType("application/json")
                .body(Map.of("agent", name, "password", name + "-password", "displayName", prefix, "roles",
                        List.of("agent")))
                .post("/admin/agents").then().statusCode(201);
        return name;
    }

    public static String token(String agent) {
        return login(agent, agent + "-password");
    }

    public static AgentClient connect(String agent) {
        return AgentClient.connect(LocalServersResource.appUrl(), agent, token(agent));
    }
}
