package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The RSA key pair the switchboard signs and verifies its login tokens with, as PEM text. Kept in a folder so that
 * every process pointed at it (the local run across restarts, the JVMs of one build, several switchboards side by side)
 * shares one pair; the folder is created owner-only because it holds a private key.
 *
 * @param privatePem
 *            PKCS#8 private key
 * @param publicPem
 *            X.509 public key
 */
public record JwtKeys(String privatePem, String publicPem) {

    /** What the switchboard reads the private key from. */
    public static final String PRIVATE_KEY_ENV = "SWITCHBOARD_JWT_PRIVATE_KEY";
    /** What the switchboard reads the public key from. */
    public static final String PUBLIC_KEY_ENV = "SWITCHBOARD_JWT_PUBLIC_KEY";

    static final String PRIVATE_FILE = "private.pem";
    static final String PUBLIC_FILE = "public.pem";

    /** A new RSA-2048 pair. */
    public static JwtKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new JwtKeys(pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate an RSA key pair", e);
        }
    }

    /** The pair in {@code dir}, generated there first if it holds none. */
    public static JwtKeys loadOrCreate(Path dir) {
        try {
            if (!Files.exists(dir.resolve(PUBLIC_FILE))) {
                create(dir);
            }
            return new JwtKeys(Files.readString(dir.resolve(PRIVATE_FILE)), Files.readString(dir.resolve(PUBLIC_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the JWT key pair in " + dir
                    + " (delete the folder to have a new pair made)", e);
        }
    }

    /**
     * Writes both files into a private staging folder and renames it into place, so that processes racing to create the
     * pair end up reading one complete pair, never one half from each.
     */
    private static void create(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // On POSIX systems a temporary directory is created readable by its owner only.
        Path staging = Files.createTempDirectory(parent, dir.getFileName() + ".");
        JwtKeys fresh = generate();
        Files.writeString(staging.resolve(PRIVATE_FILE), fresh.privatePem());
        Files.writeString(staging.resolve(PUBLIC_FILE), fresh.publicPem());
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException lost) {
            deleteTree(staging);
            if (!Files.exists(dir.resolve(PUBLIC_FILE))) {
                throw lost;
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The environment variables that hand this pair to a switchboard process. */
    public Map<String, String> env() {
        return Map.of(PRIVATE_KEY_ENV, privatePem, PUBLIC_KEY_ENV, publicPem);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "JwtKeys[public=" + publicPem.length() + " chars, private=(hidden)]";
    }
}
