package dev.switchboard.agents;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Login tokens and the agents created at start-up. The signing keys themselves are SmallRye JWT's settings
 * ({@code smallrye.jwt.sign.key}, {@code mp.jwt.verify.publickey}), fed from {@code SWITCHBOARD_JWT_PRIVATE_KEY} and
 * {@code SWITCHBOARD_JWT_PUBLIC_KEY}.
 */
@ConfigMapping(prefix = "switchboard.auth")
public interface AuthConfig {

    /** The {@code iss} of the tokens this service signs; {@code mp.jwt.verify.issuer} follows it. */
    @WithDefault("https://switchboard")
    String issuer();

    /**
     * How long a login token is valid. Kept short because a token cannot be revoked: disabling the agent is what stops
     * it before it expires.
     */
    @WithDefault("1h")
    Duration tokenTtl();

    /** An admin created at start-up when no agent of that name exists, so that a new installation can be managed. */
    BootstrapAdmin bootstrapAdmin();

    /**
     * Create the agent {@value AgentService#DEMO_AGENT} (password {@value AgentService#DEMO_PASSWORD}, role
     * {@code agent}) at start-up when absent. For the local run only.
     */
    @WithDefault("false")
    boolean seedDemoAgent();

    interface BootstrapAdmin {

        /** Login name of the admin; none is created without it. */
        Optional<String> name();

        /** Its password, used only when the admin is created: an existing agent is never changed. */
        Optional<String> password();
    }
}
