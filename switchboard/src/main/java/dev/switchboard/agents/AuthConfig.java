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

    /**
     * Bcrypt's log2 cost for new password hashes (each step doubles the work): 10 is about 50–100 ms a check here, slow
     * for guessing and fast enough for a login. A hash keeps the cost it was made with, so changing this affects new
     * passwords only. Lower values are for benchmarks that create many agents (bench/run-agents sets 4), never for
     * production.
     */
    @WithDefault("10")
    int passwordCost();

    /** An admin created at start-up when no agent of that name exists, so that a new installation can be managed. */
    BootstrapAdmin bootstrapAdmin();

    /**
     * Create the agent {@value AgentService#DEMO_AGENT} (password {@value AgentService#DEMO_PASSWORD}, role
     * {@code agent}) at start-up when absent. For the local run only.
     */
    @WithDefault("false")
    boolean seedDemoAgent();

    /** Login throttling: failures counted per agent and address, per address, and per agent; shared in DynamoDB. */
    Throttle throttle();

    interface Throttle {

        /**
         * Table of failure counters, keyed by {@code key} ({@code agent-address:<agent>|<address>},
         * {@code address:<address>}, {@code agent:<agent>}); items expire through DynamoDB's TTL on {@code expiresAt}.
         */
        @WithDefault("switchboard-login-attempts")
        String table();

        /**
         * Failures of one agent name from one client address before logins of that name from there are held back.
         * Another address, and other agents, are not affected.
         */
        @WithDefault("5")
        int perAgentAndAddress();

        /** Failures from one client address, whatever the names, before every login from there is held back. */
        @WithDefault("20")
        int perAddress();

        /**
         * Failures of one agent name from all addresses together before every login of that name is held back: slows a
         * guess spread over many addresses, and is high so that someone else's typing cannot easily lock an agent out.
         */
        @WithDefault("50")
        int perAgent();

        /** The first hold; each failure past a limit doubles it, up to {@link #maxDelay()}. */
        @WithDefault("1s")
        Duration baseDelay();

        @WithDefault("15m")
        Duration maxDelay();

        /** A counter with no failure for this long starts again from zero. */
        @WithDefault("15m")
        Duration window();
    }

    interface BootstrapAdmin {

        /** Login name of the admin; none is created without it. */
        Optional<String> name();

        /** Its password, used only when the admin is created: an existing agent is never changed. */
        Optional<String> password();
    }
}
