package dev.switchboard.agents.socket;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the agents' WebSocket. */
@ConfigMapping(prefix = "switchboard.socket")
public interface SocketConfig {

    /**
     * Browser origins allowed to open {@code /agents/ws}. A handshake with any other {@code Origin} is refused; one
     * without the header (a server-side client such as the console) is allowed.
     */
    @WithDefault("http://localhost:8080,http://localhost:8081")
    List<String> allowedOrigins();

    /** Commands an agent's connection may send per second, on average. */
    @WithDefault("5")
    int commandsPerSecond();

    /** Commands an agent's connection may send in a burst. */
    @WithDefault("20")
    int commandBurst();

    /**
     * How long shutdown waits for agents' sockets to finish closing (code 1012, reason {@code reconnect}) before it
     * goes on; whoever is not closed by then loses the connection with the process.
     */
    @WithDefault("5s")
    Duration shutdownCloseTimeout();
}
