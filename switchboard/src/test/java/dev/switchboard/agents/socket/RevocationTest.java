package dev.switchboard.agents.socket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.local.TwilioStandIn;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.Agents;
import dev.switchboard.testing.Auth;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Queue;
import dev.switchboard.testing.Webhooks;

/** Disabling an agent takes effect on their open socket at once: closed, and nothing more they send goes out. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class RevocationTest {

    /** The first change event of a test JVM waits for KCL's first lease. */
    static final Duration FIRST = Duration.ofSeconds(120);
    static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    DynamoDbClient dynamo;

    @Inject
    HistoryConfig config;

    /** Conversations other test classes left waiting would take the agent's room first. */
    @BeforeEach
    void emptyQueue() {
        Queue.closeAllOpen(dynamo, config);
    }

    @Test
    void disablingAnAgentClosesTheirSocketWithinTwoSecondsAndTheirReplyIsRefused() {
        String agent = Agents.create("ann");
        String customer = Webhooks.newCustomer();
        TwilioStandIn standIn = LocalServersResource.standIn();
        try (AgentClient client = Agents.connect(agent)) {
            client.available(3);
            client.await("presence", f -> "available".equals(f.get("presence")), SOON);
            Webhooks.post(Webhooks.sms(customer, "is anyone there?")).then().statusCode(200);
            String conversation = (String) client.await("assigned", f -> customer.equals(f.get("customer")), FIRST)
                    .get("conversation");
            // Positive control: before the disable, a reply reaches the customer.
            client.send(Map.of("type", "response", "conversation", conversation, "body", "before"));
            // Sending follows the stream, whose first lease in a test JVM can take a while.
            await().atMost(FIRST).until(() -> standIn.messagesTo(customer).size() == 1);

            Auth.asAdmin().post("/admin/agents/" + agent + "/disable").then().statusCode(204);
            long disabledAt = System.nanoTime();
            try {
                client.send(Map.of("type", "response", "conversation", conversation, "body", "after"));
            } catch (IllegalStateException alreadyClosed) {
                // Closed before the frame could go: refused all the same.
            }
            AgentClient.Closed closed = client.awaitClosed(Duration.ofSeconds(2));
            assertTrue(System.nanoTime() - disabledAt < Duration.ofSeconds(2).toNanos());
            assertEquals(new AgentClient.Closed(4401, "unauthorized"), closed);
            assertTrue(client.frames("error").stream().anyMatch(f -> "unauthorized".equals(f.get("code"))),
                    () -> client.frames().toString());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> standIn.messagesTo(customer).size() == 1);
            assertEquals("before", standIn.messagesTo(customer).get(0).body());
        }
    }
}
