package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.local.CallbackReceiver.Received;

/**
 * The dev phone against a receiver that checks what a switchboard checks: the webhook's parameters and its
 * {@code X-Twilio-Signature} over the URL rebuilt from the request.
 */
class DevPhoneTest {

    private static final String ACCOUNT = TwilioStandIn.DEFAULT_ACCOUNT_SID;
    private static final String TOKEN = "phone-test-token-91ab";
    private static final String BUSINESS = "+15550000000";
    private static final String WEBHOOK = "/twilio/messages";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Logger STAND_IN_LOG = Logger.getLogger(TwilioStandIn.class.getName());

    private static CallbackReceiver switchboard;
    private static TwilioStandIn standIn;
    private static TestHttp http;
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static int customers = 0;

    @BeforeAll
    static void start() throws IOException {
        STAND_IN_LOG.setLevel(Level.WARNING);
        switchboard = new CallbackReceiver();
        standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests().withCredentials(ACCOUNT, TOKEN)
                .withPhone(TwilioStandIn.Phone.defaults().withWebhookUrl(switchboard.url() + WEBHOOK)));
        http = new TestHttp(standIn.url());
    }

    @AfterAll
    static void stop() {
        standIn.close();
        switchboard.close();
    }

    /** A customer number of its own for each test, so threads never mix. */
    private static synchronized String newCustomer() {
        return "+1555123" + String.format("%04d", ++customers);
    }

    private static HttpResponse<String> post(TwilioStandIn target, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(WAIT)
                        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sendJson(String json) throws IOException, InterruptedException {
        return post(standIn, "/_standin/phone/send", "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A browser's multipart form: text fields, then one file field {@code media} when a file is given. */
    private static HttpResponse<String> sendMultipart(TwilioStandIn target, Map<String, String> fields, String filename,
            String contentType, byte[] file) throws IOException, InterruptedException {
        String boundary = "----DevPhoneTest" + Long.toHexString(new Random().nextLong());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> out.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\""
                    + filename + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return post(target, "/_standin/phone/send", "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private static Received lastWebhookFrom(String customer) throws InterruptedException {
        List<Received> all = switchboard.all(WEBHOOK).stream().filter(r -> customer.equals(r.params().get("From")))
                .toList();
        assertFalse(all.isEmpty(), "no webhook from " + customer);
        return all.get(all.size() - 1);
    }

    /** Checks the signature as the switchboard does: over the URL it was called at, rebuilt from {@code Host}. */
    private static void assertSignedByTwilio(Received webhook) {
        String url = "http://" + webhook.header("Host") + webhook.path();
        assertEquals(TwilioSignature.sign(TOKEN, url, webhook.params()), webhook.header("X-Twilio-Signature"));
        assertNotEquals(TwilioSignature.sign("another-token", url, webhook.params()),
                webhook.header("X-Twilio-Signature"));
    }

    private static Map<String, Object> thread(String number) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send("GET",
                "/_standin/phone/thread?number=" + URLEncoder.encode(number, StandardCharsets.UTF_8), null);
        assertEquals(200, response.statusCode(), response.body());
        return MiniJson.object(response.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> thread) {
        return (List<Map<String, Object>>) (List<?>) thread.get("messages");
    }

    @Test
    void aTextIsPostedAsTwilioPostsAnInboundMessageSignedWithTheAuthToken() throws Exception {
        String customer = newCustomer();

        HttpResponse<String> response = sendJson(
                "{\"from\": \"" + customer + "\", \"body\": \"Hello, is my order in?\"}");

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> sent = MiniJson.object(response.body());
        String sid = (String) sent.get("messageSid");
        assertTrue(sid.matches("SM[0-9a-f]{32}"), sid);
        assertEquals(200L, sent.get("switchboardStatus"));
        Received webhook = lastWebhookFrom(customer);
        assertSignedByTwilio(webhook);
        Map<String, String> params = webhook.params();
        assertEquals(sid, params.get("MessageSid"));
        assertEquals(sid, params.get("SmsSid"));
        assertEquals(ACCOUNT, params.get("AccountSid"));
        assertEquals(customer, params.get("From"));
        assertEquals(BUSINESS, params.get("To"));
        assertEquals("Hello, is my order in?", params.get("Body"));
        assertEquals("0", params.get("NumMedia"));
        assertEquals("1", params.get("NumSegments"));
        assertEquals("received", params.get("SmsStatus"));
        assertEquals("2010-04-01", params.get("ApiVersion"));
        assertNull(params.get("MediaUrl0"));
        assertNull(params.get("MessagingServiceSid"));
        assertTrue(webhook.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    }

    @Test
    void anAttachedPictureIsServedAtMediaUrl0OnlyWithTheAccountsCredentials() throws Exception {
        String customer = newCustomer();
        byte[] picture = new byte[300_000];
        new Random(7).nextBytes(picture);

        HttpResponse<String> response = sendMultipart(standIn, Map.of("from", customer, "body", "This came broken"),
                "broken mug.png", "image/png", picture);

        assertEquals(200, response.statusCode(), response.body());
        String sid = (String) MiniJson.object(response.body()).get("messageSid");
        assertTrue(sid.matches("MM[0-9a-f]{32}"), "Twilio names an MMS MM...: " + sid);
        Received webhook = lastWebhookFrom(customer);
        assertSignedByTwilio(webhook);
        assertEquals("1", webhook.params().get("NumMedia"));
        assertEquals("image/png", webhook.params().get("MediaContentType0"));
        String mediaUrl = webhook.params().get("MediaUrl0");
        assertTrue(mediaUrl.startsWith(standIn.url() + "/media/"), mediaUrl);

        String path = mediaUrl.substring(standIn.url().length());
        assertEquals(401, http.getBytes(path, null).statusCode(), "media URLs want the account's credentials");
        HttpResponse<byte[]> redirect = http.getBytes(path, TestHttp.basic(ACCOUNT, TOKEN));
        assertEquals(307, redirect.statusCode());
        HttpResponse<byte[]> file = http.getBytes(redirect.headers().firstValue("Location").orElseThrow(), null);
        assertEquals(200, file.statusCode());
        assertEquals("image/png", file.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(picture, file.body());

        Map<String, Object> shown = messages(thread(customer)).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> preview = ((List<Map<String, Object>>) shown.get("media")).get(0);
        HttpResponse<byte[]> forThePage = http.getBytes((String) preview.get("url"), null);
        assertEquals(200, forThePage.statusCode());
        assertArrayEquals(picture, forThePage.body());
    }

    @Test
    void mediaAlreadyAtTheStandInCanBeNamedInJson() throws Exception {
        String customer = newCustomer();

        HttpResponse<String> response = sendJson(
                "{\"from\": \"" + customer + "\", \"body\": \"\", \"media\": [\"sample.jpg\", \"sample.png\"]}");

        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> params = lastWebhookFrom(customer).params();
        assertEquals("2", params.get("NumMedia"));
        assertEquals(standIn.mediaUrl("sample.jpg"), params.get("MediaUrl0"));
        assertEquals("image/jpeg", params.get("MediaContentType0"));
        assertEquals(standIn.mediaUrl("sample.png"), params.get("MediaUrl1"));
        assertEquals("", params.get("Body"));
    }

    @Test
    void aFormWithAnUnencodedPlusStillNamesTheNumber() throws Exception {
        String customer = newCustomer();

        HttpResponse<String> response = post(standIn, "/_standin/phone/send", "application/x-www-form-urlencoded",
                ("from=" + customer + "&body=Hi+there").getBytes(StandardCharsets.UTF_8));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Hi there", lastWebhookFrom(customer).params().get("Body"));
    }

    @Test
    void theThreadShowsTheCustomersTextsAndTheRepliesSentThroughTheMessagesApiWithTheirStatus() throws Exception {
        String customer = newCustomer();
        String someoneElse = newCustomer();
        assertEquals(200, sendJson("{\"from\": \"" + customer + "\", \"body\": \"Where is my parcel?\"}").statusCode());
        standIn.undeliverable().add(someoneElse);

        String reply = reply(customer, "It left the depot this morning.");
        reply(someoneElse, "Not for you.");
        standIn.awaitSettled(reply, WAIT);

        Map<String, Object> thread = thread(customer);
        assertEquals(customer, thread.get("number"));
        assertEquals(BUSINESS, thread.get("businessNumber"));
        List<Map<String, Object>> messages = messages(thread);
        assertEquals(2, messages.size(), messages.toString());
        assertEquals("inbound", messages.get(0).get("direction"));
        assertEquals("Where is my parcel?", messages.get(0).get("body"));
        assertEquals("received", messages.get(0).get("status"));
        assertEquals(customer, messages.get(0).get("from"));
        assertEquals("outbound", messages.get(1).get("direction"));
        assertEquals(reply, messages.get(1).get("sid"));
        assertEquals("It left the depot this morning.", messages.get(1).get("body"));
        assertEquals("delivered", messages.get(1).get("status"));
        assertEquals(BUSINESS, messages.get(1).get("from"));

        String lost = reply(someoneElse, "Are you there?");
        standIn.awaitSettled(lost, WAIT);
        Map<String, Object> failed = messages(thread(someoneElse)).stream().filter(m -> lost.equals(m.get("sid")))
                .findFirst().orElseThrow();
        assertEquals("undelivered", failed.get("status"));
        assertEquals(30003L, failed.get("errorCode"));
    }

    private static String reply(String to, String body) throws Exception {
        HttpResponse<String> response = http.post("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json",
                TestHttp.basic(ACCOUNT, TOKEN), TestHttp.form(List.of(Map.entry("From", BUSINESS), Map.entry("To", to),
                        Map.entry("Body", body), Map.entry("StatusCallback", switchboard.url() + "/twilio/status"))));
        assertEquals(201, response.statusCode(), response.body());
        return (String) MiniJson.object(response.body()).get("sid");
    }

    @Test
    void whatTheSwitchboardAnswersIsReportedAndShownInTheThread() throws Exception {
        String customer = newCustomer();
        switchboard.script(WEBHOOK, 403);

        HttpResponse<String> response = sendJson("{\"from\": \"" + customer + "\", \"body\": \"Refused\"}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(403L, MiniJson.object(response.body()).get("switchboardStatus"));
        Map<String, Object> shown = messages(thread(customer)).get(0);
        assertEquals("failed", shown.get("status"));
        assertEquals(403L, shown.get("switchboardStatus"));
    }

    @Test
    void aSwitchboardThatIsNotThereIs502AndTheTextStaysInTheThread() throws Exception {
        int closedPort = ChildJvm.freePort();
        String customer = newCustomer();
        try (TwilioStandIn lonely = TwilioStandIn.start(TwilioStandIn.Config.forTests().withPhone(
                TwilioStandIn.Phone.defaults().withWebhookUrl("http://127.0.0.1:" + closedPort + WEBHOOK)))) {
            HttpResponse<String> response = post(lonely, "/_standin/phone/send", "application/json",
                    ("{\"from\": \"" + customer + "\", \"body\": \"Anyone?\"}").getBytes(StandardCharsets.UTF_8));

            assertEquals(502, response.statusCode(), response.body());
            Map<String, Object> json = MiniJson.object(response.body());
            assertTrue(((String) json.get("messageSid")).startsWith("SM"));
            assertEquals(0L, json.get("switchboardStatus"));
            assertTrue(((String) json.get("reason")).contains(String.valueOf(closedPort)), json.toString());
            HttpResponse<String> thread = new TestHttp(lonely.url()).send("GET",
                    "/_standin/phone/thread?number=" + customer, null);
            assertTrue(thread.body().contains("\"status\":\"failed\""), thread.body());
        }
    }

    @Test
    void badInputIsRefusedWithAReasonAndNothingIsPosted() throws Exception {
        String customer = newCustomer();
        Map<String, String> cases = Map.of( //
                "{\"body\": \"no sender\"}", "from is missing", //
                "{\"from\": \"5551234567\", \"body\": \"x\"}", "E.164", //
                "{\"from\": \"" + customer + "\", \"to\": \"business\", \"body\": \"x\"}", "to is not", //
                "{\"from\": \"" + customer + "\", \"body\": \"\"}", "give a body, media, or both", //
                "{\"from\": \"" + customer + "\", \"body\": \"" + "a".repeat(1601) + "\"}", "1601 characters", //
                "{\"from\": \"" + customer + "\", \"body\": \"x\", \"media\": [\"nope.png\"]}", "no media named", //
                "{\"from\": \"" + customer + "\", \"body\": 5}", "body must be a string", //
                "{\"from\": \"" + customer + "\", ", "malformed JSON", //
                "[]", "JSON object");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> response = sendJson(bad.getKey());
            assertEquals(400, response.statusCode(), bad.getKey() + " -> " + response.body());
            Map<String, Object> json = MiniJson.object(response.body());
            assertEquals(400L, json.get("status"));
            assertTrue(((String) json.get("reason")).contains(bad.getValue()), bad.getKey() + " -> " + json);
        }
        HttpResponse<String> plainText = post(standIn, "/_standin/phone/send", "text/plain",
                "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, plainText.statusCode());
        assertEquals(400, http.send("GET", "/_standin/phone/thread?number=5551234567", null).statusCode());
        assertEquals(400, http.send("GET", "/_standin/phone/thread", null).statusCode());
        assertEquals(405, http.send("GET", "/_standin/phone/send", null).statusCode());

        assertTrue(switchboard.all(WEBHOOK).stream().noneMatch(r -> customer.equals(r.params().get("From"))));
        assertTrue(messages(thread(customer)).isEmpty());
    }

    @Test
    void attachmentsOverTheCapAre413WithTheSettingNamed() throws Exception {
        String customer = newCustomer();
        try (TwilioStandIn small = TwilioStandIn.start(TwilioStandIn.Config.forTests().withPhone(
                TwilioStandIn.Phone.defaults().withWebhookUrl(switchboard.url() + WEBHOOK).withMaxUploadBytes(1000)))) {
            HttpResponse<String> atTheCap = sendMultipart(small, Map.of("from", customer), "a.png", "image/png",
                    new byte[1000]);
            assertEquals(200, atTheCap.statusCode(), atTheCap.body());

            HttpResponse<String> over = sendMultipart(small, Map.of("from", customer), "b.png", "image/png",
                    new byte[1001]);
            assertEquals(413, over.statusCode(), over.body());
            assertTrue(over.body().contains("TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES"), over.body());

            HttpResponse<String> wayOver = sendMultipart(small, Map.of("from", customer), "c.png", "image/png",
                    new byte[200_000]);
            assertEquals(413, wayOver.statusCode(), wayOver.body());
            assertTrue(wayOver.body().contains("TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES"), wayOver.body());
        }
        assertEquals(1, switchboard.all(WEBHOOK).stream().filter(r -> customer.equals(r.params().get("From"))).count());
    }

    @Test
    void thePageCarriesTheLabelledControlsBrowserTestsDrive() throws Exception {
        HttpResponse<String> page = http.send("GET", "/phone", null);

        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String html = page.body();
        for (String testId : List.of("phone-number", "phone-body", "phone-media", "phone-send", "phone-thread")) {
            assertTrue(html.contains("data-testid=\"" + testId + "\""), testId);
        }
        // Every control has a label pointing at it.
        Matcher controls = Pattern.compile("<(input|textarea)[^>]*\\bid=\"([^\"]+)\"").matcher(html);
        int count = 0;
        while (controls.find()) {
            count++;
            assertTrue(html.contains("<label for=\"" + controls.group(2) + "\""), controls.group(2));
        }
        assertEquals(3, count);
        HttpResponse<String> script = http.send("GET", "/phone/phone.js", null);
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("data-direction") || script.body().contains("dataset.direction"));
        assertTrue(script.body().contains("/_standin/phone/thread"));
        assertEquals(200, http.send("GET", "/phone/phone.css", null).statusCode());
        assertEquals(404, http.send("GET", "/phone/nothing.js", null).statusCode());

        Map<String, Object> settings = MiniJson.object(http.send("GET", "/_standin/phone", null).body());
        assertEquals(BUSINESS, settings.get("businessNumber"));
        assertEquals((long) MediaLibrary.MAX_BYTES, settings.get("maxUploadBytes"));
    }
}
