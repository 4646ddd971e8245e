package dev.switchboard.agents.socket;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

import dev.switchboard.delivery.LocalSockets;

/** The agents' WebSocket. Adapts frames to {@link AgentCommands}; the handshake was checked by AgentUpgradeCheck. */
@WebSocket(path = "/agents/ws")
public class AgentSocket {

    private final AgentCommands commands;

    AgentSocket(AgentCommands commands) {
        this.commands = commands;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        commands.opened(connection);
    }

    @OnTextMessage
    public void message(String text, WebSocketConnection connection) {
        String agent = connection.userData().get(LocalSockets.AGENT);
        if (agent != null) {
            commands.handle(agent, text, connection);
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        String agent = connection.userData().get(LocalSockets.AGENT);
        if (agent != null) {
            commands.closed(agent, connection);
        }
    }
}
