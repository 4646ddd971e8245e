package dev.switchboard.outbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageIds;
import dev.switchboard.history.MessageStatus;
import dev.switchboard.twilio.WebhookConfig;

/** An agent's reply: checked, then stored as queued with one put. The change event for it triggers the send. */
@ApplicationScoped
public class OutboundService {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

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
        return reply(agent, conversationId, body, null, List.of());
    }

    /**
     * @param clientId
     *            the client's idempotency id for this reply: a repeat (double click, resend after a reconnect) with the
     *            same id stores nothing new
     * @param media
     *            pictures to send with it, checked by {@link Attachments#resolve}; with pictures the text may be empty
     *
     * @return the reply as stored now (the one stored earlier when {@code clientId} repeats)
     */
    public Message reply(String agent, String conversationId, String body, String clientId, List<MediaItem> media) {
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new AgentActionRefused("bad_request", "clientId must be 1 to 64 letters, digits, '-' or '_'");
        }
        Conversation conversation = ownedBy(agent, conversationId);
        String seq = ids.next();
        return store(agent, conversation, body, media, clientId == null ? seq : replyId(agent, clientId), seq,
                Map.of());
    }

    /** The detail naming the failed reply a retry sends again. */
    public static final String RETRY_OF = "retryOf";

    /**
     * Sends a failed reply again as a new attempt: a new reply item (detail {@code retryOf} = the old id) and so a new
     * Twilio send; the old one stays as it is, failed. Its key derives from the old id, so a repeated retry of the same
     * reply stores one attempt.
     *
     * @throws AgentActionRefused
     *             when the conversation is not the agent's, the message is not a failed reply of it, or the customer
     *             opted out
     */
    public Message retry(String agent, String conversationId, String messageId) {
        Conversation conversation = ownedBy(agent, conversationId);
        if (messageId == null || messageId.isBlank()) {
            throw new AgentActionRefused("bad_request", "messageId is missing");
        }
        Message failed = history.message(conversation.id(), messageId)
                .filter(m -> m.direction() == Message.Direction.OUTBOUND)
                .orElseThrow(() -> new AgentActionRefused("bad_request", "no reply " + messageId + " here"));
        if (!MessageStatus.FAILED.wire().equals(failed.status())
                && !MessageStatus.UNDELIVERED.wire().equals(failed.status())) {
            throw new AgentActionRefused("not_failed",
                    "only a failed reply can be sent again; this one is " + failed.status());
        }
        return store(agent, conversation, failed.body(), failed.media(), replyId(agent, "retry\u0000" + failed.id()),
                ids.next(), Map.of(RETRY_OF, failed.id()));
    }

    private Message store(String agent, Conversation conversation, String text, List<MediaItem> media, String id,
            String seq, Map<String, String> details) {
        String body = text == null ? "" : text;
        if (body.isBlank() && media.isEmpty()) {
            throw new AgentActionRefused("empty_body", "a reply needs some text or a picture");
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
        Message message = new Message(conversation.id(), id, Message.Direction.OUTBOUND, conversation.business(),
                conversation.customer(), body, null, queued, now, now, List.copyOf(media), details, agent, null, null,
                Map.of(queued, now), seq, null, null);
        if (history.recordOutbound(message) == HistoryStore.Outcome.DUPLICATE) {
            return history.message(message.conversation(), message.id()).orElse(message);
        }
        return message;
    }

    /**
     * The key of a reply with a client idempotency id: the same agent, conversation (the partition) and id always give
     * the same key, so the second put fails its condition.
     */
    static String replyId(String agent, String clientId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((agent + "\u0000" + clientId).getBytes(StandardCharsets.UTF_8));
            return "R" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
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
