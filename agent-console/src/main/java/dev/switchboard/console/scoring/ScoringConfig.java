package dev.switchboard.console.scoring;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Scoring every customer message once for the whole system: the console reads the messages table's change stream with
 * its own KCL application (the stream's second reader; DynamoDB Streams allows two per shard, the switchboard's is the
 * first) and writes each score back onto the message item.
 */
@ConfigMapping(prefix = "console.scoring")
public interface ScoringConfig {

    /** Read the stream and score at all. Off, no console instance scores (the switchboard then sends no scores). */
    @WithDefault("true")
    boolean enabled();

    /** The switchboard's messages table, whose stream is read and whose items receive the scores. */
    @WithDefault("switchboard-messages")
    String messagesTable();

    /**
     * The KCL application name: it names the lease table and its companions ({@code <name>-CoordinatorState},
     * {@code <name>-WorkerMetricStats}); the infrastructure grants {@code table/console-scoring*}. Console instances
     * with the same name share the shards, so each message is read by one of them.
     */
    @WithDefault("console-scoring")
    String applicationName();

    /** Create the lease table before the KCL does (local runs and tests; in production the infrastructure does). */
    @WithDefault("false")
    boolean createLeaseTable();

    /**
     * Write the stream's first leases before the KCL starts when the lease table exists and is empty (fresh tables).
     * Off, the KCL writes them itself after a random wait of 1–30 s (see {@link FirstLeases}).
     */
    @WithDefault("true")
    boolean firstLeases();

    /**
     * How often the KCL worker samples its own load in memory; its first load report waits two of these, and no lease
     * is assigned to a worker before it has reported. The KCL's 1 s on AWS (on ECS each sample reads the metadata
     * endpoint), 250 ms locally.
     */
    @WithDefault("1s")
    Duration workerMetricsCaptureInterval();

    /**
     * Pause between two reads of a shard: with the switchboard's own reader's, it sets text-to-score latency (two
     * stream hops: the message's INSERT to here, the score's MODIFY to the switchboard).
     */
    @WithDefault("100ms")
    Duration pollInterval();

    /** Messages scored at once by one console instance (each keeps a core busy while CoreNLP parses). */
    @WithDefault("2")
    int concurrency();

    /** Longest a batch may take to score and store before its records are left to be read again. */
    @WithDefault("60s")
    Duration batchTimeout();

    /** DynamoDB endpoint (DynamoDB Local in development); unset on AWS. */
    Optional<URI> endpoint();

    /** AWS region; unset, the default provider chain decides. */
    Optional<String> region();

    /** Static credentials, for DynamoDB Local only; unset, the default provider chain (the task role) is used. */
    Optional<String> accessKeyId();

    Optional<String> secretAccessKey();

    /** Pause before the worker is started again after it could not start. */
    @WithDefault("5s")
    Duration restartDelay();
}
