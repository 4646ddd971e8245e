package dev.switchboard.testing;

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

    public static JsonPath conversation(String customer, String state) {
        JsonPath page = Auth.asAdmin().queryParam("state", state).queryParam("limit", 100).get("/conversations").then()
                .statusCode(200).extract().jsonPath();
        return new JsonPath(page.prettify()).setRootPath("conversations.find { it.customer == '" + customer + "' }");
    }
}
