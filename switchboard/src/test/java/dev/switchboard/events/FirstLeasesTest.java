package dev.switchboard.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.coordinator.Scheduler;

import dev.switchboard.history.HistoryConfig;
import dev.switchboard.testing.LocalServersResource;

/**
 * The first leases on fresh tables are written before the KCL starts, from the worker's own shard sync: one lease per
 * shard the KCL would start from, written once, and nothing when the lease table is missing or already has leases. Each
 * case uses a lease table of its own, so the application's own worker is not disturbed.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class FirstLeasesTest {

    @Inject
    StreamConsumer consumer;

    @Inject
    HistoryConfig history;

    @Inject
    DynamoDbClient dynamo;

    @ConfigProperty(name = "quarkus.dynamodb.endpoint-override")
    URI endpoint;

    @Test
    void emptyLeaseTableGetsTheStreamsLeasesOnceAndAMissingOneNothing() {
        String application = "first-leases-" + UUID.randomUUID().toString().substring(0, 8);
        String tableArn = dynamo.describeTable(t -> t.tableName(history.messagesTable())).table().latestStreamArn();
        try (EventsClients clients = new EventsClients(new EventsClients.Settings(Optional.of(endpoint),
                Optional.of("us-east-1"), Optional.of("static"), Optional.of("local"), Optional.of("local")));
                DynamoDbStreamsClient streams = clients.streams(tableArn);
                AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(streams,
                        clients.region())) {
            Scheduler worker = consumer.scheduler(application, clients, adapter, tableArn);

            // No lease table yet: left to the KCL, which creates it on AWS.
            assertFalse(FirstLeases.createIfTableEmpty(worker));

            LeaseTable.createIfMissing(clients.dynamo(), application);
            assertTrue(FirstLeases.createIfTableEmpty(worker), "an empty lease table gets the first leases");
            List<String> leases = leaseKeys(application);
            Set<String> shards = streams.describeStream(d -> d.streamArn(LocalStreamArns.forKcl(tableArn)))
                    .streamDescription().shards().stream().map(Shard::shardId).collect(Collectors.toSet());
            assertFalse(leases.isEmpty(), "no lease was written");
            assertTrue(shards.containsAll(leases), "leases " + leases + " are shards of the stream " + shards);

            // Leases exist now: nothing more is written, whoever calls.
            assertFalse(FirstLeases.createIfTableEmpty(worker));
            assertFalse(FirstLeases.createIfTableEmpty(consumer.scheduler(application, clients, adapter, tableArn)));
            assertEquals(leases, leaseKeys(application));
        }
    }

    private List<String> leaseKeys(String table) {
        return dynamo.scanPaginator(s -> s.tableName(table).consistentRead(true)).items().stream()
                .map(item -> item.getOrDefault("leaseKey", AttributeValue.fromS("?")).s()).sorted().toList();
    }
}
