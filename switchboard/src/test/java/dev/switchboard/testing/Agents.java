package dev.switchboard.testing;

/** Agents on their sockets, created and signed in through the switchboard's own API. */
public final class Agents {

    private Agents() {
    }

    /** A new agent with role {@code agent}; the name is unique (the prefix only reads well in failures). */
    public static String create(String prefix) {
        return Auth.newAgent("agent");
    }

    public static AgentClient connect(String agent) {
        return AgentClient.connect(LocalServersResource.appUrl(), agent, Auth.token(agent, Auth.PASSWORD));
    }
}
