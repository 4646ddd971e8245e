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

import dev.switchboard.events.MessageChange;
import dev.switchboard.events.MessageChangeListener;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.Message;
import dev.switchboard.history.WorkStore;
import dev.switchboard.routing.InstanceId;
import dev.switchboard.twilio.TwilioSender;

/**
 * Sends stored replies through Twilio. A new reply's INSERT puts it on a small pool at once; the {@link ReplySweeper}
 * catches any the pool never got to (a crash, a full queue). Either way a reply is first claimed with a lease, then
 * marked as being sent, then handed to Twilio: a crash before the mark leaves it to be claimed again, a crash after it
 * is settled as {@code failed/unknown_outcome}, never sent twice.
 */
@ApplicationScoped
public class ReplySender implements MessageChangeListener {

    private static final Logger LOG = Logger.getLogger(ReplySender.class);
    /** Twilio: "Attempt to send to unsubscribed recipient". */
    static final int UNSUBSCRIBED = 21610;

    private final HistoryStore history;
    private final WorkStore work;
    private final TwilioSender twilio;
    private final InstanceId instance;
    private final OutboundConfig config;
    private final MeterRegistry metrics;
    private final ThreadPoolExecutor senders;

    private final Attachments attachments;

    ReplySender(HistoryStore history, WorkStore work, TwilioSender twilio, InstanceId instance, OutboundConfig config,
            MeterRegistry metrics, Attachments attachments) {
        this.attachments = attachments;
        this.history = history;
        this.work = work;
        this.twilio = twilio;
        this.instance = instance;
        this.config = config;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(config.senders(), config.senders(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueSize()), runnable -> {
                    Thread thread = new Thread(runnable, "outbound-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public void onMessageChange(MessageChange change) {
        if ("INSERT".equals(change.eventName()) && change.newImage() != null
                && HistoryStore.REPLY_WORK.equals(Message.owedWork(change.newImage()))) {
            submit(change.conversation(), change.messageId());
        }
    }

    /** Claims and sends the reply on the pool; returns at once. A full pool leaves it to the sweeper. */
    void submit(String conversation, String id) {
        try {
            senders.execute(() -> {
                try {
                    claimAndSend(conversation, id);
                } catch (RuntimeException e) {
                    // The claim, if taken, runs out and a sweeper settles the reply.
                    LOG.errorf(e, "sending %s of %s failed", id, conversation);
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.warnf("reply queue full; %s of %s is left to the sweeper", id, conversation);
        }
    }

    void claimAndSend(String conversation, String id) {
        long until = System.currentTimeMillis() + config.claimLease().toMillis();
        work.claim(conversation, id, HistoryStore.REPLY_WORK, instance.get(), until)
                .ifPresent(claim -> send(claim.message()));
    }

    private void send(Message message) {
        if (!work.markSending(message.conversation(), message.id(), instance.get(), config.claimLease())) {
            return; // the claim ran out before we got here; whoever holds it now sends
        }
        try {
            TwilioSender.Accepted accepted = twilio.send(message.from(), message.to(), message.body(),
                    attachments.twilioUrls(message));
            history.recordAccepted(message.conversation(), message.id(), accepted.sid(),
                    dev.switchboard.history.MessageStatus.fromWire(accepted.status())
                            .orElse(dev.switchboard.history.MessageStatus.QUEUED));
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
            // What is still queued after this is claimed by no one yet: the sweeper of any instance sends it.
            senders.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
