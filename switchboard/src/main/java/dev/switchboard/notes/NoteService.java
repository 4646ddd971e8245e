package dev.switchboard.notes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageIds;
import dev.switchboard.outbound.AgentActionRefused;
import dev.switchboard.outbound.OutboundService;
import dev.switchboard.twilio.WebhookConfig;

/**
 * An agent's private note on a conversation: stored as one message item of direction {@code note} with one put, owing
 * no work, so it is never handed to Twilio. It is history like any message, so whoever holds the conversation later
 * reads it; the stream brings it to the current agent as an {@code update}.
 */
@ApplicationScoped
public class NoteService {

    private final HistoryStore history;
    private final OutboundService outbound;
    private final MessageIds ids;
    private final WebhookConfig limits;

    NoteService(HistoryStore history, OutboundService outbound, MessageIds ids, WebhookConfig limits) {
        this.history = history;
        this.outbound = outbound;
        this.ids = ids;
        this.limits = limits;
    }

    /**
     * @throws AgentActionRefused
     *             when the conversation is not the agent's or the body is empty or too long
     */
    public Message note(String agent, String conversationId, String body) {
        Conversation conversation = outbound.ownedBy(agent, conversationId);
        if (body == null || body.isBlank()) {
            throw new AgentActionRefused("empty_body", "a note needs some text");
        }
        int characters = body.codePointCount(0, body.length());
        if (characters > limits.maxBodyCharacters()) {
            throw new AgentActionRefused("body_too_long",
                    "a note has at most " + limits.maxBodyCharacters() + " characters; this one has " + characters);
        }
        Instant now = Instant.now();
        String seq = ids.next();
        // from/to name the agent's side and the customer only so that every message reads alike; nothing is sent.
        Message note = new Message(conversation.id(), seq, Message.Direction.NOTE, conversation.business(),
                conversation.customer(), body, null, Message.NOTE_STATUS, now, now, List.of(), Map.of(), agent, null,
                null, Map.of(Message.NOTE_STATUS, now), seq, null, null);
        history.recordNote(note);
        return note;
    }
}
