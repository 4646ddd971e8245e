package dev.switchboard.outbound;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import dev.switchboard.agents.Agent;
import dev.switchboard.agents.AgentStore;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.ConversationEvents;
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
    private final ConversationEvents events;
    private final AgentStore agents;

    /** Reads and tries of the conversation while others change it. */
    private static final int ATTEMPTS = 3;

    ConversationStarter(HistoryStore history, RoutingStore routing, Router router, OutboundService outbound,
            TwilioConfig twilio, WebhookConfig limits, Attachments attachments, ConversationEvents events,
            AgentStore agents) {
        this.attachments = attachments;
        this.events = events;
        this.agents = agents;
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
        Conversation now = history.conversation(id).orElse(null);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            refuseIfClosedTo(agent, now);
            if (now != null && now.state() == Conversation.State.ASSIGNED && agent.equals(now.agent())) {
                return outbound.reply(agent, id, body, clientId, media); // already theirs: just the text
            }
            // Taking a closed conversation writes the history's "reopened" marker in the same transaction.
            TransactWriteItem marker = now != null && now.state() == Conversation.State.CLOSED
                    ? events.reopenedBy(id, agent, agents.find(agent).map(Agent::displayName).orElse(agent)) : null;
            RoutingStore.Assignment result = routing.start(id, business, customer, agent, marker);
            if (result == RoutingStore.Assignment.AGENT_UNAVAILABLE) {
                throw new AgentActionRefused("agent_unavailable",
                        "you have no room for another conversation; resolve one or raise your capacity");
            }
            if (result == RoutingStore.Assignment.ASSIGNED) {
                router.sendAssigned(id, agent);
                return outbound.reply(agent, id, body, clientId, media);
            }
            // Someone got there first, the customer wrote (reopening it) or opted out meanwhile: read it again.
            now = history.conversation(id).orElse(null);
        }
        throw new AgentActionRefused("not_assigned",
                "the conversation with " + customer + " could not be opened just now; try again");
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
