package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.history.MessageIds;
import dev.switchboard.testing.CrashState;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.MediaServer;
import dev.switchboard.testing.Webhooks;

/**
 * Media whose fetch was under way when its instance died still reaches a final state: the claim runs out, a sweeper
 * claims it and fetches it; past the deadline ({@code switchboard.media.final-within}) it is recorded as failed. The
 * crash is reproduced as the exact item a SIGKILL mid-fetch leaves (see {@link CrashState}).
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class DurableMediaTest {

    private static final Duration SOON = Duration.ofSeconds(60);
    private static MediaServer server;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig history;

    @Inject
    MediaConfig config;

    @Inject
    MessageIds ids;

    @BeforeAll
    static void serveMedia() throws IOException {
        server = new MediaServer().add("kite.png",
                new MediaServer.File("image/png", new byte[] { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 }, false));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void mediaLeftClaimedByADeadInstanceIsFetchedAfterTheClaimRunsOut() {
        String customer = Webhooks.newCustomer();
        String sid = Webhooks.newSid();
        long now = System.currentTimeMillis();
        CrashState.mms(dynamo, history.messagesTable(), customer, sid, ids.next(), now,
                List.of(server.url("/media/kite.png")), now + 3_000);

        JsonPath message = awaitSettled(customer);
        assertEquals("stored", message.getString("media[0].state"));
        assertEquals(7, message.getInt("media[0].size"));
        assertEquals(message.getString("media[0].contentType"), "image/png");
    }

    @Test
    void mediaStillPendingAtItsDeadlineIsRecordedAsFailed() {
        String customer = Webhooks.newCustomer();
        String sid = Webhooks.newSid();
        // Stored longer ago than the deadline allows; its last claim, too, ran out with its instance.
        long createdAt = System.currentTimeMillis() - config.finalWithin().toMillis() - 1_000;
        CrashState.mms(dynamo, history.messagesTable(), customer, sid, ids.next(), createdAt,
                List.of(server.url("/media/kite.png?late")), System.currentTimeMillis() + 1_000);

        JsonPath message = awaitSettled(customer);
        assertEquals("failed", message.getString("media[0].state"));
        assertTrue(message.getString("media[0].reason").contains("switchboard.media.final-within"),
                message.getString("media[0].reason"));
    }

    private static JsonPath awaitSettled(String customer) {
        return Awaitility.await().atMost(SOON).pollInterval(Duration.ofMillis(100)).until(
                () -> History.messages(customer).setRootPath("messages[0]"),
                m -> m.get() != null && !"pending".equals(m.getString("media[0].state")));
    }
}
