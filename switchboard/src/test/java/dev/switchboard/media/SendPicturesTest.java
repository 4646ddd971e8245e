package dev.switchboard.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/**
 * Agents send pictures: {@code POST /media} takes JPEG, PNG and GIF only (declared and by their bytes), up to its cap,
 * from a signed-in agent, and stores nothing on a refusal; a {@code response} carrying mediaIds reaches Twilio (the
 * stand-in) with MediaUrls that fetch the very bytes uploaded, and a bad mediaId sends nothing.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class SendPicturesTest {

    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(30);

    static final byte[] PNG_MAGIC = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    static final byte[] JPEG_MAGIC = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0 };
    static final byte[] GIF_MAGIC = { 'G', 'I', 'F', '8', '9', 'a' };

    @Inject
    S3Client s3;

    @Inject
    MediaConfig media;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig history;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, history);
    }

    @Test
    void anAgentUploadsAPictureAndGetsItsMediaId() {
        String ann = Agents.create("ann");
        String token = Auth.token(ann, Auth.PASSWORD);
        byte[] png = picture(PNG_MAGIC, 3_000, 1);
        JsonPath uploaded = upload(token, "image/png", png).then().statusCode(201).extract().jsonPath();
        String id = uploaded.getString("mediaId");
        assertTrue(id.matches("M[0-9a-f]{32}"), id);
        assertEquals("image/png", uploaded.getString("contentType"));
        assertEquals(png.length, uploaded.getLong("size"));

        HeadObjectResponse stored = s3.headObject(b -> b.bucket(media.bucket()).key("media/uploads/" + id));
        assertEquals("image/png", stored.contentType());
        assertEquals(png.length, stored.contentLength());
        assertEquals(ann, stored.metadata().get("uploaded-by"));

        // JPEG and GIF too, a parameter on the type changes nothing; an admin may upload as well.
        upload(token, "image/jpeg", picture(JPEG_MAGIC, 500, 2)).then().statusCode(201);
        upload(token, "image/gif; charset=binary", picture(GIF_MAGIC, 500, 3)).then().statusCode(201);
        upload(Auth.adminToken(), "image/png", picture(PNG_MAGIC, 100, 4)).then().statusCode(201);
    }

    @Test
    void anythingButJpegPngOrGifIs415AndNothingIsStored() {
        String token = Auth.token(Agents.create("ann"), Auth.PASSWORD);
        int before = uploads();
        upload(token, "text/plain", "hello".getBytes()).then().statusCode(415).body("status", equalTo(415))
                .body("reason", containsString("image/jpeg, image/png or image/gif"));
        upload(token, "image/webp", picture(new byte[] { 'R', 'I', 'F', 'F' }, 200, 5)).then().statusCode(415);
        upload(token, "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes()).then().statusCode(415);
        // The header says PNG, the bytes are a JPEG, a script, or a GIF: the magic number decides.
        upload(token, "image/png", picture(JPEG_MAGIC, 800, 6)).then().statusCode(415).body("reason",
                containsString("not a image/png"));
        upload(token, "image/png", "<script>alert(1)</script>".getBytes()).then().statusCode(415);
        upload(token, "image/jpeg", picture(GIF_MAGIC, 300, 7)).then().statusCode(415);
        upload(token, "image/gif", picture(new byte[] { 'G', 'I', 'F', '8', '8', 'a' }, 300, 7)).then().statusCode(415);
        given().auth().oauth2(token).body(picture(PNG_MAGIC, 300, 8)).post("/media").then().statusCode(415);
        assertEquals(before, uploads());
        // Positive control: the count does see an upload.
        upload(token, "image/png", picture(PNG_MAGIC, 300, 8)).then().statusCode(201);
        assertEquals(before + 1, uploads());
    }

    @Test
    void aPictureOverTheCapIs413DeclaredOrChunkedAndNothingIsStored() throws Exception {
        String token = Auth.token(Agents.create("ann"), Auth.PASSWORD);
        int max = (int) media.maxUploadBytes();
        byte[] over = picture(PNG_MAGIC, max + 1, 9);
        int before = uploads();
        upload(token, "image/png", over).then().statusCode(413).body("status", equalTo(413)).body("reason",
                containsString("switchboard.media.max-upload-bytes"));
        // Chunked: no Content-Length, so the cap is found while reading.
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(LocalServersResource.appUrl() + "/media"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over))).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("switchboard.media.max-upload-bytes"), chunked.body());
        assertEquals(before, uploads());
        // Exactly at the cap is taken.
        upload(token, "image/png", picture(PNG_MAGIC, max, 10)).then().statusCode(201);
        assertEquals(before + 1, uploads());
    }

    @Test
    void uploadingNeedsAValidToken() {
        int before = uploads();
        given().contentType("image/png").body(picture(PNG_MAGIC, 100, 11)).post("/media").then().statusCode(401)
                .body("status", equalTo(401));
        upload("not-a-token", "image/png", picture(PNG_MAGIC, 100, 11)).then().statusCode(401).body("status",
                equalTo(401));
        assertEquals(before, uploads());
    }

    @Test
    void aReplyWithPicturesReachesTwilioWithUrlsThatFetchTheSameBytes() throws Exception {
        String ann = Agents.create("ann");
        String token = Auth.token(ann, Auth.PASSWORD);
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        byte[] png = picture(PNG_MAGIC, 20_000, 12);
        byte[] jpeg = picture(JPEG_MAGIC, 30_000, 13);
        String pngId = upload(token, "image/png", png).then().statusCode(201).extract().path("mediaId");
        String jpegId = upload(token, "image/jpeg", jpeg).then().statusCode(201).extract().path("mediaId");
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "what does the label look like?")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            a.send(Map.of("type", "response", "conversation", conversation, "body", "Like these two", "clientId",
                    "pics-1", "media", List.of(pngId, jpegId)));
            Map<String, Object> update = a.await("update", f -> "Like these two".equals(message(f).get("body")), SOON);
            List<?> shown = (List<?>) message(update).get("media");
            assertEquals(2, shown.size());
            assertEquals("stored", ((Map<?, ?>) shown.get(0)).get("state"));
            assertEquals("image/png", ((Map<?, ?>) shown.get(0)).get("contentType"));
            // The agent's timeline gets presigned links as for a customer's MMS.
            assertArrayEquals(png, download((String) ((Map<?, ?>) shown.get(0)).get("url")));

            JsonPath sent = awaitSent(customer, 1);
            assertEquals("Like these two", sent.getString("[0].body"));
            List<String> urls = sent.getList("[0].mediaUrls", String.class);
            assertEquals(2, urls.size());
            // What Twilio fetches is the very bytes uploaded, without credentials.
            assertArrayEquals(png, download(urls.get(0)));
            assertArrayEquals(jpeg, download(urls.get(1)));
            // Presigned for switchboard.media.twilio-url-ttl (12 h), beyond Twilio's 10 h queue.
            assertTrue(urls.get(0).contains("X-Amz-Expires=43200"), urls.get(0));

            // A picture alone, with no text, is an MMS too.
            String gifId = upload(token, "image/gif", picture(GIF_MAGIC, 400, 14)).then().statusCode(201).extract()
                    .path("mediaId");
            a.send(Map.of("type", "response", "conversation", conversation, "body", "", "media", List.of(gifId)));
            JsonPath both = awaitSent(customer, 2);
            assertEquals("", both.getString("[1].body"));
            assertEquals(1, both.getList("[1].mediaUrls").size());

            var stored = History.messages(customer).getList("messages", Map.class);
            Map<?, ?> reply = stored.stream().filter(m -> "Like these two".equals(m.get("body"))).findFirst()
                    .orElseThrow();
            assertEquals(List.of("image/png", "image/jpeg"),
                    ((List<?>) reply.get("media")).stream().map(m -> ((Map<?, ?>) m).get("contentType")).toList());
        }
    }

    @Test
    void startSendsAPictureAsTheFirstText() throws Exception {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        byte[] jpeg = picture(JPEG_MAGIC, 5_000, 17);
        String id = upload(Auth.token(ann, Auth.PASSWORD), "image/jpeg", jpeg).then().statusCode(201).extract()
                .path("mediaId");
        try (AgentClient a = Agents.connect(ann)) {
            a.await("presence", SOON);
            a.send(Map.of("type", "start", "customer", customer, "media", List.of(id)));
            a.await("assigned", f -> customer.equals(f.get("customer")), SOON);
            JsonPath sent = awaitSent(customer, 1);
            assertEquals("", sent.getString("[0].body"));
            assertArrayEquals(jpeg, download(sent.getList("[0].mediaUrls", String.class).get(0)));
            assertEquals("[1 attachment]",
                    History.awaitConversation(customer, "assigned", 1).getString("lastMessagePreview"));
        }
    }

    @Test
    void anUnknownForeignOrExcessivePictureIsRefusedAndNothingIsSent() {
        String ann = Agents.create("ann");
        String bob = Agents.create("bob");
        String customer = Webhooks.newCustomer();
        String conversation = Webhooks.BUSINESS + "#" + customer;
        String bobsId = upload(Auth.token(bob, Auth.PASSWORD), "image/png", picture(PNG_MAGIC, 200, 15)).then()
                .statusCode(201).extract().path("mediaId");
        String annsToken = Auth.token(ann, Auth.PASSWORD);
        String annsId = upload(annsToken, "image/png", picture(PNG_MAGIC, 200, 16)).then().statusCode(201).extract()
                .path("mediaId");
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "send me a photo")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            a.send(Map.of("type", "response", "conversation", conversation, "body", "unknown", "media",
                    List.of("M" + "0".repeat(32))));
            assertTrue(((String) a.await("error", f -> "bad_media".equals(f.get("code")), SOON).get("reason"))
                    .contains("POST /media"));
            a.send(Map.of("type", "response", "conversation", conversation, "body", "not a media id", "media",
                    List.of("../../etc/passwd")));
            a.send(Map.of("type", "response", "conversation", conversation, "body", "bob's", "media", List.of(bobsId)));
            a.send(Map.of("type", "response", "conversation", conversation, "body", "twice", "media",
                    List.of(annsId, annsId)));
            List<String> eleven = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                eleven.add("M" + String.format("%032x", i));
            }
            a.send(Map.of("type", "response", "conversation", conversation, "body", "too many", "media", eleven));
            a.send(Map.of("type", "start", "customer", Webhooks.newCustomer(), "body", "started", "media",
                    List.of(bobsId)));
            Awaitility.await().atMost(SOON).until(
                    () -> a.frames("error").stream().filter(f -> "bad_media".equals(f.get("code"))).count() == 6);
            assertTrue(a.frames("error").stream().anyMatch(f -> ((String) f.get("reason")).contains("at most 10")));

            // Positive control: ann's own picture goes, and it is the only thing that reached Twilio.
            a.send(Map.of("type", "response", "conversation", conversation, "body", "this one", "media",
                    List.of(annsId)));
            JsonPath sent = awaitSent(customer, 1);
            assertEquals(List.of("this one"), sent.getList("body", String.class));
            var bodies = History.messages(customer).getList("messages.body", String.class);
            assertEquals(List.of("this one", "send me a photo"), bodies);
            assertEquals(1, a.frames("assigned").size());
        }
    }

    // ---- helpers ----

    private static io.restassured.response.Response upload(String token, String type, byte[] bytes) {
        return given().auth().oauth2(token).contentType(type).body(bytes).post("/media");
    }

    /** {@code size} bytes starting with {@code magic}, the rest random (reproducibly). */
    static byte[] picture(byte[] magic, int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        System.arraycopy(magic, 0, bytes, 0, Math.min(magic.length, size));
        return bytes;
    }

    private int uploads() {
        return s3.listObjectsV2Paginator(b -> b.bucket(media.bucket()).prefix("media/uploads/")).contents().stream()
                .mapToInt(o -> 1).sum();
    }

    private static JsonPath awaitSent(String customer, int count) {
        return Awaitility.await().atMost(SOON).until(
                () -> RestAssured.given().baseUri(LocalServersResource.standIn().url()).queryParam("to", customer)
                        .get("/_standin/messages").then().statusCode(200).extract().jsonPath(),
                sent -> sent.getList("$").size() >= count);
    }

    private static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> message(Map<String, Object> frame) {
        return (Map<String, Object>) frame.get("message");
    }
}
