package dev.switchboard.projection;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.events.MessageChange;
import dev.switchboard.events.MessageChangeListener;
import dev.switchboard.history.ConversationProjectionStore;
import dev.switchboard.history.ConversationProjectionStore.Applied;
import dev.switchboard.history.Message;
import dev.switchboard.history.StoredSentiment;

/**
 * Keeps conversation summaries as a projection of the messages stream: each message's INSERT is applied to its
 * conversation once, before routing reads it ({@link MessageChangeListener#PROJECTION}). The console's score of a
 * customer message (its MODIFY adding {@code sentiment}) updates the conversation's negativity, which routing reads.
 * Other later changes of a message (statuses, media) leave the summary as it is. A customer's message to a closed
 * conversation reopens it, and its history gets a {@code reopened} marker in the same transaction.
 */
@ApplicationScoped
public class ConversationProjection implements MessageChangeListener {

    private static final Logger LOG = Logger.getLogger(ConversationProjection.class);

    private static final int ATTEMPTS = 5;

    private final ConversationProjectionStore store;
    private final MeterRegistry metrics;

    ConversationProjection(ConversationProjectionStore store, MeterRegistry metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public int order() {
        return PROJECTION;
    }

    /**
     * Routing and agents read the summary next, so a storage hiccup is waited out here (briefly: the stream would stall
     * behind it) rather than left to the next delivery, which may never come once the batch is checkpointed.
     */
    private Applied applyPatiently(Message message, String eventId) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return store.apply(message, eventId);
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("projecting %s of %s failed (attempt %d): %s", message.id(), message.conversation(),
                        attempt + 1, e.getMessage());
                pause(100L << attempt);
            }
        }
        throw last;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while projecting", e);
        }
    }

    @Override
    public void onMessageChange(MessageChange change) {
        if (change.newImage() == null || change.newImage().isEmpty()) {
            return;
        }
        if ("MODIFY".equals(change.eventName()) && StoredSentiment.isScoreWrite(change.newImage())) {
            Message scored = Message.from(change.newImage());
            if (scored.direction() == Message.Direction.INBOUND) {
                Applied applied = store.applyScore(scored, scored.sentiment());
                metrics.counter("switchboard.projection.scores", "outcome", applied.name().toLowerCase()).increment();
            }
            return;
        }
        if (!"INSERT".equals(change.eventName())) {
            return;
        }
        Message message = Message.from(change.newImage());
        if (message.direction() == Message.Direction.EVENT) {
            return; // a resolve or reopen marker, written with the state change it records
        }
        Applied applied = applyPatiently(message, change.eventId());
        metrics.counter("switchboard.projection", "outcome", applied.name().toLowerCase()).increment();
        if (applied == Applied.ALREADY_APPLIED) {
            LOG.debugf("message %s of %s was projected before (event %s)", message.id(), message.conversation(),
                    change.eventId());
        }
    }
}
