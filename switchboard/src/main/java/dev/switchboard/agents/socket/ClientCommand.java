package dev.switchboard.agents.socket;

/**
 * A command from an agent's browser: {@code available {capacity?}}, {@code away}, {@code response {conversation,
 * body}}, {@code resolve {conversation}}, {@code transfer {conversation, agent}}.
 */
public record ClientCommand(String type, Integer capacity, String conversation, String body, String agent) {
}
