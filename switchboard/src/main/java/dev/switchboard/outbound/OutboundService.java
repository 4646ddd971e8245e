package dev.switchboard.outbound;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageIds;
import dev.switchboard.history.MessageStatus;
import dev.switchboard.twilio.WebhookConfig;

/** An agent's reply: checked, then stored as queued. The change event for it triggers the send. */
@ApplicationScoped
public class OutboundService {

    private final HistoryStore history;
    private final MessageIds ids;
    private final WebhookConfig limits;

    OutboundService(HistoryStore history, MessageIds ids, WebhookConfig limits) {
        this.history = history;
        this.ids = ids;
        this.limits = limits;
    }

    /**
     * @throws AgentActionRefused
     *             when the conversation is not the agent's, the customer opted out, or the body is bad
     */
    public Message reply(String agent, String conversationId, String body) {
        Conversation conversation = ownedBy(agent, conversationId);
        if (body == null || body.isBlank()) {
            throw new AgentActionRefused("empty_body", "a reply needs some text");
        }
        int characters = body.codePointCount(0, body.length());
        if (characters > limits.maxBodyCharacters()) {
            throw new AgentActionRefused("body_too_long",
                    "a reply has at most " + limits.maxBodyCharacters() + " characters; this one has " + characters);
        }
        if (conversation.optedOut()) {
            throw new AgentActionRefused("opted_out",
                    "the customer has opted out (texted STOP); they must text START before they can be messaged");
        }
        Instant now = Instant.now();
        String queued = MessageStatus.QUEUED.wire();
        Message message = new Message(conversation.id(), ids.next(), Message.Direction.OUTBOUND,
                conversation.business(), conversation.customer(), body, null, queued, now, now, List.of(), Map.of(),
                agent, null, null, Map.of(queued, now));
        history.recordOutbound(message);
        return message;
    }

    /** The conversation, if it is assigned to this agent. */
    public Conversation ownedBy(String agent, String conversationId) {
        if (conversationId == null || conversationId.isBlank()) {
            throw new AgentActionRefused("bad_request", "conversation is missing");
        }
        Conversation conversation = history.conversation(conversationId).orElseThrow(
                () -> new AgentActionRefused("not_assigned", "conversation " + conversationId + " is not yours"));
        if (conversation.state() != Conversation.State.ASSIGNED || !agent.equals(conversation.agent())) {
            throw new AgentActionRefused("not_assigned", "conversation " + conversationId + " is not yours");
        }
        return conversation;
    }
}
