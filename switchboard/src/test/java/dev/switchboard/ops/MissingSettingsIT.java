package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.local.JwtKeys;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/**
 * The packaged application in production mode (no profile given), with nothing but environment variables: without a
 * required one it exits, naming the variable; and whatever it prints, it never prints a secret.
 */
class MissingSettingsIT {

    private static final String SID = "SWITCHBOARD_TWILIO_ACCOUNT_SID";
    private static final String TOKEN = "SWITCHBOARD_TWILIO_AUTH_TOKEN";
    private static final String NUMBER = "SWITCHBOARD_TWILIO_BUSINESS_NUMBER";
    /** Distinctive, so that finding it in the output cannot be a coincidence. */
    private static final String TOKEN_VALUE = "auth-token-that-must-never-be-printed-7f3a";

    @Test
    void withNothingAtAllEveryTwilioVariableIsNamed() throws Exception {
        String output = start("nothing", Map.of());
        for (String variable : List.of(SID, TOKEN, NUMBER)) {
            assertTrue(output.contains(variable), variable + " not named:\n" + output);
        }
    }

    @Test
    void withoutTheAuthToken() throws Exception {
        Map<String, String> env = complete();
        env.remove(TOKEN);
        String output = start("no-auth-token", env);
        assertTrue(output.contains(TOKEN), output);
        assertFalse(output.contains(SID) || output.contains(NUMBER), "names only what is missing:\n" + output);
    }

    @Test
    void withABusinessNumberThatIsNotE164() throws Exception {
        Map<String, String> env = complete();
        env.put("SWITCHBOARD_TWILIO_BUSINESS_NUMBERS", Webhooks.BUSINESS + ",555-1234");
        String output = start("business-numbers-not-e164", env);
        // Production logs JSON, which escapes the quotes around the number.
        assertTrue(output.contains("555-1234") && output.contains("is not E.164")
                && output.contains("set SWITCHBOARD_TWILIO_BUSINESS_NUMBERS"), output);
    }

    @Test
    void withoutAnAwsRegion() throws Exception {
        Map<String, String> env = complete();
        env.remove("AWS_REGION");
        String output = start("no-region", env);
        assertTrue(output.contains("set AWS_REGION"), output);
    }

    @Test
    void withoutThePrivateKey() throws Exception {
        Map<String, String> env = complete();
        env.remove(JwtKeys.PRIVATE_KEY_ENV);
        String output = start("no-private-key", env);
        assertTrue(output.contains("set " + JwtKeys.PRIVATE_KEY_ENV), output);
    }

    @Test
    void withoutThePublicKey() throws Exception {
        Map<String, String> env = complete();
        env.remove(JwtKeys.PUBLIC_KEY_ENV);
        String output = start("no-public-key", env);
        assertTrue(output.contains("set " + JwtKeys.PUBLIC_KEY_ENV), output);
    }

    @Test
    void withKeysOfTwoPairs() throws Exception {
        Map<String, String> env = complete();
        env.put(JwtKeys.PUBLIC_KEY_ENV, JwtKeys.generate().publicPem());
        String output = start("two-pairs", env);
        assertTrue(output.contains("are they one pair?"), output);
    }

    /** Every required variable, each test taking one away. */
    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>(TestKeys.env());
        env.putAll(Map.of(SID, Webhooks.ACCOUNT, TOKEN, TOKEN_VALUE, NUMBER, Webhooks.BUSINESS, "AWS_REGION",
                "us-east-1"));
        return env;
    }

    /** @return the application's output, once it has exited as it should */
    private static String start(String name, Map<String, String> settings) throws IOException, InterruptedException {
        Path log = Files.createDirectories(Path.of("target", "missing-settings")).resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dquarkus.http.port=0", "-jar", "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        // Only what a container would be given: nothing this build's environment happens to hold.
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SWITCHBOARD_") || key.startsWith("QUARKUS_")
                || key.startsWith("AWS_") || key.equals("PORT"));
        env.putAll(settings);
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertTrue(exited, "still running after 60 s:\n" + output);
        assertNotEquals(0, process.exitValue(), output);
        assertFalse(output.contains(TOKEN_VALUE), "the auth token was printed:\n" + output);
        assertFalse(output.contains(privateKeyBody()), "the private key was printed:\n" + output);
        return output;
    }

    /** A line from the middle of the private key's PEM: any printing of the key contains it. */
    private static String privateKeyBody() {
        String[] lines = TestKeys.pair().privatePem().split("\n");
        return lines[lines.length / 2].trim();
    }
}
