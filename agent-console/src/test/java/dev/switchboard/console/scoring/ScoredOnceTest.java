package dev.switchboard.console.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import dev.switchboard.console.enrich.SentimentScorer;
import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;

/**
 * A customer message is scored once for the whole system: this console's stream reader stores the score on the message
 * item; a second reader (another console application, as a second KCL worker in this JVM) and a re-delivered record
 * both find the score there and change nothing.
 */
@QuarkusTest
@QuarkusTestResource(StackResource.class)
class ScoredOnceTest {

    /** The first text of a fresh stack waits for both readers' first leases. */
    static final Duration FIRST = Duration.ofSeconds(150);

    @Inject
    ScoringConfig config;

    @Inject
    MessageScores scores;

    @Inject
    SentimentScorer model;

    @Test
    void aCustomerMessageIsScoredOnceAndNeverOverwritten() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(StackResource.stack().dynamoEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String customer = SwitchboardApi.newCustomer();
            SwitchboardApi.text(customer, "My package still hasn't arrived and it's been two weeks");
            String conversation = SwitchboardApi.BUSINESS + "#" + customer;
            Map<String, AttributeValue> item = Awaitility.await().atMost(FIRST).pollInterval(Duration.ofMillis(100))
                    .until(() -> messages(dynamo, conversation),
                            items -> items.size() == 1 && items.get(0).containsKey("sentiment"))
                    .get(0);
            Map<String, AttributeValue> score = item.get("sentiment").m();
            assertEquals("negative", score.get("label").s().replace("very_", ""));

            // A second console application reading the same stream scores the message too, and is refused.
            AtomicInteger secondCalls = new AtomicInteger();
            SentimentScorer counting = text -> {
                secondCalls.incrementAndGet();
                return model.score(text);
            };
            SimpleMeterRegistry secondMetrics = new SimpleMeterRegistry();
            ScoreConsumer second = new ScoreConsumer(new Renamed(config, "console-scoring-second"), counting, scores,
                    secondMetrics);
            second.onStart(null);
            try {
                Awaitility.await().atMost(FIRST).pollInterval(Duration.ofMillis(100))
                        .until(() -> secondMetrics.counter("console.scoring", "outcome", "scored_before").count() >= 1);
            } finally {
                second.onStop(null);
            }
            assertEquals(0, secondMetrics.counter("console.scoring", "outcome", "stored").count());

            // The INSERT delivered again to this console's processor: scored, refused, the stored score unchanged.
            SimpleMeterRegistry again = new SimpleMeterRegistry();
            ScoreProcessor processor = new ScoreProcessor(text -> model.score("Thank you so much, wonderful!"), scores,
                    Runnable::run, config, again);
            Map<String, AttributeValue> insertImage = new java.util.HashMap<>(item);
            insertImage.remove("sentiment");
            processor.score(
                    List.of(Record.builder().eventName(OperationType.INSERT)
                            .dynamodb(StreamRecord.builder().newImage(insertImage).build()).build()),
                    Duration.ofSeconds(30));
            assertEquals(1, again.counter("console.scoring", "outcome", "scored_before").count());
            Map<String, AttributeValue> now = messages(dynamo, conversation).get(0);
            assertEquals(item.get("sentiment"), now.get("sentiment"));
            assertFalse(scores.store(conversation, item.get("id").s(),
                    new dev.switchboard.console.enrich.Sentiment("very_positive", 4, null)));
        }
    }

    private List<Map<String, AttributeValue>> messages(DynamoDbClient dynamo, String conversation) {
        return dynamo.query(q -> q.tableName(config.messagesTable()).keyConditionExpression("#c = :c")
                .expressionAttributeNames(Map.of("#c", "conversation"))
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(conversation))).consistentRead(true))
                .items();
    }

    /** The same settings under another application name: a second console application, with its own leases. */
    private record Renamed(ScoringConfig delegate, String name) implements ScoringConfig {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public String messagesTable() {
            return delegate.messagesTable();
        }

        @Override
        public String applicationName() {
            return name;
        }

        @Override
        public boolean createLeaseTable() {
            return true;
        }

        @Override
        public boolean firstLeases() {
            return delegate.firstLeases();
        }

        @Override
        public Duration workerMetricsCaptureInterval() {
            return delegate.workerMetricsCaptureInterval();
        }

        @Override
        public Duration pollInterval() {
            return delegate.pollInterval();
        }

        @Override
        public int concurrency() {
            return 1;
        }

        @Override
        public Duration batchTimeout() {
            return delegate.batchTimeout();
        }

        @Override
        public Optional<URI> endpoint() {
            return delegate.endpoint();
        }

        @Override
        public Optional<String> region() {
            return delegate.region();
        }

        @Override
        public Optional<String> accessKeyId() {
            return delegate.accessKeyId();
        }

        @Override
        public Optional<String> secretAccessKey() {
            return delegate.secretAccessKey();
        }

        @Override
        public Duration restartDelay() {
            return delegate.restartDelay();
        }
    }
}
