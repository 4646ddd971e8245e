package dev.switchboard.console.scoring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;

import dev.switchboard.console.enrich.SentimentScorer;

/**
 * Runs this console's KCL worker on the messages table's stream, under its own application name and lease table, so the
 * console instances share the shards and each message is scored by one of them. Lease timings are the switchboard
 * reader's (take-over in seconds). Started on a thread of its own: the KCL takes seconds before it holds a lease.
 */
@ApplicationScoped
public class ScoreConsumer {

    private static final Logger LOG = Logger.getLogger(ScoreConsumer.class);

    private final ScoringConfig config;
    private final SentimentScorer scorer;
    private final MessageScores scores;
    private final MeterRegistry metrics;
    private final String workerId = workerId();
    private final ExecutorService pool;
    private final Object lock = new Object();
    private boolean stopping;
    private Scheduler scheduler;
    private Thread thread;
    private StreamClients clients;

    ScoreConsumer(ScoringConfig config, SentimentScorer scorer, MessageScores scores, MeterRegistry metrics) {
        this.config = config;
        this.scorer = scorer;
        this.scores = scores;
        this.metrics = metrics;
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), task -> {
            Thread t = new Thread(task, "scoring-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("scoring is off on this console (console.scoring.enabled=false)");
            return;
        }
        synchronized (lock) {
            thread = new Thread(this::run, "console-scoring");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        while (!isStopping()) {
            try {
                runScheduler();
            } catch (RuntimeException e) {
                LOG.errorf(e, "scoring stopped; starting again in %s", config.restartDelay());
            }
            if (!isStopping()) {
                try {
                    Thread.sleep(config.restartDelay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void runScheduler() {
        StreamClients built;
        synchronized (lock) {
            if (clients == null) {
                clients = new StreamClients(config);
            }
            built = clients;
        }
        String tableArn = built.dynamo().describeTable(table -> table.tableName(config.messagesTable())).join().table()
                .latestStreamArn();
        if (tableArn == null) {
            throw new IllegalStateException("table " + config.messagesTable() + " has no stream");
        }
        if (config.createLeaseTable()) {
            LeaseTable.createIfMissing(built.dynamo(), config.applicationName());
        }
        try (AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(
                built.streams(tableArn), built.region())) {
            Scheduler created = scheduler(built, adapter, tableArn);
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                scheduler = created;
            }
            if (config.firstLeases()) {
                FirstLeases.createIfTableEmpty(created);
            }
            LOG.infof("scoring %s as worker %s (lease table %s)", tableArn, workerId, config.applicationName());
            created.run();
        }
    }

    private Scheduler scheduler(StreamClients built, AmazonDynamoDBStreamsAdapterClient adapter, String tableArn) {
        String streamArn = LocalStreamArns.isLocal(tableArn) ? LocalStreamArns.forKcl(tableArn) : tableArn;
        StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(streamArn,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
        ConfigsBuilder configs = new ConfigsBuilder(tracker, config.applicationName(), adapter, built.dynamo(),
                built.cloudWatch(), workerId, () -> new ScoreProcessor(scorer, scores, pool, config, metrics));
        LeaseManagementConfig leases = configs.leaseManagementConfig().failoverTimeMillis(2_000L)
                .leaseAssignmentIntervalMillis(1_000L).dynamoDbLockBasedLeaderLeaseDurationInMillis(6_000L)
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(2_000L).billingMode(BillingMode.PAY_PER_REQUEST)
                .shardSyncIntervalMillis(0).leasesRecoveryAuditorInconsistencyConfidenceThreshold(0);
        leases.workerUtilizationAwareAssignmentConfig().workerMetricsReporterFreqInMillis(5_000L)
                .inMemoryWorkerMetricsCaptureFrequencyMillis(config.workerMetricsCaptureInterval().toMillis());
        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .skipShardSyncAtWorkerInitializationIfLeasesExist(true).shardConsumerDispatchPollIntervalMillis(250);
        DynamoDBStreamsPollingConfig polling = new DynamoDBStreamsPollingConfig(adapter);
        polling.idleTimeBetweenReadsInMillis(config.pollInterval().toMillis());
        polling.maxRecords(1000);
        RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(polling);
        return StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leases,
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsFactory(new NullMetricsFactory()).metricsLevel(MetricsLevel.NONE),
                configs.processorConfig(), retrieval, adapter);
    }

    void onStop(@Observes ShutdownEvent event) {
        Scheduler running;
        Thread worker;
        synchronized (lock) {
            stopping = true;
            running = scheduler;
            worker = thread;
        }
        if (running != null) {
            try {
                running.startGracefulShutdown().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                running.shutdown();
            }
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.shutdownNow();
        synchronized (lock) {
            if (clients != null) {
                clients.close();
            }
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private static String workerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
