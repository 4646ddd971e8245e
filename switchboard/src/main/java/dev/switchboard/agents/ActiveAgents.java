package dev.switchboard.agents;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Holds HTTP requests to the same rule as {@link Tokens#verify}: a valid signature is not enough, the agent must still
 * exist and be enabled, and only the roles it still holds count. Disabling an agent thus locks it out at once rather
 * than when its token expires.
 */
@ApplicationScoped
class ActiveAgents implements SecurityIdentityAugmentor {

    private final Tokens tokens;

    ActiveAgents(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            AgentPrincipal agent = tokens.active(jwt.getName(), identity.getRoles())
                    .orElseThrow(() -> new AuthenticationFailedException("agent unknown or disabled"));
            return QuarkusSecurityIdentity.builder().setPrincipal(jwt).addRoles(agent.roles())
                    .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes()).build();
        });
    }
}
