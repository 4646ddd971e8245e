package dev.switchboard.agents;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtException;

/**
 * Login tokens: short-lived RS256 JWTs with the agent as {@code upn} and its roles as {@code groups}. Any instance
 * holding the public key can verify them; no instance keeps a session.
 */
@ApplicationScoped
public class Tokens {

    private static final Logger LOG = Logger.getLogger(Tokens.class);

    static final String PRIVATE_KEY_ENV = "SWITCHBOARD_JWT_PRIVATE_KEY";
    static final String PUBLIC_KEY_ENV = "SWITCHBOARD_JWT_PUBLIC_KEY";
    /**
     * SmallRye JWT's own value for "no key". The public key falls back to it because SmallRye JWT reads that setting
     * before the application starts and, were it empty, would fail without naming the variable.
     */
    private static final String UNSET = "NONE";

    /** A signed token and when it stops being accepted. */
    public record Issued(String token, Instant expiresAt) {
    }

    private final JWTParser parser;
    private final AgentStore store;
    private final AuthConfig config;

    Tokens(JWTParser parser, AgentStore store, AuthConfig config) {
        this.parser = parser;
        this.store = store;
        this.config = config;
    }

    public Issued issue(Agent agent) {
        // JWT times are whole seconds; the expiry reported to the client is the one in the token.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(config.tokenTtl());
        String token = Jwt.upn(agent.agent()).groups(agent.roles()).issuer(config.issuer()).issuedAt(now)
                .expiresAt(expiresAt).sign();
        return new Issued(token, expiresAt);
    }

    /**
     * Checks a raw token (no {@code Bearer} prefix): signature, issuer and expiry, then that its agent still exists and
     * is not disabled. Blocks on a DynamoDB read, so call it off the event loop.
     *
     * @return the agent, with the roles the token grants that it still holds; empty when the token is not acceptable
     */
    public Optional<AgentPrincipal> verify(String rawToken) {
        return verifySession(rawToken).map(Session::principal);
    }

    /** A verified token's agent and when the token stops being valid: a socket opened with it closes then. */
    public record Session(AgentPrincipal principal, Instant expiresAt) {
    }

    /** As {@link #verify}, with the token's expiry. */
    public Optional<Session> verifySession(String rawToken) {
        if (rawToken == null || rawToken.isBlank()) {
            return Optional.empty();
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(rawToken);
        } catch (ParseException e) {
            LOG.debugf("token refused: %s", e.getMessage());
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(jwt.getExpirationTime());
        return active(jwt.getName(), jwt.getGroups()).map(principal -> new Session(principal, expiresAt));
    }

    /**
     * Whether the agent may still act with the roles it was verified with: exists, is enabled, and holds them. One
     * consistent read; commands on an open socket call it so that none slips past a disable.
     */
    public Optional<AgentPrincipal> recheck(AgentPrincipal principal) {
        return active(principal.agent(), principal.roles());
    }

    /**
     * The agent a verified token names, if it may still act. Roles are narrowed to those it still holds, so that taking
     * a role away takes effect before old tokens expire; a role added needs a new login.
     */
    Optional<AgentPrincipal> active(String agent, Set<String> tokenRoles) {
        return store.find(agent).filter(found -> !found.disabled()).map(found -> {
            Set<String> roles = new HashSet<>(tokenRoles);
            roles.retainAll(found.roles());
            return new AgentPrincipal(found.agent(), roles);
        });
    }

    /**
     * Refuses to start without a usable key pair: an instance that cannot sign or verify would only answer 401s. A
     * token signed and verified here proves both keys are present, readable and one pair.
     */
    void checkKeys(@Observes StartupEvent event, Config settings) {
        if (!configured(settings, "smallrye.jwt.sign.key")) {
            throw new IllegalStateException(
                    "no key to sign login tokens: set " + PRIVATE_KEY_ENV + " to a PEM-encoded RSA private key");
        }
        if (!configured(settings, "mp.jwt.verify.publickey")) {
            throw new IllegalStateException(
                    "no key to verify login tokens: set " + PUBLIC_KEY_ENV + " to a PEM-encoded RSA public key");
        }
        String probe;
        try {
            probe = Jwt.upn("startup-check").issuer(config.issuer()).expiresIn(60).sign();
        } catch (JwtException e) {
            throw new IllegalStateException(PRIVATE_KEY_ENV
                    + " cannot sign login tokens (is it a PEM-encoded RSA private key?): " + e.getMessage(), e);
        }
        try {
            parser.parse(probe);
        } catch (ParseException e) {
            throw new IllegalStateException(PUBLIC_KEY_ENV + " does not verify tokens signed with " + PRIVATE_KEY_ENV
                    + " (are they one pair?): " + e.getMessage(), e);
        }
    }

    private static boolean configured(Config settings, String key) {
        return settings.getOptionalValue(key, String.class).filter(value -> !UNSET.equals(value)).isPresent()
                || settings.getOptionalValue(key + ".location", String.class).isPresent();
    }
}
