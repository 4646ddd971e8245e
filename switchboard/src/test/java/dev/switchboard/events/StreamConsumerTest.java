package dev.switchboard.events;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.MediaServer;
import dev.switchboard.testing.Webhooks;

/**
 * Changes come from DynamoDB Local's real stream through the KCL. The first test of a JVM may wait for the first lease:
 * against fresh tables the KCL takes tens of seconds before it reads anything, and the test resources give a fresh
 * DynamoDB Local per run.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
@Order(Integer.MAX_VALUE)
class StreamConsumerTest {

    /** Covers the KCL's first start against fresh tables, with room to spare on a loaded machine. */
    private static final Duration FIRST_LEASE = Duration.ofSeconds(150);
    private static final Duration HANDLED = Duration.ofSeconds(10);

    private static MediaServer media;

    @Inject
    RecordingListener listener;

    @BeforeAll
    static void serveMedia() throws IOException {
        media = new MediaServer().add("pic.png", new MediaServer.File("image/png", new byte[] { 1, 2, 3, 4 }, false));
    }

    @AfterAll
    static void stopMedia() {
        media.close();
    }

    @Test
    void storedMessageIsInsertedOnceThenModifiedAsItsMediaWorkIsDone() throws Exception {
        String customer = Webhooks.newCustomer();
        Map<String, String> mms = Webhooks.sms(customer, "photo of the damage");
        mms.put("NumMedia", "1");
        mms.put("MediaUrl0", media.url("/media/pic.png"));
        mms.put("MediaContentType0", "image/png");
        Instant posted = Instant.now();
        Webhooks.post(mms).then().statusCode(200);
        String messageId = History.messages(customer).getString("messages[0].id");
        String conversation = Webhooks.BUSINESS + "#" + customer;

        RecordingListener.Seen insert = listener
                .await(c -> messageId.equals(c.messageId()) && "INSERT".equals(c.eventName()), FIRST_LEASE);
        assertNotNull(insert, "no INSERT for " + messageId);
        System.out.printf("events: first INSERT handled %d ms after the webhook%n",
                Duration.between(posted, insert.at()).toMillis());
        MessageChange inserted = insert.change();
        assertEquals(conversation, inserted.conversation());
        assertEquals("photo of the damage", inserted.newImage().get("body").s());
        assertEquals(mms.get("MessageSid"), inserted.newImage().get("twilioSid").s());
        assertEquals("pending", inserted.newImage().get("media").l().get(0).m().get("state").s());
        assertNotNull(inserted.eventId());
        assertNotNull(inserted.approximateCreation());

        // Then its media work: claimed, the file stored, the work cleared; three writes, three MODIFYs, in order.
        RecordingListener.Seen settled = listener.await(c -> messageId.equals(c.messageId())
                && "MODIFY".equals(c.eventName()) && !c.newImage().containsKey("work"), HANDLED);
        assertNotNull(settled, "media work of " + messageId + " never cleared");
        AttributeValue stored = settled.change().newImage().get("media").l().get(0);
        assertEquals("stored", stored.m().get("state").s());

        // Nothing more may come for this message: a late duplicate would show up within a few polls.
        Thread.sleep(1_000);
        assertEquals(1, listener.of(messageId, "INSERT").size(), "INSERTs of " + messageId);
        List<RecordingListener.Seen> modifies = listener.of(messageId, "MODIFY");
        assertEquals(3, modifies.size(), "MODIFYs of " + messageId);
        assertEquals("pending", modifies.get(0).change().newImage().get("media").l().get(0).m().get("state").s());
        assertTrue(modifies.get(0).change().newImage().containsKey("claimOwner"), "the first MODIFY is the claim");
        BigInteger previous = new BigInteger(inserted.eventId());
        for (RecordingListener.Seen modify : modifies) {
            BigInteger position = new BigInteger(modify.change().eventId());
            assertTrue(position.compareTo(previous) > 0, "stream order");
            previous = position;
        }
    }

    @Test
    void eachStoredMessageIsHandledOnceAndSoon() throws Exception {
        String customer = Webhooks.newCustomer();
        // Waits out the first lease if this test runs first.
        Webhooks.post(Webhooks.sms(customer, "warm-up")).then().statusCode(200);
        String warmUp = History.messages(customer).getString("messages[0].id");
        assertNotNull(listener.await(c -> warmUp.equals(c.messageId()), FIRST_LEASE), "warm-up never handled");

        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Webhooks.post(Webhooks.sms(customer, "message " + i)).then().statusCode(200);
            String id = History.messages(customer).getString("messages[0].id");
            RecordingListener.Seen seen = listener.await(c -> id.equals(c.messageId()), HANDLED);
            assertNotNull(seen, "message " + i + " never handled");
            long createdAt = Long.parseLong(seen.change().newImage().get("createdAt").n());
            lags.add(seen.at().toEpochMilli() - createdAt);
        }
        Thread.sleep(500);
        for (String id : History.messages(customer, "?limit=100").<String> getList("messages.id")) {
            assertEquals(1, listener.of(id).size(), "changes of " + id);
        }
        Collections.sort(lags);
        System.out.printf("events: write-to-handling lag over %d messages: p50 %d ms, p90 %d ms, max %d ms%n",
                lags.size(), lags.get(lags.size() / 2), lags.get(lags.size() * 9 / 10), lags.get(lags.size() - 1));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("switchboard_events_total{event=\"INSERT\"}"), metrics);
        assertTrue(metrics.contains("switchboard_events_lag_seconds{quantile=\"0.5\"}"), metrics);
        assertTrue(metrics.contains("switchboard_events_shards 1.0"), metrics);
    }
}
