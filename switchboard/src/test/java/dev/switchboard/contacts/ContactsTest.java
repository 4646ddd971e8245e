package dev.switchboard.contacts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.switchboard.agents.Roles;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;

@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ContactsTest {

    private static String customer() {
        return "+1555" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    @Test
    void anAgentNamesACustomerAndAnotherSeesIt() {
        String customer = customer();
        String ann = Auth.newAgent(Roles.AGENT);
        String annToken = Auth.token(ann, Auth.PASSWORD);
        String bobToken = Auth.token(Auth.newAgent(Roles.AGENT), Auth.PASSWORD);

        given().auth().oauth2(bobToken).get("/contacts/" + customer).then().statusCode(200)
                .body("customer", equalTo(customer)).body("name", nullValue()).body("notes", nullValue());
        given().auth().oauth2(annToken).contentType(ContentType.JSON)
                .body(Map.of("name", "  Grace Hopper ", "notes", "Prefers texts after 5pm.\nVIP."))
                .put("/contacts/" + customer).then().statusCode(200).body("name", equalTo("Grace Hopper"))
                .body("updatedBy", equalTo(ann));
        given().auth().oauth2(bobToken).get("/contacts/" + customer).then().statusCode(200)
                .body("name", equalTo("Grace Hopper")).body("notes", equalTo("Prefers texts after 5pm.\nVIP."));
        // Percent-encoded, as a browser sends the plus.
        given().auth().oauth2(bobToken).urlEncodingEnabled(false).get("/contacts/%2B" + customer.substring(1)).then()
                .statusCode(200).body("name", equalTo("Grace Hopper"));

        // Empty clears.
        given().auth().oauth2(bobToken).contentType(ContentType.JSON).body(Map.of("name", "", "notes", ""))
                .put("/contacts/" + customer).then().statusCode(200);
        given().auth().oauth2(annToken).get("/contacts/" + customer).then().body("name", nullValue()).body("notes",
                nullValue());
    }

    @Test
    void badContactsAreRefusedWithAReasonAndStoreNothing() {
        String customer = customer();
        String token = Auth.token(Auth.newAgent(Roles.AGENT), Auth.PASSWORD);
        for (String bad : new String[] { "15551234567", "+0155512", "+1555123456789012", "+1555abc", "bob" }) {
            given().auth().oauth2(token).get("/contacts/" + bad).then().statusCode(400).body("reason",
                    containsString("E.164"));
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "X")).put("/contacts/" + bad)
                    .then().statusCode(400).body("reason", containsString("E.164"));
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "x".repeat(101)))
                .put("/contacts/" + customer).then().statusCode(400).body("reason", containsString("100"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "two\nlines"))
                .put("/contacts/" + customer).then().statusCode(400).body("reason", containsString("name"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("notes", "n".repeat(2001)))
                .put("/contacts/" + customer).then().statusCode(400).body("reason", containsString("2000"));
        given().auth().oauth2(token).contentType(ContentType.JSON).put("/contacts/" + customer).then().statusCode(400);
        given().auth().oauth2(token).get("/contacts/" + customer).then().statusCode(200).body("name", nullValue())
                .body("updatedAt", nullValue());
        // Bounds are inclusive.
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "x".repeat(100), "notes", "n".repeat(2000))).put("/contacts/" + customer).then()
                .statusCode(200);
    }

    @Test
    void contactsNeedASignedInAgent() {
        String customer = customer();
        given().get("/contacts/" + customer).then().statusCode(401).body("status", equalTo(401));
        given().contentType(ContentType.JSON).body(Map.of("name", "Mallory")).put("/contacts/" + customer).then()
                .statusCode(401);
        Auth.asAdmin().get("/contacts/" + customer).then().statusCode(200).body("name", nullValue());
    }
}
