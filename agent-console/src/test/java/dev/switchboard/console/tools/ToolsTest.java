package dev.switchboard.console.tools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;

/** Canned replies and contacts through the console's API, against a real switchboard. */
@QuarkusTest
@QuarkusTestResource(StackResource.class)
class ToolsTest {

    private static String signIn() {
        String agent = SwitchboardApi.createAgent("tools", "Tool User");
        return given().contentType(ContentType.JSON).body(Map.of("agent", agent, "password", agent + "-password"))
                .post("/console/api/login").then().statusCode(200).extract().cookie("console_token");
    }

    @Test
    void anAgentReadsCannedRepliesThroughTheConsole() {
        String shortcut = "tools-" + Long.toString(System.nanoTime(), 36);
        String id = SwitchboardApi.createCannedReply(shortcut, "Hi {{customer.name}}, {{agent.name}} here.");
        try {
            given().cookie("console_token", signIn()).get("/console/api/canned-replies").then().statusCode(200).body(
                    "replies.find { it.shortcut == '" + shortcut + "' }.text",
                    equalTo("Hi {{customer.name}}, {{agent.name}} here."));
        } finally {
            SwitchboardApi.deleteCannedReply(id);
        }
    }

    @Test
    void contactsAreReadAndWrittenThroughTheConsoleWithTheSwitchboardsRules() {
        String cookie = signIn();
        String customer = SwitchboardApi.newCustomer();
        given().cookie("console_token", cookie).get("/console/api/contacts/" + customer).then().statusCode(200)
                .body("name", nullValue());
        given().cookie("console_token", cookie).contentType(ContentType.JSON)
                .body(Map.of("name", "Ada", "notes", "Calls back")).put("/console/api/contacts/" + customer).then()
                .statusCode(200).body("name", equalTo("Ada"));
        given().cookie("console_token", signIn()).get("/console/api/contacts/" + customer).then().statusCode(200)
                .body("name", equalTo("Ada")).body("notes", equalTo("Calls back"));
        // The switchboard's refusal reaches the browser as it was.
        given().cookie("console_token", cookie).contentType(ContentType.JSON).body(Map.of("name", "x".repeat(101)))
                .put("/console/api/contacts/" + customer).then().statusCode(400).body("reason", containsString("100"));
        given().cookie("console_token", cookie).get("/console/api/contacts/12345").then().statusCode(400).body("reason",
                containsString("E.164"));
    }

    @Test
    void aPictureIsUploadedThroughTheConsoleWithItsOwnType() {
        String cookie = signIn();
        byte[] gif = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ';' };
        given().cookie("console_token", cookie).contentType("image/gif").body(gif).post("/console/api/media").then()
                .statusCode(201).body("contentType", equalTo("image/gif")).body("size", equalTo(gif.length))
                .body("mediaId", org.hamcrest.Matchers.matchesPattern("M[0-9a-f]{32}"));
        // The switchboard's refusals reach the browser as they were: the type comes through, the bytes are checked.
        given().cookie("console_token", cookie).contentType("image/png").body(gif).post("/console/api/media").then()
                .statusCode(415).body("reason", containsString("not a image/png"));
        given().cookie("console_token", cookie).contentType("text/plain").body("hello").post("/console/api/media")
                .then().statusCode(415).body("reason", containsString("image/jpeg, image/png or image/gif"));
        given().contentType("image/gif").body(gif).post("/console/api/media").then().statusCode(401);
    }

    @Test
    void withoutAValidCookieNothingIsPassedOn() {
        given().get("/console/api/canned-replies").then().statusCode(401).body("status", equalTo(401));
        given().cookie("console_token", "not-a-token").get("/console/api/contacts/+15551230000").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "Mallory")).put("/console/api/contacts/+15551230000")
                .then().statusCode(401);
    }
}
