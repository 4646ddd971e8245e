package dev.switchboard.events;

import org.jboss.logging.Logger;

import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;
import software.amazon.kinesis.lifecycle.TaskResult;

/**
 * Writes the stream's first leases before a KCL worker starts, when its lease table exists and is still empty. A KCL
 * 3.3.0 worker that finds an empty lease table waits a random 1–30 s (reading the table every 3 s) before it creates
 * the leases itself, so that workers started together do not all list the shards; a lone worker on fresh tables waits
 * all of it, which was most of the 17 s to the first lease. Here the worker's own shard sync (the streams adapter's,
 * through the scheduler's provider) runs at once instead: the leases are exactly the ones the KCL would write, and they
 * are written conditionally, so instances doing this at the same moment create each lease once. The worker then finds
 * leases and skips its wait. When the table does not exist yet (first start on AWS, where the KCL creates it), nothing
 * happens and the KCL's own path applies.
 */
final class FirstLeases {

    private static final Logger LOG = Logger.getLogger(FirstLeases.class);

    private FirstLeases() {
    }

    /** Whether leases were written; any failure only leaves the work to the KCL. */
    static boolean createIfTableEmpty(Scheduler scheduler) {
        LeaseRefresher leases = scheduler.leaseRefresher();
        try {
            if (!leases.leaseTableExists() || !leases.isLeaseTableEmpty()) {
                return false;
            }
            for (StreamConfig stream : scheduler.currentStreamConfigMap().values()) {
                TaskResult result = scheduler.shardSyncTaskManagerProvider().apply(stream).callShardSyncTask();
                if (result.getException() != null) {
                    LOG.warnf(result.getException(), "could not write the first leases of %s; the KCL will",
                            stream.streamIdentifier());
                    return false;
                }
            }
            LOG.infof("wrote the first leases (%d streams) before the KCL started",
                    scheduler.currentStreamConfigMap().size());
            return true;
        } catch (DependencyException | InvalidStateException | ProvisionedThroughputException | RuntimeException e) {
            LOG.warn("could not write the first leases; the KCL will", e);
            return false;
        }
    }
}
