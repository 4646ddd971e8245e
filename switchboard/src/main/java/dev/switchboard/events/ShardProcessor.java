package dev.switchboard.events;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;

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

/**
 * Processes one shard while this instance holds its lease: dispatches each batch, then checkpoints it. A batch is
 * checkpointed even when a listener failed, so one bad listener cannot stall every other.
 */
final class ShardProcessor implements DynamoDBStreamsShardRecordProcessor {

    private static final Logger LOG = Logger.getLogger(ShardProcessor.class);

    private final ChangeDispatcher dispatcher;
    private final AtomicInteger activeShards;
    private String shardId = "?";
    private boolean active;

    ShardProcessor(ChangeDispatcher dispatcher, AtomicInteger activeShards) {
        this.dispatcher = dispatcher;
        this.activeShards = activeShards;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        active = true;
        activeShards.incrementAndGet();
        LOG.infof("processing shard %s from %s", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
        List<DynamoDBStreamsClientRecord> batch = input.records();
        if (batch.isEmpty()) {
            return;
        }
        List<Record> records = batch.stream().map(DynamoDBStreamsClientRecord::getRecord).toList();
        dispatcher.dispatch(records);
        checkpoint(input.checkpointer(), "batch of " + records.size());
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        // Another instance owns the shard now and starts from the last checkpoint; nothing may be written here.
        if (active) {
            LOG.infof("lost the lease of shard %s", shardId);
        }
        inactive();
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        // The KCL moves on to the child shards only once the ended shard is checkpointed at its end.
        checkpoint(input.checkpointer(), "shard end");
        LOG.infof("shard %s ended", shardId);
        inactive();
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        checkpoint(input.checkpointer(), "shutdown");
        LOG.infof("handed shard %s over", shardId);
        inactive();
    }

    private void inactive() {
        if (active) {
            active = false;
            activeShards.decrementAndGet();
        }
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer, String what) {
        try {
            checkpointer.checkpoint();
        } catch (ShutdownException lost) {
            LOG.infof("shard %s: lease lost before the checkpoint of the %s; its records will be handled again",
                    shardId, what);
        } catch (ThrottlingException | KinesisClientLibDependencyException transientFailure) {
            // The next batch's checkpoint covers this one; until then a take-over would re-deliver it.
            LOG.warnf(transientFailure, "shard %s: checkpoint of the %s failed", shardId, what);
        } catch (InvalidStateException broken) {
            LOG.errorf(broken, "shard %s: checkpoint of the %s refused", shardId, what);
        }
    }
}
