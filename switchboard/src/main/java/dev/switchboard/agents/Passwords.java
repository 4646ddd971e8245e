package dev.switchboard.agents;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.elytron.security.common.BcryptUtil;

/** Bcrypt hashing of agents' passwords, at the cost of {@code switchboard.auth.password-cost}. */
@ApplicationScoped
class Passwords {

    /** Bcrypt's own bounds on its log2 cost. */
    static final int MIN_COST = 4;
    static final int MAX_COST = 31;

    /** Bcrypt reads no further than this; longer passwords would be silently cut. */
    static final int MAX_BYTES = 72;

    /** Checked against when a name is unknown, so that it answers as slowly as a wrong password. */
    private final String decoy;
    private final int cost;

    Passwords(AuthConfig config) {
        cost = config.passwordCost();
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalStateException("switchboard.auth.password-cost must be between " + MIN_COST + " and "
                    + MAX_COST + ", not " + cost);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        decoy = hash(Base64.getEncoder().encodeToString(random));
    }

    String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    boolean matches(String password, String hash) {
        return BcryptUtil.matches(password, hash);
    }

    /** Spends the time of one check, for a name that has no hash. */
    void checkAgainstDecoy(String password) {
        BcryptUtil.matches(password, decoy);
    }
}
