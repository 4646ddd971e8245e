package dev.switchboard.agents;

import java.util.Set;

public record AgentPrincipal(String agent, Set<String> roles) {
}
