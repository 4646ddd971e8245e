package dev.switchboard.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Marks in a conversation's history where it was resolved and reopened: message items of direction {@code event} whose
 * {@code status} names the event ({@code resolved}, {@code reopened}), {@code agent} who did it (none: the customer)
 * and {@code details.agentName} their display name. A marker is never written on its own: it goes into the same
 * transaction as the state change it records (the resolve, the agent's start, the projection's reopen), with
 * {@code attribute_not_exists}, so it exists exactly when the change happened. The customer's reopen is keyed by the
 * message that reopened it, so a re-delivered stream record writes no second marker.
 */
@ApplicationScoped
public class ConversationEvents {

    public static final String RESOLVED = "resolved";
    public static final String REOPENED = "reopened";
    /** The display name of the agent who resolved or reopened, as it was then. */
    public static final String AGENT_NAME = "agentName";
    static final String CUSTOMER_REOPEN_PREFIX = "event-reopened-";

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final HistoryConfig config;
    private final MessageIds ids;

    ConversationEvents(HistoryConfig config, MessageIds ids) {
        this.config = config;
        this.ids = ids;
    }

    /** The marker an agent's resolve writes with its release of the conversation. */
    public TransactWriteItem resolvedBy(String conversation, String agent, String agentName) {
        return byAgent(conversation, RESOLVED, agent, agentName);
    }

    /** The marker an agent's {@code start} of a closed conversation writes with its assignment. */
    public TransactWriteItem reopenedBy(String conversation, String agent, String agentName) {
        return byAgent(conversation, REOPENED, agent, agentName);
    }

    private TransactWriteItem byAgent(String conversation, String kind, String agent, String agentName) {
        String seq = ids.next();
        return put(event(conversation, kind, seq, seq, Instant.now(), agent, agentName));
    }

    /**
     * The marker of a customer reopening a closed conversation with {@code message}: keyed by that message, placed just
     * before it in the history and stamped with its time.
     */
    TransactWriteItem reopenedByCustomer(Message message) {
        String seq = message.seq() == null ? ids.next() : justBefore(message.seq());
        return put(event(message.conversation(), REOPENED, CUSTOMER_REOPEN_PREFIX + message.id(), seq,
                message.createdAt(), null, null));
    }

    private TransactWriteItem put(Message event) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(config.messagesTable()).item(event.toItem())
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", Message.ID)).build())
                .build();
    }

    static Message event(String conversation, String kind, String id, String seq, Instant at, String agent,
            String agentName) {
        ConversationKey key = ConversationKey.parse(conversation);
        Map<String, String> details = new HashMap<>();
        if (agentName != null && !agentName.isBlank()) {
            details.put(AGENT_NAME, agentName);
        }
        return new Message(conversation, id, Message.Direction.EVENT, key.business(), key.customer(), "", null, kind,
                at, at, List.of(), Map.copyOf(details), agent, null, null, Map.of(kind, at), seq, null, null);
    }

    /**
     * The id one below a time-ordered id (same alphabet and length), so the marker sorts right before the message that
     * caused it.
     */
    static String justBefore(String seq) {
        char[] out = seq.toCharArray();
        for (int i = out.length - 1; i >= 0; i--) {
            int digit = indexOf(out[i]);
            if (digit > 0) {
                out[i] = ALPHABET[digit - 1];
                return new String(out);
            }
            out[i] = ALPHABET[ALPHABET.length - 1];
        }
        return seq; // all zeros: nothing sorts before it
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a time-ordered id: " + c);
    }
}
