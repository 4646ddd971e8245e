package dev.switchboard.console.session;

import java.time.Instant;
import java.util.Set;

/**
 * A signed-in agent as their cookie proves it: the switchboard's token, verified here with its public key.
 *
 * @param token
 *            the raw token, passed on to the switchboard's socket
 */
public record Session(String agent, Set<String> roles, Instant expiresAt, String token) {

    public boolean expired() {
        return !Instant.now().isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Session[" + agent + ", expires " + expiresAt + "]";
    }
}
