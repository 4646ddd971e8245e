package dev.switchboard.outbound;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageStatus;
import dev.switchboard.twilio.TwilioSender;

/**
 * Sends queued replies through Twilio. The message is claimed first, so a change event seen twice sends one SMS; the
 * send runs on a small pool so a slow Twilio never holds up the stream. Every outcome is recorded on the message.
 */
@ApplicationScoped
public class OutboundDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboundDispatcher.class);
    /** Twilio: "Attempt to send to unsubscribed recipient". */
    static final int UNSUBSCRIBED = 21610;

    private final HistoryStore history;
    private final TwilioSender twilio;
    private final MeterRegistry metrics;
    private final ThreadPoolExecutor senders;

    OutboundDispatcher(HistoryStore history, TwilioSender twilio, MeterRegistry metrics) {
        this.history = history;
        this.twilio = twilio;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), runnable -> {
            Thread thread = new Thread(runnable, "outbound-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void dispatch(Message message) {
        if (!MessageStatus.QUEUED.wire().equals(message.status())) {
            return;
        }
        try {
            senders.execute(() -> send(message));
        } catch (RejectedExecutionException full) {
            history.recordSendFailure(message.conversation(), message.id(), null,
                    "too many replies waiting to be sent");
        }
    }

    void send(Message message) {
        if (!history.claimDispatch(message.conversation(), message.id())) {
            return;
        }
        try {
            TwilioSender.Accepted accepted = twilio.send(message.from(), message.to(), message.body());
            history.recordAccepted(message.conversation(), message.id(), accepted.sid(),
                    MessageStatus.fromWire(accepted.status()).orElse(MessageStatus.QUEUED));
            metrics.counter("switchboard.outbound", "outcome", "accepted").increment();
        } catch (TwilioSender.Refused e) {
            LOG.infof("Twilio refused a reply in %s: %s %s", message.conversation(), e.code(), e.getMessage());
            history.recordSendFailure(message.conversation(), message.id(), e.code(), e.getMessage());
            if (e.code() != null && e.code() == UNSUBSCRIBED) {
                history.setOptedOut(message.conversation(), true);
            }
            metrics.counter("switchboard.outbound", "outcome", "refused").increment();
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not send a reply in %s", message.conversation());
            history.recordSendFailure(message.conversation(), message.id(), null,
                    "could not reach Twilio: " + e.getMessage());
            metrics.counter("switchboard.outbound", "outcome", "failed").increment();
        }
    }

    @PreDestroy
    void drain() {
        senders.shutdown();
        try {
            senders.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
