package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.MediaServer;
import dev.switchboard.testing.Webhooks;

@QuarkusTest
@WithTestResource(LocalServersResource.class)
class MmsMediaTest {

    private static final byte[] PNG = bytes(2_000, 1);
    private static final byte[] JPEG = bytes(40_000, 2);
    private static MediaServer server;

    @Inject
    S3Client s3;

    @Inject
    MediaConfig config;

    @BeforeAll
    static void serveMedia() throws IOException {
        server = new MediaServer().add("cat.png", new MediaServer.File("image/png", PNG, false))
                .add("dog.jpg", new MediaServer.File("image/jpeg", JPEG, true))
                .add("huge.bin", new MediaServer.File("video/mp4", bytes(6 * 1024 * 1024, 3), false))
                .add("huge-chunked.bin", new MediaServer.File("video/mp4", bytes(6 * 1024 * 1024, 4), true))
                .add("three-a.jpg", new MediaServer.File("image/jpeg", bytes(3 * 1024 * 1024, 5), false))
                .add("three-b.jpg", new MediaServer.File("image/jpeg", bytes(3 * 1024 * 1024, 6), false));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void twoImagesLandInS3WithTheirContentTypesAndAreLinkedFromTheMessage() throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> mms = mms(customer, "look at these", "/media/cat.png", "/media/dog.jpg");
        Webhooks.post(mms).then().statusCode(200);

        JsonPath message = awaitMediaSettled(customer);
        assertEquals("look at these", message.getString("body"));
        assertEquals(List.of("stored", "stored"), message.getList("media.state"));
        assertEquals(List.of("image/png", "image/jpeg"), message.getList("media.contentType"));

        String business = Webhooks.BUSINESS.substring(1);
        String prefix = "media/" + business + "/" + customer.substring(1) + "/" + mms.get("MessageSid") + "/";
        HeadObjectResponse png = s3.headObject(b -> b.bucket(config.bucket()).key(prefix + "0"));
        HeadObjectResponse jpeg = s3.headObject(b -> b.bucket(config.bucket()).key(prefix + "1"));
        assertEquals("image/png", png.contentType());
        assertEquals("image/jpeg", jpeg.contentType());
        assertEquals(PNG.length, png.contentLength());
        assertEquals(JPEG.length, jpeg.contentLength());

        // Agents load media through the presigned links, without AWS credentials.
        assertArrayEquals(PNG, download(message.getString("media[0].url")));
        assertArrayEquals(JPEG, download(message.getString("media[1].url")));
        assertTrue(server.credentialsSeenByStorage().isEmpty(),
                "credentials followed a redirect: " + server.credentialsSeenByStorage());
    }

    @Test
    void fileOverThePerFileCapIsRecordedAsRejected() {
        String customer = Webhooks.newCustomer();
        Webhooks.post(mms(customer, "", "/media/huge.bin", "/media/huge-chunked.bin", "/media/cat.png")).then()
                .statusCode(200);

        JsonPath message = awaitMediaSettled(customer);
        assertEquals(List.of("rejected", "rejected", "stored"), message.getList("media.state"));
        assertTrue(message.getString("media[0].reason").contains("switchboard.media.max-file-bytes"));
        assertTrue(message.getString("media[1].reason").contains("switchboard.media.max-file-bytes"));
        assertNull(message.getString("media[0].url"));
    }

    @Test
    void totalOverFiveMegabytesRejectsTheFileThatCrossesIt() {
        String customer = Webhooks.newCustomer();
        Webhooks.post(mms(customer, "two big ones", "/media/three-a.jpg", "/media/three-b.jpg")).then().statusCode(200);

        JsonPath message = awaitMediaSettled(customer);
        assertEquals(List.of("stored", "rejected"), message.getList("media.state"));
        assertTrue(message.getString("media[1].reason").contains("switchboard.media.max-total-bytes"));
    }

    @Test
    void unreachableMediaIsRetriedThenRecordedAsFailed() {
        String customer = Webhooks.newCustomer();
        Webhooks.post(mms(customer, "broken", "/broken/file.png")).then().statusCode(200);

        JsonPath message = awaitMediaSettled(customer);
        assertEquals("failed", message.getString("media[0].state"));
        assertTrue(message.getString("media[0].reason").contains("HTTP 500"), message.getString("media[0].reason"));
        assertEquals(5, server.hits("/broken/file.png"), "one attempt and four retries");
    }

    @Test
    void mediaFromAHostNotAllowedIsNeverFetched() {
        String customer = Webhooks.newCustomer();
        Map<String, String> mms = Webhooks.sms(customer, "elsewhere");
        mms.put("NumMedia", "1");
        mms.put("MediaUrl0", "http://media.example.net/file.png");
        mms.put("MediaContentType0", "image/png");
        Webhooks.post(mms).then().statusCode(200);

        JsonPath message = awaitMediaSettled(customer);
        assertEquals("rejected", message.getString("media[0].state"));
        assertTrue(message.getString("media[0].reason").contains("switchboard.media.allowed-hosts"));
    }

    @Test
    void mediaOnAnotherPortOfAnAllowedHostIsNeverFetched() throws IOException {
        try (MediaServer other = new MediaServer(ChildJvm.freePort())) {
            other.add("cat.png", new MediaServer.File("image/png", PNG, false));
            String customer = Webhooks.newCustomer();
            Map<String, String> mms = mms(customer, "two hosts", "/media/cat.png");
            mms.put("NumMedia", "2");
            mms.put("MediaUrl1", other.url("/media/cat.png"));
            Webhooks.post(mms).then().statusCode(200);

            JsonPath message = awaitMediaSettled(customer);
            // The allowed host:port is fetched (positive control); the same host on another port is not.
            assertEquals(List.of("stored", "rejected"), message.getList("media.state"));
            String port = other.url("").substring("http://127.0.0.1:".length());
            assertTrue(message.getString("media[1].reason").contains("127.0.0.1:" + port + " is not allowed"),
                    message.getString("media[1].reason"));
            assertEquals(0, other.hits("/media/cat.png"), "the other port saw a request");
        }
    }

    @Test
    void redirectToAnInternalAddressIsRefused() throws IOException {
        try (MediaServer internal = new MediaServer(ChildJvm.freePort())) {
            internal.add("secret.txt", new MediaServer.File("text/plain", PNG, false));
            String target = internal.url("/storage/secret.txt").replace("127.0.0.1", "localhost");
            String customer = Webhooks.newCustomer();
            Webhooks.post(mms(customer, "", "/redirect/x?to=" + URLEncoder.encode(target, StandardCharsets.UTF_8)))
                    .then().statusCode(200);

            JsonPath message = awaitMediaSettled(customer);
            assertEquals("rejected", message.getString("media[0].state"));
            assertTrue(message.getString("media[0].reason").contains("resolves to the internal address"),
                    message.getString("media[0].reason"));
            assertEquals(1, server.hits("/redirect/x"), "the allowed host was asked once, without retries");
            assertEquals(0, internal.hits("/storage/secret.txt"), "the internal address saw a request");
        }
    }

    private static Map<String, String> mms(String customer, String body, String... paths) {
        Map<String, String> params = Webhooks.sms(customer, body);
        params.put("NumMedia", Integer.toString(paths.length));
        for (int i = 0; i < paths.length; i++) {
            params.put("MediaUrl" + i, server.url(paths[i]));
            params.put("MediaContentType" + i, "application/octet-stream");
        }
        return params;
    }

    /** Media arrives after the webhook is answered: wait until no file is pending. */
    private static JsonPath awaitMediaSettled(String customer) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JsonPath history = History.messages(customer);
            List<String> states = history.getList("messages[0].media.state");
            if (states != null && !states.isEmpty() && !states.contains("pending")) {
                return history.setRootPath("messages[0]");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        fail("media still pending: " + History.messages(customer).prettify());
        return null;
    }

    private static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
