package dev.switchboard.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Write-to-projection lag, per webhook: from the moment its 200 arrived to the first read of its conversation item in
 * DynamoDB that lists the message among the ids the projection applied ({@code projectedIds}). One poller thread reads
 * the conversations of every message still waiting, at most 100 a request (one consistent {@code BatchGetItem} of only
 * {@code conversation} and {@code projectedIds}), then pauses {@link #POLL_INTERVAL}: the polling costs DynamoDB Local
 * about one small request per interval however many messages are pending. A lag is timed to the end of the read that
 * first saw the message, so it overstates the true lag by at most one interval plus one read.
 */
final class ProjectionLag implements AutoCloseable {

    static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    /** By default, a message not reflected this long after its 200 counts as never projected. */
    static final Duration GIVE_UP = Duration.ofSeconds(30);
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);
    private static final int KEYS_PER_READ = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    /** MessageSid to the conversation it belongs to and when its 200 arrived. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Histogram lag = new ConcurrentHistogram(MAX_MICROS, 3);
    private final AtomicInteger missed = new AtomicInteger();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong keysRead = new AtomicLong();
    private final Thread poller;
    private final Duration giveUp;
    private volatile boolean stopping;

    private record Pending(String conversation, long answeredAt) {
    }

    ProjectionLag(URI endpoint, String table, Duration giveUp) {
        this.table = table;
        this.giveUp = giveUp;
        this.dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(config -> config.apiCallTimeout(Duration.ofSeconds(10))).build();
        this.poller = new Thread(this::poll, "projection-lag");
        this.poller.setDaemon(true);
        this.poller.start();
    }

    /** The webhook of {@code messageSid} in {@code conversation} was just answered 200. */
    void answered(String messageSid, String conversation) {
        pending.put(messageSid, new Pending(conversation, System.nanoTime()));
    }

    /** Waits until every answered message is seen or given up on, then stops polling. */
    void finish() throws InterruptedException {
        long deadline = System.nanoTime() + giveUp.toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        stopping = true;
        poller.join(TimeUnit.SECONDS.toMillis(15));
        missed.addAndGet(pending.size());
        pending.clear();
    }

    Histogram lag() {
        return lag;
    }

    int missed() {
        return missed.get();
    }

    long reads() {
        return reads.get();
    }

    long keysRead() {
        return keysRead.get();
    }

    private void poll() {
        while (!stopping) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                System.err.println("projection-lag read failed: " + e);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    private void pollOnce() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, List<Map.Entry<String, Pending>>> byConversation = new HashMap<>();
        long now = System.nanoTime();
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            if (now - entry.getValue().answeredAt() > giveUp.toNanos()) {
                if (pending.remove(entry.getKey()) != null) {
                    missed.incrementAndGet();
                }
                continue;
            }
            byConversation.computeIfAbsent(entry.getValue().conversation(), c -> new ArrayList<>()).add(entry);
        }
        List<String> conversations = new ArrayList<>(byConversation.keySet());
        for (int from = 0; from < conversations.size(); from += KEYS_PER_READ) {
            List<String> slice = conversations.subList(from, Math.min(conversations.size(), from + KEYS_PER_READ));
            for (Map<String, AttributeValue> item : read(slice)) {
                long seenAt = System.nanoTime();
                AttributeValue ids = item.get("projectedIds");
                AttributeValue id = item.get("conversation");
                if (ids == null || !ids.hasL() || id == null) {
                    continue;
                }
                for (Map.Entry<String, Pending> entry : byConversation.getOrDefault(id.s(), List.of())) {
                    boolean applied = ids.l().stream().anyMatch(v -> entry.getKey().equals(v.s()));
                    if (applied && pending.remove(entry.getKey()) != null) {
                        lag.recordValue(Math.min(MAX_MICROS, (seenAt - entry.getValue().answeredAt()) / 1000));
                    }
                }
            }
        }
    }

    private List<Map<String, AttributeValue>> read(List<String> conversations) {
        List<Map<String, AttributeValue>> keys = conversations.stream()
                .map(c -> Map.of("conversation", AttributeValue.fromS(c))).toList();
        keysRead.addAndGet(keys.size());
        Map<String, KeysAndAttributes> request = Map.of(table,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).projectionExpression("#c, projectedIds")
                        .expressionAttributeNames(Map.of("#c", "conversation")).build());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        // DynamoDB Local answers everything at once; the loop only honours the API's contract.
        for (int round = 0; round < 10 && !request.isEmpty(); round++) {
            Map<String, KeysAndAttributes> current = request;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(current));
            reads.incrementAndGet();
            items.addAll(response.responses().getOrDefault(table, List.of()));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }

    @Override
    public void close() {
        stopping = true;
        dynamo.close();
    }
}
