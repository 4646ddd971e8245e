package dev.switchboard.agents.socket;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A command from an agent's browser: {@code available {capacity?}}, {@code away}, {@code response {conversation, body,
 * clientId?, media?}} ({@code clientId}: the client's idempotency id, so a resend stores one reply; {@code media}: the
 * {@code mediaId}s of pictures uploaded with {@code POST /media}), {@code resolve {conversation}}, {@code transfer
 * {conversation, agent}}, {@code note {conversation, body}}, {@code read {conversation}}, {@code retry {conversation,
 * messageId}}, {@code start {customer, body, clientId?, media?}}.
 * <p>
 * Read by our own ObjectMapper off the socket, so registered for reflection for the native image.
 */
@RegisterForReflection
public record ClientCommand(String type, Integer capacity, String conversation, String body, String agent,
        String clientId, String messageId, String customer, List<String> media) {
}
