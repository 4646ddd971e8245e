package dev.switchboard.routing;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How conversations find agents. */
@ConfigMapping(prefix = "switchboard.routing")
public interface RoutingConfig {

    /** Conversations an available agent takes at once unless they say otherwise. */
    @WithDefault("3")
    int defaultCapacity();

    /** The most conversations an agent may ask for. */
    @WithDefault("20")
    int maxCapacity();

    /** How long an agent who lost their connection keeps their conversations before they go back to the queue. */
    @WithDefault("30s")
    Duration disconnectGrace();

    /** How often each instance refreshes the presence of the agents connected to it. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * An agent whose presence was not refreshed for this long is treated as disconnected (their instance died without
     * saying so); the grace period then runs from the last refresh.
     */
    @WithDefault("35s")
    Duration heartbeatTimeout();

    /** Messages of history sent with each assigned conversation. */
    @WithDefault("50")
    int historyOnAssign();

    /**
     * How often each instance looks for agents whose grace period ran out and for waiting conversations that free
     * agents could take (a safety net for a missed change event).
     */
    @WithDefault("5s")
    Duration sweepInterval();

    /**
     * How often each instance scans the agents table once to correct the routing index entries a crash between a
     * presence write and its index update (or an item from before the index) left wrong. The sweep itself reads only
     * the index, so this is what bounds how long such an agent goes unswept; the first run is shortly after start.
     */
    @WithDefault("10m")
    Duration indexRepairInterval();

    /**
     * How much earlier than its waiting time says a waiting conversation whose customer sounds very negative is routed
     * (scaled by the conversation's negativity, 0..100 %, from its customer's last stored scores). Bounded, so a
     * neutral conversation waits at most this much longer because of angrier ones.
     */
    @WithDefault("2m")
    Duration negativeBoost();

    /**
     * A waiting conversation older than this goes before every boosted one (oldest first among them), so nobody is
     * starved whatever the others' scores.
     */
    @WithDefault("5m")
    Duration maxPriorityWait();
}
