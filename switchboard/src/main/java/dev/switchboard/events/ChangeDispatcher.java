package dev.switchboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import dev.switchboard.history.Message;

/**
 * Turns stream records into {@link MessageChange}s and hands each to every {@link MessageChangeListener}. A failing
 * listener is logged and skipped: it owns its retries, and the others must not wait for it.
 * <p>
 * One shard carries every conversation (DynamoDB Local has one per table), so handling its records one after another
 * caps the whole system at one record per listener round trip. The records of one conversation stay in order, one after
 * another on one thread; different conversations of a batch run side by side on a bounded pool
 * ({@link EventsConfig#parallelism()}), and the batch is done (and checkpointed) when all are.
 */
@ApplicationScoped
public class ChangeDispatcher {

    private static final Logger LOG = Logger.getLogger(ChangeDispatcher.class);

    private final Supplier<List<MessageChangeListener>> listenerBeans;
    private final MeterRegistry metrics;
    private final Timer lag;
    private final ExecutorService pool;
    private List<MessageChangeListener> listeners;

    @Inject
    ChangeDispatcher(@Any Instance<MessageChangeListener> listenerBeans, MeterRegistry metrics, EventsConfig config) {
        this(() -> listenerBeans.stream().toList(), metrics, config.parallelism());
    }

    ChangeDispatcher(Supplier<List<MessageChangeListener>> listenerBeans, MeterRegistry metrics, int parallelism) {
        this.listenerBeans = listenerBeans;
        this.metrics = metrics;
        this.pool = parallelism > 1 ? Executors.newFixedThreadPool(parallelism, threads()) : null;
        this.lag = Timer.builder("switchboard.events.lag")
                .description("From a message's write (its updatedAt, else createdAt, else the stream's second-precision"
                        + " creation time) to its handling on this instance")
                .publishPercentiles(0.5, 0.9, 0.99).register(metrics);
    }

    /**
     * Dispatches the records, each conversation's in order, and returns when all are handled. Never throws for a
     * listener's failure.
     */
    void dispatch(List<Record> records) {
        List<MessageChangeListener> targets = listeners();
        List<List<MessageChange>> groups = byConversation(records);
        if (pool == null || groups.size() < 2) {
            groups.forEach(group -> handle(group, targets));
        } else {
            List<CompletableFuture<Void>> running = new ArrayList<>(groups.size());
            for (List<MessageChange> group : groups) {
                running.add(CompletableFuture.runAsync(() -> handle(group, targets), pool));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        }
        for (MessageChangeListener listener : targets) {
            if (listener instanceof MessageBatchListener batch) {
                try {
                    batch.afterBatch();
                } catch (RuntimeException e) {
                    failed(listener, e, "the end of a batch of " + records.size() + " records");
                }
            }
        }
    }

    /** The batch's changes grouped by conversation, in the order of each group's first record. */
    static List<List<MessageChange>> byConversation(List<Record> records) {
        Map<String, List<MessageChange>> groups = new LinkedHashMap<>();
        for (Record record : records) {
            MessageChange change = toChange(record);
            String key = change.conversation() == null ? "" : change.conversation();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(change);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * One conversation's changes, listener by listener: the projection applies all of them (one summary write) before
     * routing reads any.
     */
    private void handle(List<MessageChange> changes, List<MessageChangeListener> targets) {
        Instant now = Instant.now();
        for (MessageChange change : changes) {
            lag.record(Duration.between(writtenAt(change), now));
            metrics.counter("switchboard.events", "event", change.eventName()).increment();
        }
        for (MessageChangeListener listener : targets) {
            if (listener instanceof MessageBatchListener batch) {
                try {
                    batch.onMessageChanges(changes);
                } catch (RuntimeException e) {
                    failed(listener, e, changes.size() + " changes of " + changes.get(0).conversation());
                }
                continue;
            }
            for (MessageChange change : changes) {
                try {
                    listener.onMessageChange(change);
                } catch (RuntimeException e) {
                    failed(listener, e, change.eventName() + " of " + change.conversation() + "/" + change.messageId()
                            + " (event " + change.eventId() + ")");
                }
            }
        }
    }

    private void failed(MessageChangeListener listener, RuntimeException e, String what) {
        metrics.counter("switchboard.events.listener.failures", "listener", name(listener)).increment();
        LOG.errorf(e, "listener %s failed on %s", name(listener), what);
    }

    @PreDestroy
    void stop() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "switchboard-events-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Resolved once: the set of beans is fixed at build time, and resolving per record would create a new instance of
     * every {@code @Dependent} listener each time.
     */
    private synchronized List<MessageChangeListener> listeners() {
        if (listeners == null) {
            listeners = listenerBeans.get().stream()
                    .sorted(java.util.Comparator.comparingInt(MessageChangeListener::order)).toList();
            LOG.debugf("message change listeners: %s", listeners.stream().map(ChangeDispatcher::name).toList());
        }
        return listeners;
    }

    static MessageChange toChange(Record record) {
        StreamRecord stream = record.dynamodb();
        Map<String, AttributeValue> keys = stream.hasKeys() ? stream.keys() : Map.of();
        Map<String, AttributeValue> image = stream.hasNewImage() ? stream.newImage() : Map.of();
        return new MessageChange(stream.sequenceNumber(), record.eventNameAsString(),
                string(keys, Message.CONVERSATION), string(keys, Message.ID), image,
                stream.approximateCreationDateTime());
    }

    /**
     * The stream's creation time has whole seconds only, which would swamp a lag of tens of milliseconds; the message's
     * own timestamps are exact.
     */
    static Instant writtenAt(MessageChange change) {
        // The attribute names Message writes; a change without them (another writer) falls back to the stream's time.
        for (String attribute : List.of("updatedAt", "createdAt")) {
            AttributeValue value = change.newImage().get(attribute);
            if (value != null && value.n() != null) {
                try {
                    return Instant.ofEpochMilli(Long.parseLong(value.n()));
                } catch (NumberFormatException notMillis) {
                    // Fall through to the next source.
                }
            }
        }
        return change.approximateCreation() != null ? change.approximateCreation() : Instant.now();
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static String name(MessageChangeListener listener) {
        String name = listener.getClass().getName();
        // Normal-scoped beans come as client proxies; the bean class is more telling.
        int proxy = name.indexOf("_ClientProxy");
        return proxy > 0 ? name.substring(0, proxy) : name;
    }
}
