package dev.switchboard.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/** Search finds resolved conversations too, by any part of the number or of the contact name, case aside. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class SearchTest {

    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void findsAResolvedConversationByPartOfTheNumberAndByName() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        String other = Webhooks.newCustomer();
        String token = Auth.token(ann, Auth.PASSWORD);
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "thanks, all sorted")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            a.send(Map.of("type", "resolve", "conversation", Webhooks.BUSINESS + "#" + customer));
            a.await("unassigned", SOON);
            Webhooks.post(Webhooks.sms(other, "hello")).then().statusCode(200);
            History.awaitConversation(other, "assigned", 1);
        }
        RestAssured.given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("name", "Ada Lovelace-" + customer.substring(5), "notes", "")).put("/contacts/" + customer)
                .then().statusCode(200);

        JsonPath byNumber = search(token, customer.substring(4, 11));
        Map<String, Object> hit = byNumber
                .getMap("conversations.find { it.conversation.customer == '" + customer + "' }");
        assertTrue(hit != null, byNumber.prettify());
        assertEquals("closed", ((Map<?, ?>) hit.get("conversation")).get("state"));
        assertEquals("Ada Lovelace-" + customer.substring(5), hit.get("name"));
        assertTrue(byNumber.getBoolean("complete"));
        assertTrue(!customers(byNumber).contains(other) || other.contains(customer.substring(4, 11)));

        // A name, in any case: the positive control is the one conversation with it.
        JsonPath byName = search(token, "lovelace-" + customer.substring(5));
        assertEquals(List.of(customer), customers(byName));
        assertEquals(List.of(), customers(search(token, "nobody-called-this")));

        RestAssured.given().auth().oauth2(token).queryParam("q", "a").get("/conversations/search").then()
                .statusCode(400);
        RestAssured.given().queryParam("q", "ada").get("/conversations/search").then().statusCode(401);
        // The messages path still answers for a number (the search path does not shadow it).
        History.messages(customer);
    }

    private static JsonPath search(String token, String q) {
        return RestAssured.given().auth().oauth2(token).queryParam("q", q).get("/conversations/search").then()
                .statusCode(200).extract().jsonPath();
    }

    private static List<String> customers(JsonPath found) {
        return found.getList("conversations.conversation.customer", String.class);
    }
}
