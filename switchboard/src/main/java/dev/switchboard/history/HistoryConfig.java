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

    /** Table mapping each Twilio MessageSid to its message; makes webhook deliveries idempotent. */
    @WithDefault("switchboard-message-sids")
    String sidsTable();

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
