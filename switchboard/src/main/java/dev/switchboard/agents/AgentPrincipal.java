package dev.switchboard.agents;

import java.util.Set;

/**
 * Who a verified token speaks for.
 *
 * @param agent
 *            login name
 * @param roles
 *            roles the token grants that the agent still holds
 */
public record AgentPrincipal(String agent, Set<String> roles) {

    public AgentPrincipal {
        roles = Set.copyOf(roles);
    }
}
