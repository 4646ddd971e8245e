package dev.switchboard.history;

import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The summary item of a conversation: where it stands and what was said last. Its messages are separate items.
 *
 * @param id
 *            conversation id
 * @param business
 *            the business number
 * @param customer
 *            the customer's number
 * @param state
 *            waiting for an agent, assigned to one, or closed
 * @param stateSince
 *            when it entered that state (the queue order of waiting conversations)
 * @param lastMessageId
 *            id of the newest message
 * @param lastMessageAt
 *            when the newest message was stored
 * @param lastMessagePreview
 *            the start of the newest message's text
 * @param lastDirection
 *            direction of the newest message
 * @param lastInboundAt
 *            when the customer last wrote
 * @param unread
 *            customer messages not yet read by an agent
 * @param messageCount
 *            messages in the conversation
 * @param negativity
 *            how negative the customer's last scored messages were, 0..100 (mean of the last
 *            {@link ConversationProjectionStore#RECENT_SCORES_KEPT} stored scores); raises a waiting conversation's
 *            priority
 */
public record Conversation(String id, String business, String customer, State state, Instant stateSince,
        String lastMessageId, Instant lastMessageAt, String lastMessagePreview, Message.Direction lastDirection,
        Instant lastInboundAt, long unread, long messageCount, String agent, String lastAgent, boolean optedOut,
        int negativity) {

    public enum State {
        WAITING, ASSIGNED, CLOSED;

        public String wire() {
            return name().toLowerCase();
        }

        public static State fromWire(String text) {
            for (State state : values()) {
                if (state.wire().equals(text)) {
                    return state;
                }
            }
            throw new IllegalArgumentException(text);
        }
    }

    public static final String ID = "conversation";
    public static final String BUSINESS = "business";
    public static final String CUSTOMER = "customer";
    public static final String AGENT = "agent";
    public static final String LAST_AGENT = "lastAgent";
    public static final String ASSIGNED_AT = "assignedAt";
    public static final String OPTED_OUT = "optedOut";
    static final String CONSENT_CHANGED_AT = "consentChangedAt";
    static final String HELP_REQUESTED_AT = "helpRequestedAt";
    public static final String STATE = "state";
    public static final String STATE_SINCE = "stateSince";
    static final String LAST_MESSAGE_ID = "lastMessageId";
    static final String LAST_MESSAGE_AT = "lastMessageAt";
    static final String LAST_MESSAGE_PREVIEW = "lastMessagePreview";
    static final String LAST_DIRECTION = "lastDirection";
    public static final String LAST_INBOUND_AT = "lastInboundAt";
    public static final String UNREAD = "unread";
    static final String MESSAGE_COUNT = "messageCount";
    public static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    public static final String NEGATIVITY = "negativity";

    /** Index listing conversations by state, oldest state change first. */
    public static final String BY_STATE_INDEX = "by-state";
    /** Sparse index of assigned conversations by agent: what an agent gets back on reconnect. */
    public static final String BY_AGENT_INDEX = "by-agent";

    public static Conversation from(Map<String, AttributeValue> item) {
        String direction = Attributes.string(item, LAST_DIRECTION);
        return new Conversation(Attributes.string(item, ID), Attributes.string(item, BUSINESS),
                Attributes.string(item, CUSTOMER), State.fromWire(Attributes.string(item, STATE)),
                instant(item, STATE_SINCE), Attributes.string(item, LAST_MESSAGE_ID), instant(item, LAST_MESSAGE_AT),
                Attributes.string(item, LAST_MESSAGE_PREVIEW),
                direction == null ? null : Message.Direction.valueOf(direction.toUpperCase()),
                instant(item, LAST_INBOUND_AT), Attributes.longOf(item, UNREAD), Attributes.longOf(item, MESSAGE_COUNT),
                Attributes.string(item, AGENT), Attributes.string(item, LAST_AGENT),
                item.containsKey(OPTED_OUT) && Boolean.TRUE.equals(item.get(OPTED_OUT).bool()),
                Attributes.intOf(item, NEGATIVITY));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        Long millis = Attributes.longOrNull(item, name);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
