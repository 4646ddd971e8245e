package dev.switchboard.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the messages table's stream is consumed. Every instance runs a KCL worker; the workers share the stream's shards
 * through leases in DynamoDB, so each change is handled by one instance.
 */
@ConfigMapping(prefix = "switchboard.events")
public interface EventsConfig {

    /** Consume the stream at all. Off, no listener is ever called on this instance. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The KCL application name. It names the lease table and its two companion tables ({@code <name>-CoordinatorState},
     * {@code <name>-WorkerMetricStats}); the infrastructure grants {@code table/switchboard-events*}, so a new name
     * must keep that prefix. Instances with the same name share the work.
     */
    @WithDefault("switchboard-events")
    String applicationName();

    /**
     * Pause between two reads of a shard. It sets the latency from write to handling (100 ms: p50 about 70 ms). After a
     * read that found nothing the streams adapter waits twice as long, so an idle shard is read every 2 × this (5 reads
     * a second at 100 ms, DynamoDB Streams' limit per shard). Shorter costs idle CPU and read requests.
     */
    @WithDefault("100ms")
    Duration pollInterval();

    /**
     * Where a shard without a checkpoint starts: {@code TRIM_HORIZON} (everything the stream still holds, up to 24
     * hours) or {@code LATEST} (only writes from then on). Only the very first start of an application name or a new
     * shard reads it.
     */
    @WithDefault("TRIM_HORIZON")
    InitialPosition initialPosition();

    /**
     * Write the stream's first leases before the KCL starts when its lease table exists and is empty (fresh tables).
     * Off, the KCL writes them itself after a random wait of 1–30 s (see {@link FirstLeases}).
     */
    @WithDefault("true")
    boolean firstLeases();

    /**
     * A lease not renewed for this long is taken to belong to a dead instance and is given to another. Leases are
     * renewed every third of it, and each worker looks for leases assigned to it every failover time.
     * <p>
     * This bounds the take-over after a crash (kill -9) of the instance reading a shard: the leader sees the lease
     * unrenewed for the failover time (checked every {@link #leaseAssignmentInterval()}), assigns it to a live worker,
     * which finds it within one more failover time and starts reading within a few {@link #dispatchInterval()}s: about
     * 2 × failover + assignment interval + 1 s, 5–6 s with the defaults. The leader counts a worker as alive until its
     * load reports are 2 × {@link #workerMetricsInterval()} old and may hand the lease back to the dead one until then,
     * so the bound is the larger of that and the above: about 10–11 s. When the dead instance was also the leader,
     * {@link #leaderLeaseDuration()} comes first (the survivors wait it out before one takes the lock).
     */
    @WithDefault("2s")
    Duration failoverTime();

    /** How often the leader reassigns expired and unassigned leases. */
    @WithDefault("1s")
    Duration leaseAssignmentInterval();

    /**
     * How long the leader's lock lasts without a heartbeat. When the leader dies, nobody assigns leases until this has
     * passed (the KCL default of two minutes made a take-over take 140 s).
     */
    @WithDefault("6s")
    Duration leaderLeaseDuration();

    /** How often the leader renews its lock; well under {@link #leaderLeaseDuration()}. */
    @WithDefault("2s")
    Duration leaderHeartbeat();

    /**
     * How often each worker reports its load to the worker metrics table. The leader treats a worker whose reports stop
     * as gone, so this bounds how soon a killed instance's shards move.
     */
    @WithDefault("5s")
    Duration workerMetricsInterval();

    /**
     * How often the worker samples its own load in memory. Its first report to the worker metrics table waits two of
     * these, and the leader assigns no lease to a worker that has not reported, so on a fresh start this adds about 2 ×
     * the interval before the first lease. On ECS each sample reads the task's CPU from the metadata endpoint, so
     * production keeps the KCL's 1 s; local runs and tests sample every 250 ms.
     */
    @WithDefault("1s")
    Duration workerMetricsCaptureInterval();

    /**
     * How often the worker's main loop starts and advances shard consumers. A shard just assigned to this instance
     * needs several turns of it before its first read, so this adds up in every take-over (the KCL default of 1 s cost
     * about 2 s). The loop itself only looks at what is in memory.
     */
    @WithDefault("250ms")
    Duration dispatchInterval();

    /**
     * How many conversations of one batch are handled at the same time (each conversation's records stay in order on
     * one thread). 1 handles the batch one record after another. Each costs a thread and, while it works, a DynamoDB
     * connection.
     */
    @WithDefault("8")
    int parallelism();

    /** Most records fetched by one read of a shard. */
    @WithDefault("1000")
    int maxRecords();

    /**
     * How long a shutdown waits for the worker to checkpoint and hand its leases over before it stops it hard (the
     * leases then expire after {@link #failoverTime()}).
     */
    @WithDefault("10s")
    Duration shutdownTimeout();

    /** Pause before the worker is started again after it could not start (DynamoDB down, table missing). */
    @WithDefault("5s")
    Duration restartDelay();

    enum InitialPosition {
        TRIM_HORIZON, LATEST
    }
}
