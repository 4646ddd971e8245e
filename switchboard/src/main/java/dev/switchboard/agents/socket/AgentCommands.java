package dev.switchboard.agents.socket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.WebSocketConnection;

import dev.switchboard.agents.AgentPrincipal;
import dev.switchboard.agents.Tokens;
import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.delivery.LocalSockets;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.ReadMarks;
import dev.switchboard.notes.NoteService;
import dev.switchboard.outbound.AgentActionRefused;
import dev.switchboard.outbound.ConversationStarter;
import dev.switchboard.outbound.OutboundService;
import dev.switchboard.routing.InstanceId;
import dev.switchboard.routing.Presence;
import dev.switchboard.routing.Router;
import dev.switchboard.routing.RoutingConfig;
import dev.switchboard.routing.RoutingStore;

/** What agents do over their socket: presence, replies, resolve and transfer. Each acts only on their own work. */
@ApplicationScoped
public class AgentCommands {

    private static final Logger LOG = Logger.getLogger(AgentCommands.class);

    private final Tokens tokens;
    private final RoutingStore routing;
    private final Router router;
    private final OutboundService outbound;
    private final Delivery delivery;
    private final LocalSockets sockets;
    private final InstanceId instance;
    private final RoutingConfig config;
    private final SocketConfig limits;
    private final ObjectMapper json;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final NoteService notes;
    private final ReadMarks reads;
    private final ConversationStarter starter;

    AgentCommands(Tokens tokens, RoutingStore routing, Router router, OutboundService outbound, Delivery delivery,
            LocalSockets sockets, InstanceId instance, RoutingConfig config, SocketConfig limits, ObjectMapper json,
            NoteService notes, ReadMarks reads, ConversationStarter starter) {
        this.starter = starter;
        this.notes = notes;
        this.reads = reads;
        this.tokens = tokens;
        this.routing = routing;
        this.router = router;
        this.outbound = outbound;
        this.delivery = delivery;
        this.sockets = sockets;
        this.instance = instance;
        this.config = config;
        this.limits = limits;
        this.json = json;
    }

    /** A new connection: note who it is, take over their presence here, and resync everything assigned to them. */
    void opened(WebSocketConnection connection) {
        var token = Bearer.token(connection.handshakeRequest().header("Authorization"),
                connection.handshakeRequest().query());
        AgentPrincipal principal = token.flatMap(tokens::verify).filter(AgentUpgradeCheck::mayAnswer).orElse(null);
        if (principal == null) {
            connection.closeAndAwait();
            return;
        }
        String agent = principal.agent();
        connection.userData().put(LocalSockets.AGENT, agent);
        Presence presence = routing.connected(agent, instance.get(), config.defaultCapacity()).orElse(null);
        if (presence == null) {
            send(connection, new Frames.Error("unknown_agent", "no such agent"));
            connection.closeAndAwait();
            return;
        }
        for (Conversation conversation : routing.assignedTo(agent)) {
            router.sendAssigned(conversation, agent);
        }
        send(connection,
                new Frames.PresenceFrame(agent, presence.status().wire(), presence.capacity(), presence.load()));
        if (presence.status() == Presence.Status.AVAILABLE) {
            router.drain();
        }
    }

    void closed(String agent, WebSocketConnection connection) {
        limiters.remove(connection.id());
        if (sockets.of(agent).stream().noneMatch(other -> !other.id().equals(connection.id()))) {
            routing.disconnected(agent, instance.get());
        }
    }

    void handle(String agent, String text, WebSocketConnection connection) {
        RateLimiter limiter = limiters.computeIfAbsent(connection.id(),
                id -> new RateLimiter(limits.commandsPerSecond(), limits.commandBurst()));
        if (!limiter.tryAcquire()) {
            send(connection, new Frames.Error("rate_limited", "too many commands; slow down"));
            return;
        }
        ClientCommand command;
        try {
            command = json.readValue(text, ClientCommand.class);
        } catch (JsonProcessingException e) {
            send(connection, new Frames.Error("bad_request", "not a JSON command"));
            return;
        }
        try {
            execute(agent, command, connection);
        } catch (AgentActionRefused refused) {
            send(connection, new Frames.Error(refused.code(), refused.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "command %s of %s failed", command.type(), agent);
            send(connection, new Frames.Error("unavailable", "could not do that just now; try again"));
        }
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
        case "response" -> outbound.reply(agent, command.conversation(), command.body(), command.clientId());
        case "resolve" -> {
            outbound.ownedBy(agent, command.conversation());
            if (!routing.release(command.conversation(), agent, Conversation.State.CLOSED, null)) {
                throw new AgentActionRefused("not_assigned", "conversation is not yours");
            }
            delivery.toAgent(agent, new Frames.Unassigned(command.conversation(), "resolved"));
            router.drain();
        }
        case "transfer" -> transfer(agent, command);
        case "note" -> notes.note(agent, command.conversation(), command.body());
        case "retry" -> outbound.retry(agent, command.conversation(), command.messageId());
        case "start" -> starter.start(agent, command.customer(), command.body(), command.clientId());
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

    private void sendPresence(String agent, Presence presence) {
        delivery.toAgent(agent,
                new Frames.PresenceFrame(agent, presence.status().wire(), presence.capacity(), presence.load()));
    }

    private void send(WebSocketConnection connection, Object frame) {
        try {
            connection.sendTextAndAwait(json.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
