package dev.switchboard.events;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one KCL error that is never true for DynamoDB streams. The adapter gives every shard the hash key range 0–1, so
 * the leader's shard audit (every two minutes) always reports the stream's range as "incomplete" at ERROR, and then
 * runs the shard sync the adapter relies on to find new shards. Everything else the KCL logs passes.
 */
@LoggingFilter(name = "kcl-noise")
public final class KclLogNoise implements Filter {

    static final String SHARD_SYNC_LOGGER = "software.amazon.kinesis.coordinator.PeriodicShardSyncManager";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!SHARD_SYNC_LOGGER.equals(record.getLoggerName())) {
            return true;
        }
        String message = record.getMessage();
        return message == null || !message.startsWith("Incomplete hash range found");
    }
}
