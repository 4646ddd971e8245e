package dev.switchboard.agents;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.elytron.security.common.BcryptUtil;

/** Bcrypt hashing of agents' passwords. */
@ApplicationScoped
class Passwords {

    /** About 50–100 ms a check here: slow for guessing, fast enough for a login. */
    static final int COST = 10;

    /** Bcrypt reads no further than this; longer passwords would be silently cut. */
    static final int MAX_BYTES = 72;

    /** Checked against when a name is unknown, so that it answers as slowly as a wrong password. */
    private final String decoy;

    Passwords() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        decoy = hash(Base64.getEncoder().encodeToString(random));
    }

    String hash(String password) {
        return BcryptUtil.bcryptHash(password, COST);
    }

    boolean matches(String password, String hash) {
        return BcryptUtil.matches(password, hash);
    }

    /** Spends the time of one check, for a name that has no hash. */
    void checkAgainstDecoy(String password) {
        BcryptUtil.matches(password, decoy);
    }
}
