package dev.switchboard.outbound;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.history.Conversation;
import dev.switchboard.history.ConversationKey;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.routing.Router;
import dev.switchboard.routing.RoutingStore;
import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.twilio.WebhookConfig;

/**
 * An agent texts a customer first: the conversation with that number is opened (or reopened, from waiting or closed) as
 * the caller's, counting against their capacity, then the first text is stored as an ordinary reply, which the stream
 * sends. Nothing changes when the number opted out, the conversation is another agent's, or the agent is full.
 */
@ApplicationScoped
public class ConversationStarter {

    private final HistoryStore history;
    private final RoutingStore routing;
    private final Router router;
    private final OutboundService outbound;
    private final TwilioConfig twilio;
    private final WebhookConfig limits;
    private final Attachments attachments;

    ConversationStarter(HistoryStore history, RoutingStore routing, Router router, OutboundService outbound,
            TwilioConfig twilio, WebhookConfig limits, Attachments attachments) {
        this.attachments = attachments;
        this.history = history;
        this.routing = routing;
        this.router = router;
        this.outbound = outbound;
        this.twilio = twilio;
        this.limits = limits;
    }

    /**
     * @throws AgentActionRefused
     *             {@code bad_request} (not E.164), {@code empty_body} / {@code body_too_long}, {@code bad_media},
     *             {@code opted_out}, {@code not_assigned} (another agent holds it), {@code agent_unavailable} (no room)
     */
    public Message start(String agent, String customer, String text, String clientId, List<String> mediaIds) {
        if (!ConversationKey.isPhoneNumber(customer)) {
            throw new AgentActionRefused("bad_request", "customer must be an E.164 number like +15551234567");
        }
        String body = text == null ? "" : text;
        boolean withMedia = mediaIds != null && !mediaIds.isEmpty();
        if (body.isBlank() && !withMedia) {
            throw new AgentActionRefused("empty_body", "the first text needs some text or a picture");
        }
        int characters = body.codePointCount(0, body.length());
        if (characters > limits.maxBodyCharacters()) {
            throw new AgentActionRefused("body_too_long",
                    "a text has at most " + limits.maxBodyCharacters() + " characters; this one has " + characters);
        }
        // Checked before the conversation is opened: a bad picture leaves everything as it was.
        List<MediaItem> media = attachments.resolve(agent, mediaIds);
        String business = twilio.businessNumber();
        String id = new ConversationKey(business, customer).id();
        Conversation before = history.conversation(id).orElse(null);
        refuseIfClosedTo(agent, before);
        boolean alreadyMine = before != null && before.state() == Conversation.State.ASSIGNED
                && agent.equals(before.agent());
        if (!alreadyMine) {
            RoutingStore.Assignment result = routing.start(id, business, customer, agent);
            if (result == RoutingStore.Assignment.AGENT_UNAVAILABLE) {
                throw new AgentActionRefused("agent_unavailable",
                        "you have no room for another conversation; resolve one or raise your capacity");
            }
            if (result == RoutingStore.Assignment.CONVERSATION_TAKEN) {
                // Someone got there first, or the customer opted out meanwhile: say which.
                Conversation now = history.conversation(id).orElse(null);
                refuseIfClosedTo(agent, now);
                if (now == null || !(now.state() == Conversation.State.ASSIGNED && agent.equals(now.agent()))) {
                    throw new AgentActionRefused("not_assigned",
                            "the conversation with " + customer + " could not be opened just now; try again");
                }
            } else {
                router.sendAssigned(id, agent);
            }
        }
        return outbound.reply(agent, id, body, clientId, media);
    }

    private static void refuseIfClosedTo(String agent, Conversation conversation) {
        if (conversation == null) {
            return;
        }
        if (conversation.optedOut()) {
            throw new AgentActionRefused("opted_out", conversation.customer()
                    + " has opted out (texted STOP); they must text START before they can be messaged");
        }
        if (conversation.state() == Conversation.State.ASSIGNED && !agent.equals(conversation.agent())) {
            throw new AgentActionRefused("not_assigned",
                    "the conversation with " + conversation.customer() + " is another agent's");
        }
    }
}
