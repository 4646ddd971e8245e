package dev.switchboard.agents;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

@QuarkusTest
@WithTestResource(LocalServersResource.class)
class AdminAgentsTest {

    @Inject
    DynamoDbClient dynamo;

    @Inject
    AgentsConfig config;

    @Inject
    AgentService agents;

    @Test
    void adminCreatesAnAgentWhoCanThenLogIn() {
        String name = "new-" + System.nanoTime();
        Response created = create(Map.of("agent", name, "password", "s3cret-password", "displayName", "Ada Lovelace",
                "roles", List.of("agent")));
        created.then().statusCode(201).body("agent", equalTo(name)).body("displayName", equalTo("Ada Lovelace"))
                .body("roles", equalTo(List.of("agent"))).body("disabled", equalTo(false))
                .body("createdAt", notNullValue());
        assertNoSecrets(created.asString());

        Response login = Auth.login(name, "s3cret-password");
        login.then().statusCode(200).body("agent", equalTo(name));
        assertNoSecrets(login.asString());

        Response list = Auth.asAdmin().get("/admin/agents");
        list.then().statusCode(200).body("agents.agent", hasItem(name)).body("agents.agent", hasItem(Auth.ADMIN));
        assertNoSecrets(list.asString());

        String hash = item(name).get("passwordHash").s();
        assertTrue(hash.startsWith("$2a$10$"), "bcrypt with cost 10: " + hash);
    }

    @Test
    void nameThatExistsIsAConflict() {
        String name = Auth.newAgent(Roles.AGENT);
        create(Map.of("agent", name, "password", "another-password", "roles", List.of("admin"))).then().statusCode(409)
                .body("status", equalTo(409));
        Auth.login(name, Auth.PASSWORD).then().statusCode(200).body("roles", equalTo(List.of("agent")));
    }

    @Test
    void unacceptableAgentsAreBadRequests() {
        Map<String, Object> good = Map.of("agent", "valid-" + System.nanoTime(), "password", "long-enough", "roles",
                List.of("agent"));
        for (String name : List.of("A-upper", "x", "-leading-dash", ".dot", "has space", "a".repeat(65), "émile")) {
            create(with(good, "agent", name)).then().statusCode(400).body("reason", containsString("agent must"));
        }
        create(with(good, "password", "short")).then().statusCode(400).body("reason", containsString("password"));
        create(with(good, "password", "x".repeat(73))).then().statusCode(400).body("reason",
                containsString("password"));
        create(with(good, "roles", List.of("agent", "superuser"))).then().statusCode(400).body("reason",
                containsString("roles"));
        create(with(good, "roles", List.of())).then().statusCode(400).body("reason", containsString("roles"));
        Auth.asAdmin().contentType(ContentType.JSON).post("/admin/agents").then().statusCode(400);
        // None of them was created.
        Auth.login((String) good.get("agent"), "long-enough").then().statusCode(401);
    }

    @Test
    void onlyAdminsManageAgents() {
        String agentToken = Auth.token(Auth.newAgent(Roles.AGENT), Auth.PASSWORD);
        Map<String, Object> body = Map.of("agent", "sneaky-" + System.nanoTime(), "password", "long-enough");

        given().auth().oauth2(agentToken).contentType(ContentType.JSON).body(body).post("/admin/agents").then()
                .statusCode(403).body("status", equalTo(403));
        given().auth().oauth2(agentToken).get("/admin/agents").then().statusCode(403);
        given().auth().oauth2(agentToken).post("/admin/agents/admin/disable").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/admin/agents").then().statusCode(401).body("status",
                equalTo(401));
        given().get("/admin/agents").then().statusCode(401);
    }

    @Test
    void disableAndEnableAnswerNoContentOrNotFound() {
        String name = Auth.newAgent(Roles.AGENT);
        Auth.asAdmin().post("/admin/agents/" + name + "/disable").then().statusCode(204);
        Auth.asAdmin().get("/admin/agents").then().body("agents.find { it.agent == '" + name + "' }.disabled",
                equalTo(true));
        Auth.asAdmin().post("/admin/agents/" + name + "/enable").then().statusCode(204);
        Auth.asAdmin().post("/admin/agents/nobody-here/disable").then().statusCode(404).body("status", equalTo(404));
        Auth.asAdmin().post("/admin/agents/nobody-here/enable").then().statusCode(404);
        Auth.asAdmin().post("/admin/agents/" + Auth.ADMIN + "/disable").then().statusCode(400);
    }

    /** Routing keeps presence on the agent's item: nothing here may clobber it. */
    @Test
    void presenceWrittenByRoutingSurvivesChanges() {
        String name = Auth.newAgent(Roles.AGENT);
        dynamo.updateItem(update -> update.tableName(config.table())
                .key(Map.of(Agent.AGENT, AttributeValue.fromS(name))).updateExpression("SET presence = :p, #l = :l")
                .expressionAttributeNames(Map.of("#l", "load")).expressionAttributeValues(
                        Map.of(":p", AttributeValue.fromS("online"), ":l", AttributeValue.fromN("2"))));

        Auth.asAdmin().post("/admin/agents/" + name + "/disable").then().statusCode(204);
        Auth.asAdmin().post("/admin/agents/" + name + "/enable").then().statusCode(204);
        create(Map.of("agent", name, "password", "another-password")).then().statusCode(409);
        assertFalse(agents.createIfAbsent(new AgentService.NewAgent(name, "another-password", null, null)));

        Map<String, AttributeValue> item = item(name);
        assertEquals("online", item.get("presence").s());
        assertEquals("2", item.get("load").n());
        Auth.login(name, Auth.PASSWORD).then().statusCode(200);
        Auth.asAdmin().get("/admin/agents").then().body("agents.find { it.agent == '" + name + "' }.presence",
                equalTo(null));
    }

    @Test
    void bootstrapAdminIsNeverOverwritten() {
        assertFalse(agents.createIfAbsent(
                new AgentService.NewAgent(Auth.ADMIN, "a-new-password", "Someone Else", List.of(Roles.AGENT))));
        Auth.login(Auth.ADMIN, "a-new-password").then().statusCode(401);
        Auth.login(Auth.ADMIN, Auth.ADMIN_PASSWORD).then().statusCode(200).body("roles", equalTo(List.of("admin")));
    }

    private static Response create(Map<String, Object> body) {
        return Auth.asAdmin().contentType(ContentType.JSON).body(body).post("/admin/agents");
    }

    private static Map<String, Object> with(Map<String, Object> body, String name, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(name, value);
        return changed;
    }

    private Map<String, AttributeValue> item(String name) {
        return dynamo.getItem(get -> get.tableName(config.table()).key(Map.of(Agent.AGENT, AttributeValue.fromS(name)))
                .consistentRead(true)).item();
    }

    private static void assertNoSecrets(String body) {
        assertFalse(body.contains("passwordHash"), body);
        assertFalse(body.contains("$2a$"), body);
        assertFalse(body.contains("password\""), body);
    }
}
