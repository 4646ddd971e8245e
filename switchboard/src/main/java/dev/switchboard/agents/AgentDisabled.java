package dev.switchboard.agents;

/** Fired once an agent's disable is stored, so that their open sockets close everywhere (agents.socket). */
public record AgentDisabled(String agent) {
}
