package dev.switchboard.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the read API returns: stored items shaped for clients, media as presigned URLs. */
public final class HistoryViews {

    private HistoryViews() {
    }

    /** One conversation in a list. */
    public record ConversationView(String conversation, String business, String customer, String state,
            Instant stateSince, String lastMessageId, Instant lastMessageAt, String lastMessagePreview,
            String lastDirection, Instant lastInboundAt, long unread, long messageCount, String agent, boolean optedOut,
            int negativity, String priority) {

        /**
         * {@code priority} says why a conversation may go before older ones: {@code negative} when its customer's
         * recent stored scores are negative (routing boosts it), else null.
         */
        public static ConversationView of(Conversation c) {
            return new ConversationView(c.id(), c.business(), c.customer(), c.state().wire(), c.stateSince(),
                    c.lastMessageId(), c.lastMessageAt(), c.lastMessagePreview(),
                    c.lastDirection() == null ? null : c.lastDirection().wire(), c.lastInboundAt(), c.unread(),
                    c.messageCount(), c.agent(), c.optedOut(), c.negativity(), c.negativity() > 0 ? "negative" : null);
        }
    }

    /** A page of conversations; {@code next} is the cursor for the following page. */
    public record ConversationPage(List<ConversationView> conversations, String next) {
    }

    /** One attachment; {@code url} is a presigned link while it is stored. */
    public record MediaView(int index, String contentType, String state, String url, Long size, String reason) {
    }

    /** One message. */
    public record MessageView(String id, String conversation, String direction, String from, String to, String body,
            String twilioSid, String status, Instant createdAt, Instant updatedAt, List<MediaView> media,
            Map<String, String> details, String agent, Integer errorCode, String errorMessage,
            Map<String, Instant> statusTimes, String reason, SentimentView sentiment) {
    }

    /** A customer message's stored score (see {@link StoredSentiment}); absent until the console scored it. */
    public record SentimentView(String label, Integer score, String flag, String model) {

        public static SentimentView of(StoredSentiment stored) {
            return stored == null ? null
                    : new SentimentView(stored.label(), stored.score(), stored.flag(), stored.model());
        }
    }

    /** A page of messages, newest first; {@code next} is the {@code before} value for older ones. */
    public record MessagePage(List<MessageView> messages, String next) {
    }
}
