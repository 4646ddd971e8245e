package dev.switchboard.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** DynamoDB tables and paging of conversation history. */
@ConfigMapping(prefix = "switchboard.history")
public interface HistoryConfig {

    /** Table with one item per message: partition = conversation, sort = time-ordered message id. */
    @WithDefault("switchboard-messages")
    String messagesTable();

    /** Table with one item per conversation: state, last message, unread count. */
    @WithDefault("switchboard-conversations")
    String conversationsTable();

    /**
     * Table mapping the Twilio SID of each sent reply to its message, for status callbacks. Written by the sender,
     * never on a webhook's path (inbound messages are keyed by their MessageSid instead).
     */
    @WithDefault("switchboard-message-sids")
    String sidsTable();

    /**
     * How long the stream-driven path has to claim owed work (a reply to send, media to fetch) before the sweepers look
     * at it. Sweepers pick up what the stream path missed (a crash, a full pool).
     */
    @WithDefault("30s")
    java.time.Duration streamGrace();

    /**
     * Message ids remembered on a conversation as already applied by the projection, so that a re-delivered stream
     * record changes nothing. A take-over re-delivers what came after the last checkpoint (one batch): this covers that
     * many messages of one conversation.
     */
    @WithDefault("64")
    int projectionMemory();

    /** Page size when a request names none. */
    @WithDefault("20")
    int defaultPageSize();

    /** Largest page a request may ask for. */
    @WithDefault("100")
    int maxPageSize();

    /** Length of the last-message preview kept on the conversation, in characters. */
    @WithDefault("160")
    int previewCharacters();
}
