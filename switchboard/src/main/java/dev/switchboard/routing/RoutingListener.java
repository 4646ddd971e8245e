package dev.switchboard.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.events.MessageBatchListener;
import dev.switchboard.events.MessageChange;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.ConversationProjectionStore;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.HistoryViews;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageStatus;

/**
 * Turns confirmed message writes into routing, after the conversation projection has applied them: a customer's message
 * goes to their conversation's agent, or queues it for one; a reply's status changes reach the agent; the console's
 * stored score of a customer message reaches the agent as a {@code sentiment} frame. Every step tolerates a repeated
 * event.
 */
@ApplicationScoped
public class RoutingListener implements MessageBatchListener {

    private static final Logger LOG = Logger.getLogger(RoutingListener.class);

    private final HistoryStore history;
    private final ConversationProjectionStore projection;
    private final HistoryService views;
    private final Router router;
    private final Delivery delivery;
    /** A customer was left waiting by a change since the last drain of a batch's end. */
    private final AtomicBoolean queued = new AtomicBoolean();

    RoutingListener(HistoryStore history, ConversationProjectionStore projection, HistoryService views, Router router,
            Delivery delivery) {
        this.history = history;
        this.projection = projection;
        this.views = views;
        this.router = router;
        this.delivery = delivery;
    }

    /**
     * Routes each change in turn; whether any of them left a customer waiting is remembered until the end of the stream
     * batch, when waiting conversations are assigned once ({@link #afterBatch()}): one pass over the queue and the free
     * agents per batch instead of one per conversation.
     */
    @Override
    public void onMessageChanges(List<MessageChange> changes) {
        for (MessageChange change : changes) {
            if (route(change)) {
                queued.set(true);
            }
        }
    }

    @Override
    public void afterBatch() {
        if (queued.getAndSet(false)) {
            try {
                router.drain();
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not assign waiting conversations after a stream batch");
            }
        }
    }

    /** Tells the conversation's agent; says whether the change left a customer waiting for one. */
    private boolean route(MessageChange change) {
        if ("REMOVE".equals(change.eventName()) || change.newImage() == null || change.newImage().isEmpty()) {
            return false;
        }
        try {
            Message message = Message.from(change.newImage());
            // The projection ran first and, for a new message, usually just wrote the summary: no need to read it.
            Conversation conversation = projection.projected(message.conversation(), change.eventId())
                    .or(() -> history.conversation(message.conversation())).orElse(null);
            if (conversation == null) {
                return false;
            }
            if (conversation.state() == Conversation.State.ASSIGNED) {
                tellAgent(conversation, message, change.eventName());
                return false;
            }
            return conversation.state() == Conversation.State.WAITING
                    && message.direction() == Message.Direction.INBOUND && "INSERT".equals(change.eventName());
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not route change %s of %s", change.eventId(), change.conversation());
            return false;
        }
    }

    private void tellAgent(Conversation conversation, Message message, String eventName) {
        if (message.direction() == Message.Direction.INBOUND && "MODIFY".equals(eventName)
                && message.sentiment() != null && message.sentiment().at() >= message.updatedAt().toEpochMilli()) {
            // The console's stored score arrived: the one score every agent and routing see.
            delivery.toAgent(conversation.agent(), new Frames.Sentiment(conversation.id(), message.id(),
                    message.createdAt(), HistoryViews.SentimentView.of(message.sentiment())));
            return;
        }
        if (message.direction() == Message.Direction.OUTBOUND && "MODIFY".equals(eventName)) {
            if (MessageStatus.QUEUED.wire().equals(message.status())) {
                return; // a send being claimed: nothing the agent sees has changed
            }
            delivery.toAgent(conversation.agent(), new Frames.Status(conversation.id(), message.id(), message.status(),
                    message.errorCode(), message.errorMessage(), message.reason()));
        } else {
            delivery.toAgent(conversation.agent(),
                    new Frames.Update(conversation.id(), views.view(message), conversation.optedOut()));
        }
    }
}
