package dev.switchboard.agents.socket;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

import dev.switchboard.delivery.LocalSockets;

/** The agents' WebSocket. Adapts frames to {@link AgentCommands}; the handshake was checked by AgentUpgradeCheck. */
@WebSocket(path = "/agents/ws")
public class AgentSocket {

    private final AgentSessions sessions;
    private final AgentCommands commands;

    AgentSocket(AgentSessions sessions, AgentCommands commands) {
        this.sessions = sessions;
        this.commands = commands;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        sessions.opened(connection);
    }

    @OnTextMessage
    public void message(String text, WebSocketConnection connection) {
        String agent = connection.userData().get(LocalSockets.AGENT);
        if (agent != null) {
            commands.handle(agent, text, connection);
        }
    }

    @OnBinaryMessage
    public void binary(Buffer data, WebSocketConnection connection) {
        if (connection.userData().get(LocalSockets.AGENT) != null) {
            commands.binary(connection);
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        String agent = connection.userData().get(LocalSockets.AGENT);
        if (agent != null) {
            sessions.closed(agent, connection);
        }
    }
}
