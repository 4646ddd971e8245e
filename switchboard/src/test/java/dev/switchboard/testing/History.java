package dev.switchboard.testing;

import java.time.Duration;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import io.restassured.path.json.JsonPath;

/** Reads history through the switchboard's own API, as clients do: logged in as the bootstrap admin. */
public final class History {

    private History() {
    }

    public static JsonPath messages(String customer) {
        return messages(customer, "");
    }

    public static JsonPath messages(String customer, String query) {
        return Auth.asAdmin().get("/conversations/" + customer + "/messages" + query).then().statusCode(200).extract()
                .jsonPath();
    }

    /**
     * The conversation once its summary (a projection of the messages stream, lagging the write by the stream's poll
     * interval) satisfies {@code ready}.
     */
    public static JsonPath awaitConversation(String customer, String state, Predicate<JsonPath> ready) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> conversation(customer, state), c -> c.get() != null && ready.test(c));
    }

    /** The conversation once the projection has counted {@code count} messages. */
    public static JsonPath awaitConversation(String customer, String state, int count) {
        return awaitConversation(customer, state, c -> c.getInt("messageCount") >= count);
    }

    public static JsonPath conversation(String customer, String state) {
        JsonPath page = Auth.asAdmin().queryParam("state", state).queryParam("limit", 100).get("/conversations").then()
                .statusCode(200).extract().jsonPath();
        return new JsonPath(page.prettify()).setRootPath("conversations.find { it.customer == '" + customer + "' }");
    }
}
