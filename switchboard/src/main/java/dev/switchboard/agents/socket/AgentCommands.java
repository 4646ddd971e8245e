package dev.switchboard.agents.socket;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.WebSocketConnection;

import dev.switchboard.agents.Agent;
import dev.switchboard.agents.AgentStore;
import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.ConversationEvents;
import dev.switchboard.history.ReadMarks;
import dev.switchboard.notes.NoteService;
import dev.switchboard.outbound.AgentActionRefused;
import dev.switchboard.outbound.Attachments;
import dev.switchboard.outbound.ConversationStarter;
import dev.switchboard.outbound.OutboundService;
import dev.switchboard.routing.Presence;
import dev.switchboard.routing.Router;
import dev.switchboard.routing.RoutingConfig;
import dev.switchboard.routing.RoutingStore;

/** What agents do over their socket: presence, replies, resolve and transfer. Each acts only on their own work. */
@ApplicationScoped
public class AgentCommands {

    private static final Logger LOG = Logger.getLogger(AgentCommands.class);

    private final AgentSessions sessions;
    private final RoutingStore routing;
    private final Router router;
    private final OutboundService outbound;
    private final Delivery delivery;
    private final RoutingConfig config;
    private final ObjectMapper json;
    private final NoteService notes;
    private final ReadMarks reads;
    private final ConversationStarter starter;
    private final Attachments attachments;
    private final ConversationEvents events;
    private final AgentStore agents;

    AgentCommands(AgentSessions sessions, RoutingStore routing, Router router, OutboundService outbound,
            Delivery delivery, RoutingConfig config, ObjectMapper json, NoteService notes, ReadMarks reads,
            ConversationStarter starter, Attachments attachments, ConversationEvents events, AgentStore agents) {
        this.attachments = attachments;
        this.sessions = sessions;
        this.events = events;
        this.agents = agents;
        this.notes = notes;
        this.reads = reads;
        this.starter = starter;
        this.routing = routing;
        this.router = router;
        this.outbound = outbound;
        this.delivery = delivery;
        this.config = config;
        this.json = json;
    }

    /**
     * One frame from the agent. Anything that is not a JSON object of a known command gets {@code error bad_request}
     * and the socket stays open; a command from an agent no longer allowed to act (token expired, agent disabled) gets
     * {@code error unauthorized} and closes the socket, having done nothing.
     */
    void handle(String agent, String text, WebSocketConnection connection) {
        if (!sessions.limiter(agent).tryAcquire()) {
            sessions.send(connection, new Frames.Error("rate_limited", "too many commands; slow down"));
            return;
        }
        ClientCommand command;
        try {
            command = json.readValue(text, ClientCommand.class);
        } catch (JsonProcessingException | RuntimeException e) {
            command = null;
        }
        if (command == null) {
            sessions.send(connection, new Frames.Error("bad_request", "not a JSON command"));
            return;
        }
        if (!sessions.authorized(connection)) {
            return;
        }
        try {
            execute(agent, command, connection);
        } catch (AgentActionRefused refused) {
            sessions.send(connection, new Frames.Error(refused.code(), refused.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "command %s of %s failed", command.type(), agent);
            sessions.send(connection, new Frames.Error("unavailable", "could not do that just now; try again"));
        }
    }

    /** A binary frame is not a command. */
    void binary(WebSocketConnection connection) {
        sessions.send(connection, new Frames.Error("bad_request", "commands are JSON text frames"));
    }

    private void execute(String agent, ClientCommand command, WebSocketConnection connection) {
        switch (command.type() == null ? "" : command.type()) {
        case "available" -> {
            int capacity = command.capacity() == null ? config.defaultCapacity() : command.capacity();
            if (capacity < 1 || capacity > config.maxCapacity()) {
                throw new AgentActionRefused("bad_request", "capacity must be between 1 and " + config.maxCapacity());
            }
            Presence presence = routing.setStatus(agent, Presence.Status.AVAILABLE, capacity);
            sendPresence(agent, presence);
            router.drain();
        }
        case "away" -> sendPresence(agent, routing.setStatus(agent, Presence.Status.AWAY, null));
        case "response" -> {
            if (command.media() != null && !command.media().isEmpty()) {
                // Not yours says more than a picture refused, and costs nothing when there are none.
                outbound.ownedBy(agent, command.conversation());
            }
            outbound.reply(agent, command.conversation(), command.body(), command.clientId(),
                    attachments.resolve(agent, command.media()));
        }
        case "resolve" -> {
            outbound.ownedBy(agent, command.conversation());
            // The history's "resolved" marker is written in the same transaction as the release.
            if (!routing.release(command.conversation(), agent, Conversation.State.CLOSED, null,
                    events.resolvedBy(command.conversation(), agent, displayName(agent)))) {
                throw new AgentActionRefused("not_assigned", "conversation is not yours");
            }
            delivery.toAgent(agent, new Frames.Unassigned(command.conversation(), "resolved"));
            router.drain();
        }
        case "transfer" -> transfer(agent, command);
        case "note" -> notes.note(agent, command.conversation(), command.body());
        case "retry" -> outbound.retry(agent, command.conversation(), command.messageId());
        case "start" -> starter.start(agent, command.customer(), command.body(), command.clientId(), command.media());
        case "read" -> {
            outbound.ownedBy(agent, command.conversation());
            if (!reads.markRead(command.conversation(), agent)) {
                throw new AgentActionRefused("not_assigned", "conversation is not yours");
            }
            delivery.toAgent(agent, new Frames.Read(command.conversation()));
        }
        default -> throw new AgentActionRefused("bad_request", "unknown command type " + command.type());
        }
    }

    private void transfer(String agent, ClientCommand command) {
        outbound.ownedBy(agent, command.conversation());
        String target = command.agent();
        if (target == null || target.isBlank() || target.equals(agent)) {
            throw new AgentActionRefused("bad_request", "transfer needs another agent's name");
        }
        RoutingStore.Assignment result = routing.transfer(command.conversation(), agent, target);
        if (result == RoutingStore.Assignment.CONVERSATION_TAKEN) {
            throw new AgentActionRefused("not_assigned", "conversation is not yours");
        }
        if (result == RoutingStore.Assignment.AGENT_UNAVAILABLE) {
            throw new AgentActionRefused("agent_unavailable", whyUnavailable(target));
        }
        delivery.toAgent(agent, new Frames.Unassigned(command.conversation(), "transferred"));
        router.sendAssigned(command.conversation(), target);
        router.drain();
    }

    /** Which of "no such agent", "offline" or "full" kept a transfer from happening, in words the console shows. */
    private String whyUnavailable(String target) {
        Presence presence = routing.presence(target).orElse(null);
        if (presence == null) {
            return "no such agent: " + target;
        }
        if (presence.status() != Presence.Status.AVAILABLE || presence.disconnectedAt() != null) {
            return target + " is offline or away";
        }
        return target + " is full (" + presence.load() + " of " + presence.capacity() + " conversations)";
    }

    /** The agent's display name, as history markers keep it. */
    private String displayName(String agent) {
        return agents.find(agent).map(Agent::displayName).orElse(agent);
    }

    private void sendPresence(String agent, Presence presence) {
        delivery.toAgent(agent,
                new Frames.PresenceFrame(agent, presence.status().wire(), presence.capacity(), presence.load()));
    }
}
