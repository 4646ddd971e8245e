package dev.switchboard.delivery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;

/** The agent connections this instance holds. Connection state only: never the source of truth. */
@ApplicationScoped
public class LocalSockets {

    public static final TypedKey<String> AGENT = TypedKey.forString("agent");
    private static final Logger LOG = Logger.getLogger(LocalSockets.class);

    private final OpenConnections connections;

    LocalSockets(OpenConnections connections) {
        this.connections = connections;
    }

    public List<WebSocketConnection> of(String agent) {
        return connections.stream().filter(c -> agent.equals(c.userData().get(AGENT))).toList();
    }

    public List<String> agents() {
        return connections.stream().map(c -> c.userData().get(AGENT)).filter(a -> a != null).distinct().toList();
    }

    /** Sends to every open connection of the agent on this instance; returns how many there were. */
    public int send(String agent, String text) {
        List<WebSocketConnection> open = of(agent);
        for (WebSocketConnection connection : open) {
            connection.sendText(text).subscribe().with(sent -> {
            }, failure -> LOG.debugf("could not send to %s: %s", agent, failure.getMessage()));
        }
        return open.size();
    }
}
