package dev.switchboard.agents;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** PLACEHOLDER until the auth branch merges: the real bean verifies RS256 tokens. */
@ApplicationScoped
public class Tokens {
    public Optional<AgentPrincipal> verify(String rawToken) {
        throw new UnsupportedOperationException("auth branch not merged yet");
    }
}
