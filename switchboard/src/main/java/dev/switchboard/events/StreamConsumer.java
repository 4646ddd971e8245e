package dev.switchboard.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
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

import dev.switchboard.history.HistoryConfig;

/**
 * Runs this instance's KCL worker on the messages table's stream. Workers of all instances share the stream's shards
 * through leases in DynamoDB: each change is dispatched by the one instance holding its shard, and a dead instance's
 * shards move to a live one once its leases expire. Start-up happens on a thread of its own because the KCL takes
 * seconds before it holds a lease; the service does not wait for it.
 */
@ApplicationScoped
public class StreamConsumer {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);

    private final EventsConfig config;
    private final HistoryConfig history;
    /** {@code switchboard.startup.create-resources}, read by name so that events depends on no operations code. */
    private final boolean createResources;
    private final ChangeDispatcher dispatcher;
    private final EventsClients.Settings settings;
    private final AtomicInteger activeShards = new AtomicInteger();
    private final String workerId = workerId();

    private final Object lock = new Object();
    private boolean stopping;
    private Scheduler scheduler;
    private Thread thread;
    private EventsClients clients;

    StreamConsumer(EventsConfig config, HistoryConfig history,
            @ConfigProperty(name = "switchboard.startup.create-resources", defaultValue = "false") boolean createResources,
            ChangeDispatcher dispatcher, MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.dynamodb.endpoint-override") Optional<URI> endpoint,
            @ConfigProperty(name = "quarkus.dynamodb.aws.region") Optional<String> region,
            @ConfigProperty(name = "quarkus.dynamodb.aws.credentials.type") Optional<String> credentialsType,
            @ConfigProperty(name = "quarkus.dynamodb.aws.credentials.static-provider.access-key-id") Optional<String> keyId,
            @ConfigProperty(name = "quarkus.dynamodb.aws.credentials.static-provider.secret-access-key") Optional<String> secret) {
        this.config = config;
        this.history = history;
        this.createResources = createResources;
        this.dispatcher = dispatcher;
        this.settings = new EventsClients.Settings(endpoint, region, credentialsType, keyId, secret);
        metrics.gauge("switchboard.events.shards", activeShards);
    }

    /** After {@code StartupResources} (default priority), so that in dev and test the table and its stream exist. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("message events are off (switchboard.events.enabled=false)");
            return;
        }
        synchronized (lock) {
            thread = new Thread(this::run, "switchboard-events");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        while (!isStopping()) {
            try {
                runScheduler();
            } catch (RuntimeException e) {
                LOG.errorf(e, "message events stopped; starting again in %s", config.restartDelay());
            }
            if (!isStopping()) {
                pause(config.restartDelay());
            }
        }
    }

    private void runScheduler() {
        EventsClients built = clients();
        String tableArn = built.dynamo().describeTable(table -> table.tableName(history.messagesTable())).join().table()
                .latestStreamArn();
        if (tableArn == null) {
            throw new IllegalStateException("table " + history.messagesTable() + " has no stream");
        }
        if (createResources) {
            LeaseTable.createIfMissing(built.dynamo(), config.applicationName());
        }
        try (AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(
                built.streams(tableArn), built.region())) {
            Scheduler created = scheduler(config.applicationName(), built, adapter, tableArn);
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                scheduler = created;
            }
            if (config.firstLeases()) {
                FirstLeases.createIfTableEmpty(created);
            }
            LOG.infof("consuming %s as worker %s (lease table %s)", tableArn, workerId, config.applicationName());
            // Returns when shut down, or when it gave up initialising.
            created.run();
        }
    }

    private synchronized EventsClients clients() {
        if (clients == null) {
            clients = new EventsClients(settings);
        }
        return clients;
    }

    /** This instance's KCL worker under the given application name (tests use names of their own). */
    Scheduler scheduler(String applicationName, EventsClients built, AmazonDynamoDBStreamsAdapterClient adapter,
            String tableArn) {
        String streamArn = LocalStreamArns.isLocal(tableArn) ? LocalStreamArns.forKcl(tableArn) : tableArn;
        InitialPositionInStreamExtended start = InitialPositionInStreamExtended
                .newInitialPosition(config.initialPosition() == EventsConfig.InitialPosition.LATEST
                        ? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON);
        StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(streamArn, start);
        ConfigsBuilder configs = new ConfigsBuilder(tracker, applicationName, adapter, built.dynamo(),
                built.cloudWatch(), workerId, () -> new ShardProcessor(dispatcher, activeShards));

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(config.failoverTime().toMillis())
                .leaseAssignmentIntervalMillis(config.leaseAssignmentInterval().toMillis())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(config.leaderLeaseDuration().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(config.leaderHeartbeat().toMillis())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                // The idle time after each shard sync. The adapter sets 0 too, but only after its lease management
                // factory has copied the KCL default of 60 s, which then delays the very first start by a minute.
                .shardSyncIntervalMillis(0)
                // The adapter does no hole tracking and would reset this itself, with a warning.
                .leasesRecoveryAuditorInconsistencyConfidenceThreshold(0);
        leases.workerUtilizationAwareAssignmentConfig()
                .workerMetricsReporterFreqInMillis(config.workerMetricsInterval().toMillis())
                .inMemoryWorkerMetricsCaptureFrequencyMillis(config.workerMetricsCaptureInterval().toMillis());

        // The adapter requires this and would set it itself, with a warning.
        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .skipShardSyncAtWorkerInitializationIfLeasesExist(true)
                .shardConsumerDispatchPollIntervalMillis(config.dispatchInterval().toMillis());

        DynamoDBStreamsPollingConfig polling = new DynamoDBStreamsPollingConfig(adapter);
        polling.idleTimeBetweenReadsInMillis(config.pollInterval().toMillis());
        polling.maxRecords(config.maxRecords());
        RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(polling);

        // The production role may not put CloudWatch metrics, and the service has its own.
        return StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leases,
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsFactory(new NullMetricsFactory()).metricsLevel(MetricsLevel.NONE),
                configs.processorConfig(), retrieval, adapter);
    }

    /** Checkpoints and hands the leases over, so another instance carries on within seconds rather than a failover. */
    void onStop(@Observes ShutdownEvent event) {
        Scheduler running;
        Thread worker;
        synchronized (lock) {
            stopping = true;
            running = scheduler;
            worker = thread;
        }
        if (running != null && activeShards.get() == 0) {
            // Nothing to hand over; a graceful shutdown would wait for an initialisation that may take seconds.
            running.shutdown();
        } else if (running != null) {
            try {
                running.startGracefulShutdown().get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warnf("the KCL worker did not hand over within %s; stopping it", config.shutdownTimeout());
                running.shutdown();
            } catch (ExecutionException e) {
                LOG.warn("graceful shutdown of the KCL worker failed; stopping it", e.getCause());
                running.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.shutdown();
            }
        }
        if (worker != null) {
            if (running == null) {
                // Still looking for the stream or waiting to retry: nothing to hand over, just wake it.
                worker.interrupt();
            }
            try {
                worker.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
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

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unique per process, and telling in the lease table which instance holds what. */
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
