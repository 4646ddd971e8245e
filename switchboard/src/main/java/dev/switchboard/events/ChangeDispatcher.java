package dev.switchboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

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
 */
@ApplicationScoped
public class ChangeDispatcher {

    private static final Logger LOG = Logger.getLogger(ChangeDispatcher.class);

    private final Instance<MessageChangeListener> listenerBeans;
    private final MeterRegistry metrics;
    private final Timer lag;
    private List<MessageChangeListener> listeners;

    ChangeDispatcher(@Any Instance<MessageChangeListener> listenerBeans, MeterRegistry metrics) {
        this.listenerBeans = listenerBeans;
        this.metrics = metrics;
        this.lag = Timer.builder("switchboard.events.lag")
                .description("From a message's write (its updatedAt, else createdAt, else the stream's second-precision"
                        + " creation time) to its handling on this instance")
                .publishPercentiles(0.5, 0.9, 0.99).register(metrics);
    }

    /** Dispatches the records in order. Never throws for a listener's failure. */
    void dispatch(List<Record> records) {
        List<MessageChangeListener> targets = listeners();
        for (Record record : records) {
            MessageChange change = toChange(record);
            Instant now = Instant.now();
            lag.record(Duration.between(writtenAt(change), now));
            metrics.counter("switchboard.events", "event", change.eventName()).increment();
            for (MessageChangeListener listener : targets) {
                try {
                    listener.onMessageChange(change);
                } catch (RuntimeException e) {
                    metrics.counter("switchboard.events.listener.failures", "listener", name(listener)).increment();
                    LOG.errorf(e, "listener %s failed on %s of %s/%s (event %s)", name(listener), change.eventName(),
                            change.conversation(), change.messageId(), change.eventId());
                }
            }
        }
    }

    /**
     * Resolved once: the set of beans is fixed at build time, and resolving per record would create a new instance of
     * every {@code @Dependent} listener each time.
     */
    private synchronized List<MessageChangeListener> listeners() {
        if (listeners == null) {
            listeners = listenerBeans.stream().sorted(java.util.Comparator.comparingInt(MessageChangeListener::order))
                    .toList();
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
