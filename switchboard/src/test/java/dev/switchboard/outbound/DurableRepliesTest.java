package dev.switchboard.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.history.MessageIds;
import dev.switchboard.local.TwilioStandIn;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.CrashState;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/**
 * Replies survive a crash of the instance sending them: one claimed but not yet handed to Twilio is sent once after the
 * claim runs out; one whose hand-over was under way is shown to the agent as failed/unknown_outcome and never sent
 * again. The crash is reproduced as the exact item a SIGKILL leaves (see {@link CrashState}). A reply resent with the
 * same client id is stored and sent once.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class DurableRepliesTest {

    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    @Inject
    MessageIds ids;

    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void aReplyLeftClaimedByADeadInstanceIsSentOnceOrShownAsUnknownOutcome() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        TwilioStandIn standIn = LocalServersResource.standIn();
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "anyone there?")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);

            long claimUntil = System.currentTimeMillis() + 3_000;
            String claimedId = ids.next();
            CrashState.reply(dynamo, config.messagesTable(), customer, ann, claimedId, claimedId,
                    "claimed, then the instance died", claimUntil, null);
            String sendingId = ids.next();
            CrashState.reply(dynamo, config.messagesTable(), customer, ann, sendingId, sendingId,
                    "handed to Twilio, then the instance died", claimUntil, claimUntil - 2_000);

            // The one that never reached Twilio is sent by a sweeper once the dead instance's claim ran out.
            Awaitility.await().atMost(SOON)
                    .until(() -> bodiesTo(standIn, customer).contains("claimed, then the instance died"));
            a.await("status", f -> claimedId.equals(f.get("messageId")) && "delivered".equals(f.get("status")), SOON);

            // The other may have reached Twilio: the agent is told, and it is not sent again.
            Map<String, Object> unknown = a.await("status",
                    f -> sendingId.equals(f.get("messageId")) && "failed".equals(f.get("status")), SOON);
            assertEquals("unknown_outcome", unknown.get("reason"));
            Map<String, Object> stored = History.messages(customer).getList("messages", Map.class).stream()
                    .filter(m -> sendingId.equals(m.get("id"))).findFirst().orElseThrow();
            assertEquals("failed", stored.get("status"));
            assertEquals("unknown_outcome", stored.get("reason"));

            // Sweeps keep running; neither reply goes out (again).
            a.assertNone("status", f -> claimedId.equals(f.get("messageId")) && "sending".equals(f.get("status")),
                    Duration.ofSeconds(3));
            assertEquals(List.of("claimed, then the instance died"), bodiesTo(standIn, customer));
        }
    }

    @Test
    void aResponseResentWithTheSameClientIdIsStoredAndSentOnce() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        TwilioStandIn standIn = LocalServersResource.standIn();
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "hello")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            String conversation = Webhooks.BUSINESS + "#" + customer;

            // A double click, then a resend after a reconnect.
            Map<String, Object> reply = Map.of("type", "response", "conversation", conversation, "body",
                    "Hi! Looking into it.", "clientId", "draft-7f3a");
            a.send(reply);
            a.send(reply);
            try (AgentClient again = Agents.connect(ann)) {
                again.send(reply);
                // Positive control: another client id is another reply.
                again.send(Map.of("type", "response", "conversation", conversation, "body", "One more thing.",
                        "clientId", "draft-8b21"));
                Awaitility.await().atMost(SOON).until(() -> bodiesTo(standIn, customer).contains("One more thing."));
                History.awaitConversation(customer, "assigned", 3);
            }
            Awaitility.await().atMost(SOON).until(() -> History.messages(customer).getList("messages.status").stream()
                    .allMatch(status -> !"queued".equals(status)));
            assertEquals(List.of("Hi! Looking into it.", "One more thing."), bodiesTo(standIn, customer));
            assertEquals(3, History.messages(customer).getList("messages").size());
            a.assertNone("error", f -> true, Duration.ZERO);
        }
    }

    @Test
    void aMalformedClientIdIsRefused() {
        String ann = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        try (AgentClient a = Agents.connect(ann)) {
            a.available(3);
            a.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "hello")).then().statusCode(200);
            a.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
            a.send(Map.of("type", "response", "conversation", Webhooks.BUSINESS + "#" + customer, "body", "hi",
                    "clientId", "x".repeat(65)));
            Map<String, Object> error = a.await("error", SOON);
            assertEquals("bad_request", error.get("code"));
            assertEquals(1, History.messages(customer).getList("messages").size());
        }
    }

    private static List<String> bodiesTo(TwilioStandIn standIn, String customer) {
        return standIn.messagesTo(customer).stream().map(m -> m.body()).toList();
    }
}
