package dev.switchboard.inbound;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same webhook behaviour, against the packaged application. */
@QuarkusIntegrationTest
class InboundWebhookIT extends InboundWebhookTest {
}
