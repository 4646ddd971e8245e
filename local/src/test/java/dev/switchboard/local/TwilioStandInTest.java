package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.switchboard.local.CallbackReceiver.Received;
import dev.switchboard.local.SentMessage.CallbackAttempt;
import dev.switchboard.local.SentMessage.StatusChange;

class TwilioStandInTest {

    private static final String ACCOUNT = TwilioStandIn.DEFAULT_ACCOUNT_SID;
    // Not the default token, to prove the configured one is the one checked and signed with.
    private static final String TOKEN = "test-token-4f1c";
    private static final String AUTH = TestHttp.basic(ACCOUNT, TOKEN);
    private static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json";
    private static final String CUSTOMER = "+15551234567";
    private static final String OTHER_CUSTOMER = "+15557654321";
    private static final String BUSINESS = "+15550000000";
    private static final Duration WAIT = Duration.ofSeconds(10);

    // A line per message helps whoever watches the local run; here it is noise. Held so the setting is not collected.
    private static final Logger STAND_IN_LOG = Logger.getLogger(TwilioStandIn.class.getName());

    private static TwilioStandIn standIn;
    private static CallbackReceiver receiver;
    private static TestHttp http;

    @BeforeAll
    static void start() throws IOException {
        STAND_IN_LOG.setLevel(Level.WARNING);
        standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests().withCredentials(ACCOUNT, TOKEN));
        receiver = new CallbackReceiver();
        http = new TestHttp(standIn.url());
    }

    @AfterAll
    static void stop() {
        standIn.close();
        receiver.close();
    }

    @BeforeEach
    void forgetEarlierTests() {
        standIn.clearMessages();
        standIn.optedOut().clear();
        standIn.failing().clear();
        standIn.undeliverable().clear();
    }

    private static HttpResponse<String> send(String... namesAndValues) throws Exception {
        return http.post(MESSAGES, AUTH, form(namesAndValues));
    }

    private static String form(String... namesAndValues) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return TestHttp.form(params);
    }

    private static String sendOk(String... namesAndValues) throws Exception {
        HttpResponse<String> response = send(namesAndValues);
        assertEquals(201, response.statusCode(), response.body());
        return (String) MiniJson.object(response.body()).get("sid");
    }

    /**
     * Parses a date as Twilio's SDK 13.0.1 does ({@code com.twilio.converter.DateConverter}): same pattern, same locale
     * (which the JDK reads as an unknown language and falls back on). Null where the SDK would give null.
     */
    @SuppressWarnings("deprecation")
    private static ZonedDateTime sdkDate(Object text) {
        DateTimeFormatter sdk = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z")
                .withLocale(new Locale("en_US"));
        try {
            return ZonedDateTime.parse((String) text, sdk);
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    private static void assertTwilioError(HttpResponse<String> response, int status, int code, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> json = MiniJson.object(response.body());
        assertEquals(Set.of("code", "message", "more_info", "status"), json.keySet());
        assertEquals((long) code, json.get("code"));
        assertEquals((long) status, json.get("status"));
        assertEquals("https://www.twilio.com/docs/errors/" + code, json.get("more_info"));
        if (message != null) {
            assertEquals(message, json.get("message"));
        }
    }

    private static void assertSignedByTwilio(Received callback) {
        assertEquals(TwilioSignature.sign(TOKEN, callback.url(), callback.params()),
                callback.header("X-Twilio-Signature"), "signature of " + callback);
    }

    @Test
    void createAnswers201WithTheMessageResourceTheSdkReads() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> response = send("To", CUSTOMER, "From", BUSINESS, "Body", "Hello from the switchboard");

        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> json = MiniJson.object(response.body());
        assertEquals(Set.of("account_sid", "api_version", "body", "date_created", "date_sent", "date_updated",
                "direction", "error_code", "error_message", "from", "messaging_service_sid", "num_media",
                "num_segments", "price", "price_unit", "sid", "status", "subresource_uris", "to", "uri"),
                json.keySet());
        String sid = (String) json.get("sid");
        assertTrue(sid.matches("SM[0-9a-f]{32}"), sid);
        assertEquals(ACCOUNT, json.get("account_sid"));
        assertEquals("2010-04-01", json.get("api_version"));
        assertEquals("Hello from the switchboard", json.get("body"));
        assertEquals(BUSINESS, json.get("from"));
        assertEquals(CUSTOMER, json.get("to"));
        assertEquals("queued", json.get("status"));
        assertEquals("outbound-api", json.get("direction"));
        assertEquals("1", json.get("num_segments"));
        assertEquals("0", json.get("num_media"));
        assertEquals("USD", json.get("price_unit"));
        assertNull(json.get("price"));
        assertNull(json.get("date_sent"));
        assertNull(json.get("error_code"));
        assertNull(json.get("error_message"));
        assertNull(json.get("messaging_service_sid"));
        String uri = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + sid;
        assertEquals(uri + ".json", json.get("uri"));
        assertEquals(Map.of("media", uri + "/Media.json"), json.get("subresource_uris"));

        ZonedDateTime created = sdkDate(json.get("date_created"));
        assertNotNull(created, "the SDK could not parse " + json.get("date_created"));
        assertFalse(created.toInstant().isBefore(before));
        assertFalse(created.toInstant().isAfter(Instant.now()));
        assertNotNull(sdkDate(json.get("date_updated")));

        SentMessage recorded = standIn.awaitMessages(1, WAIT).get(0);
        assertEquals(sid, recorded.sid());
        assertEquals(BUSINESS, recorded.from());
        assertEquals(CUSTOMER, recorded.to());
        assertEquals("Hello from the switchboard", recorded.body());
        assertEquals(List.of(), recorded.mediaUrls());
        assertNull(recorded.statusCallback());
        assertEquals("queued", recorded.statusHistory().get(0).status());
    }

    @Test
    void datesHaveTwoDigitDaysAsTheSdkExpects() {
        Instant secondOfNovember = Instant.parse("2026-11-02T02:10:31Z");

        String written = MessagesApi.rfc2822(secondOfNovember);

        assertEquals("Mon, 02 Nov 2026 02:10:31 +0000", written);
        assertEquals(secondOfNovember, sdkDate(written).toInstant());
        // Why the JDK's RFC 1123 formatter will not do: the SDK reads its single-digit days as nothing at all.
        assertNull(sdkDate(DateTimeFormatter.RFC_1123_DATE_TIME.format(secondOfNovember.atOffset(ZoneOffset.UTC))));
    }

    static Stream<Arguments> badCredentials() {
        String otherAccount = "AC" + "1".repeat(32);
        return Stream.of(Arguments.of("wrong token", MESSAGES, TestHttp.basic(ACCOUNT, "wrong")),
                Arguments.of("wrong account", MESSAGES, TestHttp.basic(otherAccount, TOKEN)),
                Arguments.of("no credentials", MESSAGES, null), Arguments.of("not Basic", MESSAGES, "Bearer " + TOKEN),
                Arguments.of("not Base64", MESSAGES, "Basic %%%"),
                Arguments.of("no colon", MESSAGES,
                        "Basic " + java.util.Base64.getEncoder()
                                .encodeToString(ACCOUNT.getBytes(StandardCharsets.UTF_8))),
                Arguments.of("another account's path", "/2010-04-01/Accounts/" + otherAccount + "/Messages.json",
                        AUTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badCredentialsGet401WithTwilioError20003(String why, String path, String authorization) throws Exception {
        HttpResponse<String> response = http.post(path, authorization,
                form("To", CUSTOMER, "From", BUSINESS, "Body", "hi"));

        assertTwilioError(response, 401, 20003, "Authentication Error - invalid username");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals(List.of(), standIn.messages());
    }

    static Stream<Arguments> invalidMessages() {
        return Stream.of(
                Arguments.of(new String[] { "From", BUSINESS, "Body", "hi" }, 21211,
                        "The 'To' number  is not a valid phone number."),
                Arguments.of(new String[] { "To", "555-1234", "From", BUSINESS, "Body", "hi" }, 21211,
                        "The 'To' number 555-1234 is not a valid phone number."),
                Arguments.of(new String[] { "To", "+0123456", "From", BUSINESS, "Body", "hi" }, 21211, null),
                Arguments.of(new String[] { "To", "15551234567", "From", BUSINESS, "Body", "hi" }, 21211, null),
                Arguments.of(new String[] { "To", CUSTOMER, "Body", "hi" }, 21603,
                        "A 'From' phone number is required."),
                Arguments.of(new String[] { "To", CUSTOMER, "From", BUSINESS }, 21602, "Message body is required."),
                Arguments.of(new String[] { "To", CUSTOMER, "From", BUSINESS, "Body", "" }, 21602, null),
                Arguments.of(new String[] { "To", CUSTOMER, "From", BUSINESS, "Body", "x".repeat(1601) }, 21617,
                        "The concatenated message body exceeds the 1600 character limit."),
                Arguments.of(new String[] { "To", CUSTOMER, "From", BUSINESS, "MediaUrl", "not a url" }, 21620, null),
                Arguments.of(new String[] { "To", CUSTOMER, "From", BUSINESS, "Body", "hi", "StatusCallback",
                        "ftp://example.com/status" }, 21609, null));
    }

    @ParameterizedTest
    @MethodSource("invalidMessages")
    void invalidMessagesGetTwilios400s(String[] params, int code, String message) throws Exception {
        assertTwilioError(send(params), 400, code, message);
        assertEquals(List.of(), standIn.messages());
    }

    @Test
    void aBodyOfExactly1600CharactersIsAccepted() throws Exception {
        String sid = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "x".repeat(1600));

        assertEquals(11, standIn.awaitMessages(1, WAIT).get(0).numSegments(), sid);
    }

    @Test
    void mediaWithoutBodyAndAMessagingServiceInsteadOfFromAreAccepted() throws Exception {
        String service = "MG" + "a".repeat(32);
        String first = standIn.mediaUrl("sample.png");
        String second = standIn.mediaUrl("sample.jpg");

        HttpResponse<String> response = send("To", CUSTOMER, "MessagingServiceSid", service, "MediaUrl", first,
                "MediaUrl", second);

        assertEquals(201, response.statusCode(), response.body());
        Map<String, Object> json = MiniJson.object(response.body());
        assertEquals("2", json.get("num_media"));
        assertEquals("", json.get("body"));
        assertNull(json.get("from"));
        assertEquals(service, json.get("messaging_service_sid"));
        SentMessage recorded = standIn.awaitMessages(1, WAIT).get(0);
        assertEquals(List.of(first, second), recorded.mediaUrls());
        assertEquals(service, recorded.messagingServiceSid());
    }

    @Test
    void statusCallbacksArriveInOrderSignedLikeTwilios() throws Exception {
        String path = "/status/in-order";
        // A query string is part of what Twilio signs, so the receiver must get it back exactly.
        String callback = receiver.url() + path + "?tenant=a%20b&x=1";

        String sid = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "Your order shipped", "StatusCallback", callback);

        List<Received> callbacks = receiver.await(path, 2, WAIT);
        assertEquals(List.of("sent", "delivered"),
                callbacks.stream().map(c -> c.params().get("MessageStatus")).toList());
        for (Received received : callbacks) {
            assertEquals(callback, received.url());
            assertSignedByTwilio(received);
            assertEquals(Set.of("AccountSid", "ApiVersion", "From", "To", "MessageSid", "SmsSid", "MessageStatus",
                    "SmsStatus"), received.params().keySet());
            assertEquals(ACCOUNT, received.params().get("AccountSid"));
            assertEquals("2010-04-01", received.params().get("ApiVersion"));
            assertEquals(BUSINESS, received.params().get("From"));
            assertEquals(CUSTOMER, received.params().get("To"));
            assertEquals(sid, received.params().get("MessageSid"));
            assertEquals(sid, received.params().get("SmsSid"));
            assertEquals(received.params().get("MessageStatus"), received.params().get("SmsStatus"));
            assertTrue(received.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
            assertNotNull(received.header("I-Twilio-Idempotency-Token"));
            assertNull(received.header("Upgrade"), "Twilio calls back with plain HTTP/1.1");
        }
        // Signed with the account's token and nothing else.
        assertNotEquals(TwilioSignature.sign("other-token", callbacks.get(0).url(), callbacks.get(0).params()),
                callbacks.get(0).header("X-Twilio-Signature"));

        SentMessage settled = standIn.awaitSettled(sid, WAIT);
        assertEquals("delivered", settled.status());
        assertEquals(List.of("queued", "sent", "delivered"),
                settled.statusHistory().stream().map(StatusChange::status).toList());
        assertNotNull(settled.dateSent());
        assertEquals(List.of("sent", "delivered"), settled.callbacks().stream().map(CallbackAttempt::status).toList());
        assertTrue(settled.callbacks().stream().allMatch(a -> a.httpStatus() == 200 && a.succeeded()));
        // No callback for queued, and nothing after delivered.
        assertEquals(2, receiver.all(path).size());
    }

    @Test
    void failingNumbersGetFailedWith30008AndNoSent() throws Exception {
        String path = "/status/failing";
        standIn.failing().add(CUSTOMER);

        String sid = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "hello?", "StatusCallback",
                receiver.url() + path);

        SentMessage settled = standIn.awaitSettled(sid, WAIT);
        List<Received> callbacks = receiver.all(path);
        assertEquals(1, callbacks.size(), callbacks.toString());
        Received failed = callbacks.get(0);
        assertSignedByTwilio(failed);
        assertEquals("failed", failed.params().get("MessageStatus"));
        assertEquals("failed", failed.params().get("SmsStatus"));
        assertEquals("30008", failed.params().get("ErrorCode"));
        assertEquals("Unknown error", failed.params().get("ErrorMessage"));
        assertEquals("failed", settled.status());
        assertEquals(30008, settled.errorCode());
        assertEquals(List.of("queued", "failed"), settled.statusHistory().stream().map(StatusChange::status).toList());
        assertNull(settled.dateSent());
    }

    @Test
    void undeliverableNumbersSetThroughTheInspectionApiGetUndeliveredWith30003() throws Exception {
        String path = "/status/undeliverable";
        HttpResponse<String> set = http.post("/_standin/undeliverable-numbers", null, form("number", OTHER_CUSTOMER));
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(List.of(OTHER_CUSTOMER), MiniJson.array(set.body()));

        String sid = sendOk("To", OTHER_CUSTOMER, "From", BUSINESS, "Body", "hello?", "StatusCallback",
                receiver.url() + path);

        List<Received> callbacks = receiver.await(path, 2, WAIT);
        assertEquals(List.of("sent", "undelivered"),
                callbacks.stream().map(c -> c.params().get("MessageStatus")).toList());
        callbacks.forEach(TwilioStandInTest::assertSignedByTwilio);
        assertNull(callbacks.get(0).params().get("ErrorCode"));
        assertEquals("30003", callbacks.get(1).params().get("ErrorCode"));
        assertEquals("Unreachable destination handset", callbacks.get(1).params().get("ErrorMessage"));
        SentMessage settled = standIn.awaitSettled(sid, WAIT);
        assertEquals("undelivered", settled.status());
        assertEquals(30003, settled.errorCode());
        assertEquals("Unreachable destination handset", settled.errorMessage());
    }

    @Test
    void optedOutNumbersAreRefusedWith21610AndNothingIsRecorded() throws Exception {
        standIn.optedOut().add(CUSTOMER);

        assertTwilioError(send("To", CUSTOMER, "From", BUSINESS, "Body", "hi"), 400, 21610,
                "Attempt to send to unsubscribed recipient");
        assertEquals(List.of(), standIn.messages());

        // A plus in a path is a plus.
        assertEquals(204, http.send("DELETE", "/_standin/opt-outs/" + CUSTOMER, null).statusCode());
        sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "hi again");
        assertEquals(1, standIn.messages().size());
    }

    @Test
    void optOutsAreManagedThroughTheInspectionApi() throws Exception {
        String byPut = "+15550001111";
        String encoded = "+15550002222";
        String typedByHand = "+15550003333";

        assertEquals(204, http.send("PUT", "/_standin/opt-outs/" + byPut, null).statusCode());
        assertEquals(200, http.post("/_standin/opt-outs", null, form("number", encoded)).statusCode());
        // What `curl -d number=+1555...` sends: the plus, unencoded, reads as a space.
        assertEquals(200, http.post("/_standin/opt-outs", null, "number=" + typedByHand).statusCode());

        HttpResponse<String> list = http.send("GET", "/_standin/opt-outs", null);
        assertEquals(List.of(byPut, encoded, typedByHand), MiniJson.array(list.body()));
        assertTwilioError(send("To", typedByHand, "From", BUSINESS, "Body", "hi"), 400, 21610, null);
        assertTrue(standIn.optedOut().contains(encoded));

        assertEquals(400, http.post("/_standin/opt-outs", null, "").statusCode());
        assertEquals(204, http.send("DELETE", "/_standin/opt-outs", null).statusCode());
        assertEquals(List.of(), MiniJson.array(http.send("GET", "/_standin/opt-outs", null).body()));
    }

    @Test
    void failedCallbacksAreRetriedWithBackoffAndKeepTheirOrder() throws Exception {
        String path = "/status/flaky";
        receiver.script(path, 500, 503);

        String sid = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "hi", "StatusCallback", receiver.url() + path);

        SentMessage settled = standIn.awaitSettled(sid, WAIT);
        List<Received> received = receiver.all(path);
        assertEquals(List.of("sent", "sent", "sent", "delivered"),
                received.stream().map(c -> c.params().get("MessageStatus")).toList());
        // A retry is the same callback again; the next status is a new one.
        assertEquals(1,
                received.subList(0, 3).stream().map(c -> c.header("I-Twilio-Idempotency-Token")).distinct().count());
        assertNotEquals(received.get(0).header("I-Twilio-Idempotency-Token"),
                received.get(3).header("I-Twilio-Idempotency-Token"));
        List<CallbackAttempt> attempts = settled.callbacks();
        assertEquals(List.of(500, 503, 200, 200), attempts.stream().map(CallbackAttempt::httpStatus).toList());
        assertEquals(List.of(1, 2, 3, 1), attempts.stream().map(CallbackAttempt::attempt).toList());
        assertEquals("HTTP 500", attempts.get(0).error());
        // Backoff of 20 ms, doubling; a scheduler never fires early, so these bounds cannot flake.
        assertTrue(Duration.between(attempts.get(0).at(), attempts.get(1).at()).toMillis() >= 20);
        assertTrue(Duration.between(attempts.get(1).at(), attempts.get(2).at()).toMillis() >= 40);
        assertEquals("delivered", settled.status());
    }

    @Test
    void anUnreachableCallbackIsRecordedAndTheMessageMovesOn() throws Exception {
        String nobodyListens = "http://127.0.0.1:" + ChildJvm.freePort() + "/status";

        String sid = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "hi", "StatusCallback", nobodyListens);

        SentMessage settled = standIn.awaitSettled(sid, WAIT);
        assertEquals("delivered", settled.status());
        assertEquals(6, settled.callbacks().size(), settled.callbacks().toString());
        assertTrue(settled.callbacks().stream().allMatch(a -> a.httpStatus() == 0 && !a.succeeded()));
    }

    @Test
    void mediaNeedsCredentialsThenRedirectsToASignedUrlThatNeedsNone() throws Exception {
        assertTwilioError(http.send("GET", "/media/sample.png", null), 401, 20003, null);
        assertTwilioError(http.send("GET", "/media/sample.png", TestHttp.basic(ACCOUNT, "wrong")), 401, 20003, null);

        HttpResponse<String> redirect = http.send("GET", "/media/sample.png", AUTH);
        assertEquals(307, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/media-content/sample.png?expires="), location);

        HttpResponse<byte[]> content = http.getBytes(location, null);
        assertEquals(200, content.statusCode());
        assertEquals("image/png", content.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(content.body()));
        assertEquals(96, image.getWidth());

        assertEquals(403, http.getBytes(location + "x", null).statusCode());
        assertEquals(403, http.getBytes("/media-content/sample.png", null).statusCode());
        assertEquals(403, http.getBytes(location.replace("sample.png", "sample.jpg"), null).statusCode());
        assertTwilioError(http.send("GET", "/media/missing.png", AUTH), 404, 20404, null);
    }

    @Test
    void mediaIsAlsoServedAtTwilioShapedUrlsByItsSid() throws Exception {
        List<Object> media = MiniJson.array(http.send("GET", "/_standin/media", null).body());
        @SuppressWarnings("unchecked")
        Map<String, Object> jpeg = media.stream().map(m -> (Map<String, Object>) m)
                .filter(m -> m.get("name").equals("sample.jpg")).findFirst().orElseThrow();
        assertTrue(((String) jpeg.get("sid")).matches("ME[0-9a-f]{32}"));
        String path = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages/MM" + "0".repeat(32) + "/Media/" + jpeg.get("sid");

        assertTwilioError(http.send("GET", path, null), 401, 20003, null);
        HttpResponse<String> redirect = http.send("GET", path, AUTH);
        assertEquals(307, redirect.statusCode());
        HttpResponse<byte[]> content = http.getBytes(redirect.headers().firstValue("Location").orElseThrow(), null);
        assertEquals("image/jpeg", content.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(jpeg.get("size"), (long) content.body().length);
    }

    @Test
    void addedMediaIsServedWithItsContentType() throws Exception {
        byte[] note = "a note ✓".getBytes(StandardCharsets.UTF_8);
        String url = standIn.addMedia("note.txt", "text/plain; charset=utf-8", note);
        assertEquals(standIn.url() + "/media/note.txt", url);
        byte[] card = "BEGIN:VCARD\nEND:VCARD\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = http.put("/_standin/media/card.vcf", "text/vcard", card);
        assertEquals(201, put.statusCode(), put.body());

        for (var expected : List.of(Map.entry("note.txt", note), Map.entry("card.vcf", card))) {
            HttpResponse<String> redirect = http.send("GET", "/media/" + expected.getKey(), AUTH);
            HttpResponse<byte[]> content = http.getBytes(redirect.headers().firstValue("Location").orElseThrow(), null);
            assertArrayEquals(expected.getValue(), content.body());
        }
        assertEquals("text/vcard",
                http.getBytes(http.send("GET", "/media/card.vcf", AUTH).headers().firstValue("Location").orElseThrow(),
                        null).headers().firstValue("Content-Type").orElseThrow());
        assertEquals(400, http.put("/_standin/media/bad%20name", "text/plain", card).statusCode());
        assertThrows(IllegalArgumentException.class, () -> standIn.addMedia("../escape", "text/plain", note));
    }

    @Test
    void theInspectionApiListsFiltersAndClearsWhatWasSent() throws Exception {
        String tricky = "quote \" backslash \\ newline \n tab \t <b>&amp; emoji 😀 ünï \u2028 \u0001";
        String first = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "first");
        String second = sendOk("To", OTHER_CUSTOMER, "From", BUSINESS, "Body", "second");
        String third = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", tricky);

        List<Object> all = MiniJson.array(http.send("GET", "/_standin/messages", null).body());
        assertEquals(List.of(first, second, third), all.stream().map(m -> ((Map<?, ?>) m).get("sid")).toList());
        Map<?, ?> last = (Map<?, ?>) all.get(2);
        assertEquals(tricky, last.get("body"));
        assertEquals(CUSTOMER, last.get("to"));
        assertTrue(last.containsKey("statusHistory") && last.containsKey("callbacks"));

        for (String query : List.of("?to=" + CUSTOMER, "?to=%2B15551234567")) {
            List<Object> toCustomer = MiniJson.array(http.send("GET", "/_standin/messages" + query, null).body());
            assertEquals(List.of(first, third), toCustomer.stream().map(m -> ((Map<?, ?>) m).get("sid")).toList());
        }
        assertEquals(List.of(first, third), standIn.messagesTo(CUSTOMER).stream().map(SentMessage::sid).toList());
        Map<String, Object> one = MiniJson.object(http.send("GET", "/_standin/messages/" + second, null).body());
        assertEquals("second", one.get("body"));
        HttpResponse<String> missing = http.send("GET", "/_standin/messages/SM404", null);
        assertEquals(404, missing.statusCode());
        assertEquals(404L, MiniJson.object(missing.body()).get("status"));

        assertEquals(204, http.send("DELETE", "/_standin/messages", null).statusCode());
        assertEquals(List.of(), MiniJson.array(http.send("GET", "/_standin/messages", null).body()));
        assertEquals(List.of(), standIn.messages());
    }

    @Test
    void fetchingAMessageShowsItsCurrentStatus() throws Exception {
        String sid = sendOk("To", CUSTOMER, "From", BUSINESS, "Body", "hi");
        standIn.awaitSettled(sid, WAIT);
        String path = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + sid + ".json";

        HttpResponse<String> fetched = http.send("GET", path, AUTH);

        assertEquals(200, fetched.statusCode(), fetched.body());
        Map<String, Object> json = MiniJson.object(fetched.body());
        assertEquals("delivered", json.get("status"));
        assertNotNull(sdkDate(json.get("date_sent")), String.valueOf(json.get("date_sent")));
        assertTwilioError(http.send("GET", path, null), 401, 20003, null);
        assertTwilioError(http.send("GET", path.replace(sid, "SM" + "0".repeat(32)), AUTH), 404, 20404, null);
        assertTwilioError(http.send("GET", MESSAGES, AUTH), 405, 20004, null);
    }

    @Test
    void concurrentSendsAreAllRecordedAndSettle() throws Exception {
        List<CompletableFuture<String>> sends = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return sendOk("To", "+1555000" + String.format("%04d", i), "From", BUSINESS, "Body",
                                "message " + i);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).toList();
        List<String> sids = sends.stream().map(CompletableFuture::join).toList();

        assertEquals(20, Set.copyOf(sids).size());
        for (String sid : sids) {
            assertEquals("delivered", standIn.awaitSettled(sid, WAIT).status());
        }
    }

    @Test
    void awaitingWhatNeverComesFailsTheTest() {
        assertThrows(AssertionError.class, () -> standIn.awaitMessages(1, Duration.ofMillis(50)));
    }

    @Test
    void configuredNumbersApplyAndCloseStopsEverything() throws Exception {
        TwilioStandIn other = TwilioStandIn
                .start(TwilioStandIn.Config.forTests().withFailingNumbers(Set.of("+15550009999"))
                        .withOptedOutNumbers(Set.of(CUSTOMER)).withStatusDelay(Duration.ofSeconds(30)));
        int port = other.port();
        String threads = "twilio-standin-" + port + "-";
        TestHttp otherHttp = new TestHttp(other.url());
        String auth = TestHttp.basic(TwilioStandIn.DEFAULT_ACCOUNT_SID, TwilioStandIn.DEFAULT_AUTH_TOKEN);
        assertTrue(other.failing().contains("+15550009999"));
        HttpResponse<String> refused = otherHttp.post(MESSAGES, auth,
                form("To", CUSTOMER, "From", BUSINESS, "Body", "hi"));
        assertTwilioError(refused, 400, 21610, null);
        // One message left mid-way, its next status 30 s off: close must not wait for it.
        assertEquals(201, otherHttp.post(MESSAGES, auth, form("To", OTHER_CUSTOMER, "From", BUSINESS, "Body", "hi"))
                .statusCode());
        assertTrue(threadsNamed(threads) > 0);

        long start = System.nanoTime();
        other.close();
        other.close();

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
        // A pool reports itself terminated a moment before its last thread has quite finished.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (threadsNamed(threads) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, threadsNamed(threads), "threads left: " + Thread.getAllStackTraces().keySet());
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }
}
