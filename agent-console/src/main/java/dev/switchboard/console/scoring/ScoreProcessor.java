package dev.switchboard.console.scoring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

import dev.switchboard.console.enrich.Sentiment;
import dev.switchboard.console.enrich.SentimentScorer;

/**
 * Scores one shard's new customer messages while this console holds its lease: each batch is a Mutiny stream of the
 * records that need a score, scored on the bounded pool ({@link ScoringConfig#concurrency()} at once) and stored
 * conditionally, then checkpointed. A record read again (after a take-over) is scored again but its store is refused,
 * so the stored score never changes.
 */
final class ScoreProcessor implements DynamoDBStreamsShardRecordProcessor {

    private static final Logger LOG = Logger.getLogger(ScoreProcessor.class);

    /** A customer message to score. */
    record ToScore(String conversation, String messageId, String body) {
    }

    private final SentimentScorer scorer;
    private final MessageScores scores;
    private final Executor pool;
    private final ScoringConfig config;
    private final MeterRegistry metrics;
    private String shardId = "?";

    ScoreProcessor(SentimentScorer scorer, MessageScores scores, Executor pool, ScoringConfig config,
            MeterRegistry metrics) {
        this.scorer = scorer;
        this.scores = scores;
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        LOG.infof("scoring shard %s from %s", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
        List<Record> records = input.records().stream().map(DynamoDBStreamsClientRecord::getRecord).toList();
        if (records.isEmpty()) {
            return;
        }
        score(records, Duration.ofMillis(config.batchTimeout().toMillis()));
        checkpoint(input.checkpointer(), "batch of " + records.size());
    }

    /** Scores and stores the batch's new customer messages, a bounded number at once; waits for all of them. */
    void score(List<Record> records, Duration timeout) {
        List<ToScore> toScore = records.stream().map(ScoreProcessor::toScore).filter(Objects::nonNull).toList();
        if (toScore.isEmpty()) {
            return; // statuses, media, the scores' own writes
        }
        Multi.createFrom().iterable(toScore).onItem().transformToUni(message -> Uni.createFrom()
                .item(() -> scoreAndStore(message)).runSubscriptionOn(pool).onFailure().recoverWithItem(failure -> {
                    LOG.warnf(failure, "could not score %s of %s", message.messageId(), message.conversation());
                    metrics.counter("console.scoring", "outcome", "failed").increment();
                    return false;
                })).merge(Math.max(1, config.concurrency())).collect().asList().await().atMost(timeout);
    }

    private boolean scoreAndStore(ToScore message) {
        Sentiment sentiment = scorer.score(message.body());
        boolean stored = scores.store(message.conversation(), message.messageId(), sentiment);
        metrics.counter("console.scoring", "outcome", stored ? "stored" : "scored_before").increment();
        return stored;
    }

    /** A record worth scoring: the INSERT of an inbound message with text and no score. */
    static ToScore toScore(Record record) {
        if (!"INSERT".equals(record.eventNameAsString()) || !record.dynamodb().hasNewImage()) {
            return null;
        }
        Map<String, AttributeValue> image = record.dynamodb().newImage();
        if (!"inbound".equals(string(image, "direction")) || image.containsKey(MessageScores.ATTRIBUTE)) {
            return null;
        }
        String body = string(image, "body");
        String conversation = string(image, "conversation");
        String id = string(image, "id");
        if (conversation == null || id == null) {
            return null;
        }
        return new ToScore(conversation, id, body == null ? "" : body);
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.infof("lost the scoring lease of shard %s", shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        checkpoint(input.checkpointer(), "shard end");
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        checkpoint(input.checkpointer(), "shutdown");
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer, String what) {
        try {
            checkpointer.checkpoint();
        } catch (ShutdownException lost) {
            LOG.infof("shard %s: lease lost before the checkpoint of the %s; scored again is refused by the store",
                    shardId, what);
        } catch (ThrottlingException | KinesisClientLibDependencyException transientFailure) {
            LOG.warnf(transientFailure, "shard %s: checkpoint of the %s failed", shardId, what);
        } catch (InvalidStateException broken) {
            LOG.errorf(broken, "shard %s: checkpoint of the %s refused", shardId, what);
        }
    }
}
