package dev.switchboard.testing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Map;

import io.smallrye.jwt.util.KeyUtils;

import dev.switchboard.local.JwtKeys;

/**
 * The signing keys of the switchboards under test. One pair, kept under {@code target/jwt}, serves every JVM of the
 * build and every switchboard a test starts, so a token from one is accepted by all.
 */
public final class TestKeys {

    private static JwtKeys keys;

    private TestKeys() {
    }

    public static synchronized JwtKeys pair() {
        if (keys == null) {
            keys = JwtKeys.loadOrCreate(Path.of("target", "jwt"));
        }
        return keys;
    }

    /** The pair as application configuration, for test resources. */
    public static Map<String, String> config() {
        return Map.of("smallrye.jwt.sign.key", pair().privatePem(), "mp.jwt.verify.publickey", pair().publicPem());
    }

    /** The pair as the environment of a switchboard process. */
    public static Map<String, String> env() {
        return pair().env();
    }

    public static PrivateKey privateKey() {
        return privateKey(pair());
    }

    public static PrivateKey privateKey(JwtKeys keys) {
        try {
            return KeyUtils.decodePrivateKey(keys.privatePem());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
