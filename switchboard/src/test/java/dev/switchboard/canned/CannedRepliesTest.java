package dev.switchboard.canned;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.switchboard.agents.Roles;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

@QuarkusTest
@WithTestResource(LocalServersResource.class)
class CannedRepliesTest {

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    private static Response create(String shortcut, String text) {
        return Auth.asAdmin().contentType(ContentType.JSON).body(Map.of("shortcut", shortcut, "text", text))
                .post("/admin/canned-replies");
    }

    @Test
    void adminWritesAndAnyAgentReads() {
        String shortcut = unique("thanks");
        String id = create(shortcut, "Thanks {{customer.name}}, {{agent.name}} here.").then().statusCode(201)
                .body("shortcut", equalTo(shortcut)).body("updatedBy", equalTo(Auth.ADMIN))
                .body("createdAt", notNullValue()).extract().path("id");

        String agentToken = Auth.token(Auth.newAgent(Roles.AGENT), Auth.PASSWORD);
        given().auth().oauth2(agentToken).get("/canned-replies").then().statusCode(200).body(
                "replies.find { it.id == '" + id + "' }.text",
                equalTo("Thanks {{customer.name}}, {{agent.name}} here."));

        String renamed = unique("thank-you");
        Auth.asAdmin().contentType(ContentType.JSON).body(Map.of("shortcut", "/" + renamed, "text", "Thank you!"))
                .put("/admin/canned-replies/" + id).then().statusCode(200).body("shortcut", equalTo(renamed))
                .body("text", equalTo("Thank you!"));
        // The old shortcut is free again: a new reply may take it.
        String other = create(shortcut, "Something else").then().statusCode(201).extract().path("id");

        Auth.asAdmin().delete("/admin/canned-replies/" + id).then().statusCode(204);
        Auth.asAdmin().delete("/admin/canned-replies/" + id).then().statusCode(404).body("status", equalTo(404));
        given().auth().oauth2(agentToken).get("/canned-replies").then().statusCode(200)
                .body("replies.id", not(hasItem(id))).body("replies.id", hasItem(other));
        Auth.asAdmin().delete("/admin/canned-replies/" + other).then().statusCode(204);
    }

    @Test
    void anAgentCannotEditCannedReplies() {
        String id = create(unique("hours"), "We are open 9 to 5.").then().statusCode(201).extract().path("id");
        String agentToken = Auth.token(Auth.newAgent(Roles.AGENT), Auth.PASSWORD);
        Map<String, String> body = Map.of("shortcut", unique("sneaky"), "text", "Changed by an agent");

        given().auth().oauth2(agentToken).contentType(ContentType.JSON).body(body).post("/admin/canned-replies").then()
                .statusCode(403).body("status", equalTo(403)).body("reason", notNullValue());
        given().auth().oauth2(agentToken).contentType(ContentType.JSON).body(body).put("/admin/canned-replies/" + id)
                .then().statusCode(403);
        given().auth().oauth2(agentToken).delete("/admin/canned-replies/" + id).then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/admin/canned-replies").then().statusCode(401);
        given().get("/canned-replies").then().statusCode(401);

        given().auth().oauth2(agentToken).get("/canned-replies").then().statusCode(200)
                .body("replies.find { it.id == '" + id + "' }.text", equalTo("We are open 9 to 5."))
                .body("replies.text", not(hasItem("Changed by an agent")));
        Auth.asAdmin().delete("/admin/canned-replies/" + id).then().statusCode(204);
    }

    @Test
    void badRepliesAreRefusedWithAReasonAndStoreNothing() {
        String marker = unique("bad");
        create("Has Space", marker).then().statusCode(400).body("reason", containsString("shortcut"));
        create("", marker).then().statusCode(400).body("reason", containsString("shortcut"));
        create("x".repeat(33), marker).then().statusCode(400).body("reason", containsString("shortcut"));
        create(unique("ok"), " ").then().statusCode(400).body("reason", containsString("text"));
        create(unique("ok"), marker + "x".repeat(1600)).then().statusCode(400).body("reason", containsString("1600"));
        create(unique("ok"), marker + " {{customer.phone}}").then().statusCode(400).body("reason",
                containsString("{{customer.phone}}"));
        Auth.asAdmin().contentType(ContentType.JSON).post("/admin/canned-replies").then().statusCode(400);
        Auth.asAdmin().contentType(ContentType.JSON).body("{\"shortcut\":").post("/admin/canned-replies").then()
                .statusCode(400);
        Auth.asAdmin().contentType(ContentType.JSON).body(Map.of("shortcut", "fine", "text", "fine"))
                .put("/admin/canned-replies/not-an-id").then().statusCode(404);
        Auth.asAdmin().get("/canned-replies").then().statusCode(200).body("replies.text",
                not(hasItem(containsString(marker))));
    }

    @Test
    void aShortcutNamesOneReply() {
        String shortcut = unique("dup");
        String first = create(shortcut, "First").then().statusCode(201).extract().path("id");
        create(shortcut, "Second").then().statusCode(409).body("reason", containsString("/" + shortcut));
        String second = create(unique("dup2"), "Second").then().statusCode(201).extract().path("id");
        Auth.asAdmin().contentType(ContentType.JSON).body(Map.of("shortcut", shortcut, "text", "Second"))
                .put("/admin/canned-replies/" + second).then().statusCode(409);
        List<String> texts = Auth.asAdmin().get("/canned-replies").then().extract()
                .path("replies.findAll { it.shortcut == '" + shortcut + "' }.text");
        assertEquals(List.of("First"), texts);
        Auth.asAdmin().delete("/admin/canned-replies/" + first).then().statusCode(204);
        Auth.asAdmin().delete("/admin/canned-replies/" + second).then().statusCode(204);
    }

    /** switchboard.canned.max-replies is 20 in the test profile. */
    @Test
    void theNumberOfRepliesIsBounded() {
        int existing = Auth.asAdmin().get("/canned-replies").then().extract().path("replies.size()");
        List<String> ids = new ArrayList<>();
        for (int i = existing; i < 20; i++) {
            ids.add(create(unique("fill" + i), "Filler").then().statusCode(201).extract().path("id"));
        }
        create(unique("one-too-many"), "Too many").then().statusCode(409).body("reason", containsString("20"));
        Auth.asAdmin().get("/canned-replies").then().body("replies.size()", equalTo(20));
        // A deleted one makes room again.
        Auth.asAdmin().delete("/admin/canned-replies/" + ids.remove(0)).then().statusCode(204);
        ids.add(create(unique("room-again"), "Fits").then().statusCode(201).extract().path("id"));
        for (String id : ids) {
            Auth.asAdmin().delete("/admin/canned-replies/" + id).then().statusCode(204);
        }
    }
}
