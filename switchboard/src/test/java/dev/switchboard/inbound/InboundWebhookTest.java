package dev.switchboard.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.switchboard.local.TwilioSignature;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Tables;
import dev.switchboard.testing.Webhooks;

@QuarkusTest
@WithTestResource(LocalServersResource.class)
class InboundWebhookTest {

    /** The test profile's second business number (switchboard.twilio.business-numbers). */
    static final String SECOND_BUSINESS = "+15550000001";

    @Test
    void signedSmsDeliveredThreeTimesIsStoredOnce() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "Hi, is my order 42 shipped? 📦 Grüße");
        for (int delivery = 0; delivery < 3; delivery++) {
            Webhooks.post(sms).then().statusCode(200).contentType(containsString("text/xml"))
                    .body(equalTo(InboundSmsResource.EMPTY_TWIML));
        }

        JsonPath history = History.messages(customer);
        assertEquals(1, history.getList("messages").size());
        assertEquals("Hi, is my order 42 shipped? 📦 Grüße", history.getString("messages[0].body"));
        assertEquals(sms.get("MessageSid"), history.getString("messages[0].twilioSid"));
        assertEquals("inbound", history.getString("messages[0].direction"));
        assertEquals("received", history.getString("messages[0].status"));
        assertEquals("SAN FRANCISCO", history.getString("messages[0].details.FromCity"));
        JsonPath conversation = History.awaitConversation(customer, "waiting", 1);
        assertEquals(1, conversation.getInt("unread"));
        assertEquals(1, conversation.getInt("messageCount"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("switchboard_webhooks_total{outcome=\"duplicate\""), metrics);
    }

    @Test
    void conversationReflectsTheLastMessageAndUnreadCount() {
        String customer = Webhooks.newCustomer();
        Webhooks.post(Webhooks.sms(customer, "first")).then().statusCode(200);
        Webhooks.post(Webhooks.sms(customer, "second")).then().statusCode(200);
        Webhooks.post(Webhooks.sms(customer, "third, and the last")).then().statusCode(200);

        JsonPath conversation = History.awaitConversation(customer, "waiting", 3);
        assertEquals("third, and the last", conversation.getString("lastMessagePreview"));
        assertEquals(3, conversation.getInt("unread"));
        assertEquals(3, conversation.getInt("messageCount"));
        assertEquals(Webhooks.BUSINESS + "#" + customer, conversation.getString("conversation"));
        assertEquals("inbound", conversation.getString("lastDirection"));
        assertEquals(History.messages(customer).getString("messages[0].id"), conversation.getString("lastMessageId"));
    }

    @Test
    void historyPagesNewestFirst() {
        String customer = Webhooks.newCustomer();
        for (int i = 1; i <= 5; i++) {
            Webhooks.post(Webhooks.sms(customer, "message " + i)).then().statusCode(200);
        }
        JsonPath first = History.messages(customer, "?limit=2");
        assertEquals(List.of("message 5", "message 4"), first.getList("messages.body"));
        JsonPath second = History.messages(customer, "?limit=2&before=" + first.getString("next"));
        assertEquals(List.of("message 3", "message 2"), second.getList("messages.body"));
        JsonPath third = History.messages(customer, "?limit=2&before=" + second.getString("next"));
        assertEquals(List.of("message 1"), third.getList("messages.body"));
        assertNull(third.getString("next"));
    }

    @Test
    void tamperedSignatureIsRefusedAndNothingStored() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "original");
        String signature = TwilioSignature.sign(Webhooks.TOKEN, Webhooks.url(), sms);
        sms.put("Body", "tampered");
        Webhooks.postSigned(sms, signature).then().statusCode(403).body("reason",
                containsString("X-Twilio-Signature does not match"));
        assertNothingStored(customer);
    }

    @Test
    void signatureForAnotherUrlIsRefused() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "hello");
        String signature = TwilioSignature.sign(Webhooks.TOKEN, "https://elsewhere.example.com/twilio/messages", sms);
        Webhooks.postSigned(sms, signature).then().statusCode(403);
        assertNothingStored(customer);
    }

    @Test
    void signatureWithAnotherTokenIsRefused() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "hello");
        Webhooks.postSigned(sms, TwilioSignature.sign("some-other-token", Webhooks.url(), sms)).then().statusCode(403);
        assertNothingStored(customer);
    }

    @Test
    void missingSignatureIsRefused() {
        String customer = Webhooks.newCustomer();
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .body(TwilioSignature.formBody(Webhooks.sms(customer, "hello"))).post("/twilio/messages").then()
                .statusCode(403).body("reason", containsString("X-Twilio-Signature header is missing"));
        assertNothingStored(customer);
    }

    @Test
    void foreignAccountIsRefusedEvenWhenSigned() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "hello");
        sms.put("AccountSid", "AC11111111111111111111111111111111");
        Webhooks.post(sms).then().statusCode(403).body("reason", containsString("AccountSid"));
        assertNothingStored(customer);
    }

    @Test
    void urlRebuiltFromForwardedHeadersBehindAProxy() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "via the load balancer");
        String publicUrl = "https://sms.example.com/twilio/messages";
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "sms.example.com")
                .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, publicUrl, sms))
                .body(TwilioSignature.formBody(sms)).post("/twilio/messages").then().statusCode(200);
        assertEquals("via the load balancer", History.messages(customer).getString("messages[0].body"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("no MessageSid", (Consumer<Map<String, String>>) p -> p.remove("MessageSid"),
                        "MessageSid is missing"),
                Arguments.of("From not E.164", (Consumer<Map<String, String>>) p -> p.put("From", "5551234567"),
                        "From is not an E.164 number"),
                Arguments.of("To not E.164", (Consumer<Map<String, String>>) p -> p.put("To", "+1 555 000"),
                        "To is not an E.164 number"),
                Arguments.of("NumMedia 11", (Consumer<Map<String, String>>) p -> p.put("NumMedia", "11"),
                        "NumMedia must be between 0 and 10"),
                Arguments.of("NumMedia negative", (Consumer<Map<String, String>>) p -> p.put("NumMedia", "-1"),
                        "NumMedia must be between 0 and 10"),
                Arguments.of("NumMedia not a number", (Consumer<Map<String, String>>) p -> p.put("NumMedia", "two"),
                        "NumMedia is not a number"),
                Arguments.of("media URL missing", (Consumer<Map<String, String>>) p -> p.put("NumMedia", "1"),
                        "MediaUrl0 is missing"),
                Arguments.of("body of 1,601 characters",
                        (Consumer<Map<String, String>>) p -> p.put("Body", "é".repeat(1601)),
                        "Body has 1601 characters; at most 1600"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedWebhookIsRejectedWithAReason(String name, Consumer<Map<String, String>> breakIt, String reason) {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "hello");
        breakIt.accept(sms);
        Webhooks.post(sms).then().statusCode(400).body("reason", containsString(reason));
        assertNothingStored(customer);
    }

    @Test
    void longestAllowedBodyOfEmojiIsKeptExactly() {
        String customer = Webhooks.newCustomer();
        String body = "🙂".repeat(1600);
        Webhooks.post(Webhooks.sms(customer, body)).then().statusCode(200);
        assertEquals(body, History.messages(customer).getString("messages[0].body"));
    }

    @Test
    void bodyOverTheCapIsRefusedWith413() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "hello");
        sms.put("Padding", "x".repeat(70_000));
        Webhooks.post(sms).then().statusCode(413).body("reason", containsString("switchboard.webhook.max-body-bytes"));
        assertNothingStored(customer);
    }

    @Test
    void readApiRejectsBadParameters() {
        Auth.asAdmin().get("/conversations?state=lost").then().statusCode(400).body("reason", containsString("state"));
        Auth.asAdmin().get("/conversations/12345/messages").then().statusCode(400).body("reason",
                containsString("E.164"));
        Auth.asAdmin().get("/conversations/+15551234567/messages?limit=0").then().statusCode(400);
        Auth.asAdmin().get("/conversations/+15551234567/messages?limit=101").then().statusCode(400);
        Auth.asAdmin().get("/conversations/+15551234567/messages?before=zzz").then().statusCode(400);
        Auth.asAdmin().get("/conversations?cursor=bm9wZQ").then().statusCode(400);
    }

    @Test
    void webhookToANumberThatIsNotOursIsRefusedAndNothingStoredAnywhere() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "to a number we do not answer for");
        sms.put("To", "+15559990000");
        Webhooks.post(sms).then().statusCode(403).contentType(containsString("application/json"))
                .body("status", equalTo(403))
                .body("reason", containsString("To +15559990000 is not a business number"));
        assertEquals(List.of(), Tables.itemsMentioning(customer));

        // Positive control: the second configured number is accepted, and the scan finds what it stored.
        Map<String, String> second = Webhooks.sms(customer, "to our second number");
        second.put("To", SECOND_BUSINESS);
        Webhooks.post(second).then().statusCode(200);
        assertTrue(Tables.itemsMentioning(customer).stream()
                .anyMatch(item -> item.toString().contains("to our second number")));
        assertTrue(Tables.itemsMentioning(customer).stream()
                .noneMatch(item -> item.toString().contains("to a number we do not answer for")));
    }

    @Test
    void invalidUtf8IsRefusedEvenWhenTheSignatureMatchesItsReplacement() {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "PLACEHOLDER");
        // Signed as the parameters read with U+FFFD for the broken bytes, which is what was stored before.
        Map<String, String> asReplaced = new java.util.LinkedHashMap<>(sms);
        asReplaced.put("Body", "caf\uFFFD(");
        String signature = TwilioSignature.sign(Webhooks.TOKEN, Webhooks.url(), asReplaced);
        String body = TwilioSignature.formBody(sms).replace("PLACEHOLDER", "caf%C3%28");
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8").header("X-Twilio-Signature", signature)
                .body(body).post("/twilio/messages").then().statusCode(400).body("status", equalTo(400))
                .body("reason", containsString("not valid UTF-8"));
        assertEquals(List.of(), Tables.itemsMentioning(customer));
    }

    @Test
    void rawBytesThatAreNotUtf8AreRefused() throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "PLACEHOLDER");
        String form = TwilioSignature.formBody(sms).replace("PLACEHOLDER", "\u00ff\u00fe");
        HttpResponse<String> response = send("application/x-www-form-urlencoded",
                TwilioSignature.sign(Webhooks.TOKEN, Webhooks.url(), sms), form.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(JsonPath.from(response.body()).getString("reason").contains("not valid UTF-8"), response.body());
        assertEquals(List.of(), Tables.itemsMentioning(customer));
    }

    @ParameterizedTest(name = "Content-Type {0}")
    @ValueSource(strings = { "application/json", "text/plain", "multipart/form-data; boundary=x", "" })
    void webhookThatIsNotAFormIsRefusedWith415(String contentType) throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> sms = Webhooks.sms(customer, "not a form");
        HttpResponse<String> response = send(contentType, TwilioSignature.sign(Webhooks.TOKEN, Webhooks.url(), sms),
                TwilioSignature.formBody(sms).getBytes(StandardCharsets.UTF_8));
        assertEquals(415, response.statusCode(), response.body());
        assertEquals(415, JsonPath.from(response.body()).getInt("status"));
        assertTrue(JsonPath.from(response.body()).getString("reason").contains("content type"), response.body());
        assertEquals(List.of(), Tables.itemsMentioning(customer));
    }

    /** Posts exactly these bytes with exactly this Content-Type (none when empty). */
    private static HttpResponse<String> send(String contentType, String signature, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Webhooks.url()))
                .header("X-Twilio-Signature", signature).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNothingStored(String customer) {
        assertEquals(List.of(), History.messages(customer).getList("messages"));
    }
}
