package dev.switchboard.delivery;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.switchboard.history.HistoryViews.ConversationView;
import dev.switchboard.history.HistoryViews.MediaView;
import dev.switchboard.history.HistoryViews.MessageView;
import dev.switchboard.history.HistoryViews.SentimentView;

/**
 * What the switchboard sends agents over their WebSocket. Each frame names its {@code type}.
 * <p>
 * Frames are written by our own ObjectMapper, not by a REST endpoint, so no build step sees their types: a native image
 * needs them registered for reflection, or Jackson would find no accessors there.
 */
@RegisterForReflection(targets = { Frames.Assigned.class, Frames.Update.class, Frames.Status.class,
        Frames.Unassigned.class, Frames.PresenceFrame.class, Frames.Error.class, Frames.Read.class,
        ConversationView.class, MessageView.class, MediaView.class, Frames.Sentiment.class, SentimentView.class })
public final class Frames {

    private Frames() {
    }

    /** A conversation is now the agent's, with its recent history (oldest first). */
    public record Assigned(String type, String conversation, String customer, ConversationView summary,
            List<MessageView> history) {
        public Assigned(ConversationView summary, List<MessageView> history) {
            this("assigned", summary.conversation(), summary.customer(), summary, history);
        }
    }

    /** A new or changed message in one of the agent's conversations. */
    public record Update(String type, String conversation, MessageView message, boolean optedOut) {
        public Update(String conversation, MessageView message, boolean optedOut) {
            this("update", conversation, message, optedOut);
        }
    }

    /**
     * The console's stored score of a customer message, sent when the score is written onto the message (its change
     * event), so every agent sees the one score the whole system uses.
     */
    public record Sentiment(String type, String conversation, String messageId, java.time.Instant createdAt,
            SentimentView sentiment) {
        public Sentiment(String conversation, String messageId, java.time.Instant createdAt, SentimentView sentiment) {
            this("sentiment", conversation, messageId, createdAt, sentiment);
        }
    }

    /**
     * The delivery status of one of the agent's replies moved forward. {@code reason} is machine-readable where Twilio
     * gave no code, e.g. {@code unknown_outcome} for a reply whose sending was interrupted by a crash.
     */
    public record Status(String type, String conversation, String messageId, String status, Integer errorCode,
            String errorMessage, String reason) {
        public Status(String conversation, String messageId, String status, Integer errorCode, String errorMessage,
                String reason) {
            this("status", conversation, messageId, status, errorCode, errorMessage, reason);
        }
    }

    /** A conversation is no longer the agent's: {@code resolved}, {@code transferred} or {@code expired}. */
    public record Unassigned(String type, String conversation, String reason) {
        public Unassigned(String conversation, String reason) {
            this("unassigned", conversation, reason);
        }
    }

    /** The agent's own presence, after they change it or reconnect. */
    public record PresenceFrame(String type, String agent, String presence, int capacity, int load) {
        public PresenceFrame(String agent, String presence, int capacity, int load) {
            this("presence", agent, presence, capacity, load);
        }
    }

    /** The agent read a conversation (on any of their sockets): its unread count is now {@code unread}. */
    public record Read(String type, String conversation, long unread) {
        public Read(String conversation) {
            this("read", conversation, 0);
        }
    }

    /** A command was refused; nothing changed. */
    public record Error(String type, String code, String reason) {
        public Error(String code, String reason) {
            this("error", code, reason);
        }
    }
}
