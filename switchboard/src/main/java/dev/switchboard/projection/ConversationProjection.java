package dev.switchboard.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.events.MessageBatchListener;
import dev.switchboard.events.MessageChange;
import dev.switchboard.events.MessageChangeListener;
import dev.switchboard.history.ConversationProjectionStore;
import dev.switchboard.history.ConversationProjectionStore.Applied;
import dev.switchboard.history.ConversationProjectionStore.Applying;
import dev.switchboard.history.Message;
import dev.switchboard.history.StoredSentiment;

/**
 * Keeps conversation summaries as a projection of the messages stream: each message's INSERT is applied to its
 * conversation once, before routing reads it ({@link MessageChangeListener#PROJECTION}), with one write per
 * conversation per stream batch. The console's score of a customer message (its MODIFY adding {@code sentiment})
 * updates the conversation's negativity, which routing reads. Other later changes of a message (statuses, media) leave
 * the summary as it is. A customer's message to a closed conversation reopens it, and its history gets a
 * {@code reopened} marker in the same transaction.
 */
@ApplicationScoped
public class ConversationProjection implements MessageBatchListener {

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
    private int applyPatiently(String conversation, List<Applying> messages) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return store.applyAll(conversation, messages);
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("projecting %d messages of %s failed (attempt %d): %s", messages.size(), conversation,
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

    /**
     * Applies changes conversation by conversation (the dispatcher passes one conversation's): its INSERTs go into one
     * write of its summary, in stream order, and a stored score between them is applied in its place. A conversation
     * that cannot be projected is logged and counted; the others still are.
     */
    @Override
    public void onMessageChanges(List<MessageChange> changes) {
        Map<String, List<MessageChange>> byConversation = new LinkedHashMap<>();
        for (MessageChange change : changes) {
            if (change.newImage() != null && !change.newImage().isEmpty()) {
                byConversation.computeIfAbsent(change.conversation(), c -> new ArrayList<>()).add(change);
            }
        }
        byConversation.forEach((conversation, ofOne) -> {
            try {
                project(conversation, ofOne);
            } catch (RuntimeException e) {
                metrics.counter("switchboard.events.listener.failures", "listener", getClass().getName()).increment();
                LOG.errorf(e, "could not project %d changes of %s", ofOne.size(), conversation);
            }
        });
    }

    private void project(String conversation, List<MessageChange> changes) {
        List<Applying> inserts = new ArrayList<>();
        for (MessageChange change : changes) {
            if ("MODIFY".equals(change.eventName()) && StoredSentiment.isScoreWrite(change.newImage())) {
                Message scored = Message.from(change.newImage());
                if (scored.direction() == Message.Direction.INBOUND) {
                    // The score follows what came before it in the stream.
                    flush(conversation, inserts);
                    Applied applied = store.applyScore(scored, scored.sentiment(), change.eventId());
                    metrics.counter("switchboard.projection.scores", "outcome", applied.name().toLowerCase())
                            .increment();
                }
            } else if ("INSERT".equals(change.eventName())) {
                Message message = Message.from(change.newImage());
                if (message.direction() != Message.Direction.EVENT) {
                    // A resolve or reopen marker is written with the state change it records.
                    inserts.add(new Applying(message, change.eventId()));
                }
            }
        }
        flush(conversation, inserts);
    }

    private void flush(String conversation, List<Applying> inserts) {
        if (inserts.isEmpty()) {
            return;
        }
        int applied = applyPatiently(conversation, inserts);
        metrics.counter("switchboard.projection", "outcome", "applied").increment(applied);
        if (applied < inserts.size()) {
            metrics.counter("switchboard.projection", "outcome", "already_applied").increment(inserts.size() - applied);
            LOG.debugf("%d of %d messages of %s were projected before", inserts.size() - applied, inserts.size(),
                    conversation);
        }
        inserts.clear();
    }
}
