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

    /**
     * Commands an agent may send per second, on average, over all their sockets on one instance (so opening more
     * sockets buys no more). Behind a load balancer an agent whose sockets land on k instances gets at most k times
     * this.
     */
    @WithDefault("5")
    int commandsPerSecond();

    /** Commands an agent may send in a burst, over all their sockets on one instance. */
    @WithDefault("20")
    int commandBurst();

    /**
     * Sockets one agent may hold on one instance. Opening one more closes their oldest with {@code 4409 replaced}
     * (after an {@code error too_many_sockets} frame): the newest tab wins, and a half-dead connection of a sleeping
     * laptop cannot lock its owner out.
     */
    @WithDefault("5")
    int maxSocketsPerAgent();

    /**
     * Agent sockets one instance holds at most. Past it, handshakes are refused with 503 so that the sockets already
     * open keep their memory and CPU; the load balancer (or the client's retry) goes elsewhere.
     */
    @WithDefault("5000")
    int maxSocketsPerInstance();

    /**
     * Handshakes one instance verifies at once (each reads the agent from DynamoDB on a worker thread). More are
     * refused with 503, so that a flood of connects cannot take the worker pool from everyone else. The same bound
     * holds for sockets being opened (presence write and resync, after the upgrade): past it a new socket is closed at
     * once with {@code 1013 busy}.
     */
    @WithDefault("64")
    int maxPendingHandshakes();

    /**
     * Handshakes verified, and sockets opened, at the same moment on one instance; the rest of the
     * {@link #maxPendingHandshakes()} wait their turn. Few, so that a flood of connects keeps only a handful of threads
     * busy on DynamoDB and the event loops (which answer {@code /q/health/live}) keep the cores.
     */
    @WithDefault("4")
    int handshakeThreads();

    /**
     * Bytes written to one socket and not yet taken by the client. Past it the client is too slow: its socket is closed
     * with {@code 1013 slow_consumer} (it may reconnect and is resynced) rather than buffered without limit.
     * LocalSockets reads the same key.
     */
    @WithDefault("524288")
    long maxPendingBytes();

    /**
     * Messages of history sent with each assigned conversation when a socket (re)connects: the resync costs
     * O(conversations), whatever their length; older messages come from the history API.
     */
    @WithDefault("20")
    int resyncHistory();

    /**
     * How often each instance re-reads the agents connected to it and closes the sockets of any disabled since: a
     * backstop for a revocation message Redis lost (the message itself closes them within milliseconds).
     */
    @WithDefault("30s")
    Duration revocationCheckInterval();

    /**
     * How long shutdown waits for agents' sockets to finish closing (code 1012, reason {@code reconnect}) before it
     * goes on; whoever is not closed by then loses the connection with the process.
     */
    @WithDefault("5s")
    Duration shutdownCloseTimeout();
}
