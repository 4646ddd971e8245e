package dev.switchboard.agents;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where agents are stored. */
@ConfigMapping(prefix = "switchboard.agents")
public interface AgentsConfig {

    /**
     * Table with one item per agent, keyed by login name ({@code agent}). Routing keeps the agent's presence on the
     * same item.
     */
    @WithDefault("switchboard-agents")
    String table();
}
