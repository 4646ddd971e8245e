package dev.switchboard.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

import dev.switchboard.testing.LocalServersResource;

/** Errors that Quarkus itself raises carry the same JSON body as the switchboard's own. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ErrorBodiesTest {

    @Test
    void wrongMethodIs405WithAReason() {
        given().get("/twilio/messages").then().statusCode(405).contentType(containsString("application/json"))
                .body("status", equalTo(405)).body("reason", containsString("method is not allowed"));
        given().get("/auth/login").then().statusCode(405).body("status", equalTo(405));
    }

    @Test
    void unknownPathIs404WithAReason() {
        given().get("/no/such/thing").then().statusCode(404).contentType(containsString("application/json"))
                .body("status", equalTo(404)).body("reason", equalTo("no such resource"));
        given().post("/twilio/nothing-here").then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void unreadableContentTypeIs415WithAReason() {
        given().contentType("text/plain").body("agent=demo").post("/auth/login").then().statusCode(415)
                .contentType(containsString("application/json")).body("status", equalTo(415))
                .body("reason", containsString("content type"));
    }

    @Test
    void malformedJsonOnLoginIs400WithAReason() {
        given().contentType("application/json").body("{\"agent\": \"demo\", \"password\": ").post("/auth/login").then()
                .statusCode(400).contentType(containsString("application/json")).body("status", equalTo(400))
                .body("reason", containsString("not the JSON this endpoint reads"));
        given().contentType("application/json").body("[1, 2]").post("/auth/login").then().statusCode(400).body("status",
                equalTo(400));
        // Positive control: well-formed JSON with the wrong password is the login's own 401.
        given().contentType("application/json").body("{\"agent\": \"admin\", \"password\": \"wrong\"}")
                .post("/auth/login").then().statusCode(401).body("status", equalTo(401));
    }

    @Test
    void bodyDeclaredOverTheGlobalCapIs413WithAReasonBeforeItIsSent() throws IOException {
        // Declares 2 MiB (the cap is 1M) and sends nothing: the answer must come from the headers alone.
        String response = rawExchange("POST /auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        JsonPath json = JsonPath.from(body);
        assertEquals(413, json.getInt("status"));
        assertTrue(json.getString("reason").contains("switchboard.http.max-body-size"), body);
    }

    @Test
    void bodyJustUnderTheGlobalCapIsNotRefusedAsTooLarge() {
        // Positive control for the 413: a big but allowed body reaches the endpoint (which then finds it is not JSON).
        given().contentType("application/json").body("x".repeat(1_000_000)).post("/auth/login").then().statusCode(400);
    }

    /** One request over a plain socket, read until the server closes or the response is complete. */
    private static String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                int headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd > 0 && text.indexOf("}", headerEnd) > 0) {
                    break;
                }
            }
            return text.toString();
        }
    }
}
