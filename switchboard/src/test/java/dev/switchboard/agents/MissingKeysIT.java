package dev.switchboard.agents;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.local.JwtKeys;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/** The packaged application, in production mode, will not start without its keys and names what is missing. */
class MissingKeysIT {

    @Test
    void withoutThePrivateKey() throws Exception {
        String output = start("no-private-key", Map.of(JwtKeys.PUBLIC_KEY_ENV, TestKeys.pair().publicPem()));
        assertTrue(output.contains("set " + JwtKeys.PRIVATE_KEY_ENV), output);
    }

    @Test
    void withoutThePublicKey() throws Exception {
        String output = start("no-public-key", Map.of(JwtKeys.PRIVATE_KEY_ENV, TestKeys.pair().privatePem()));
        assertTrue(output.contains("set " + JwtKeys.PUBLIC_KEY_ENV), output);
    }

    @Test
    void withKeysOfTwoPairs() throws Exception {
        String output = start("two-pairs", Map.of(JwtKeys.PRIVATE_KEY_ENV, TestKeys.pair().privatePem(),
                JwtKeys.PUBLIC_KEY_ENV, JwtKeys.generate().publicPem()));
        assertTrue(output.contains("are they one pair?"), output);
    }

    /** @return the application's output, once it has exited as it should */
    private static String start(String name, Map<String, String> keys) throws IOException, InterruptedException {
        Path log = Files.createDirectories(Path.of("target", "missing-keys")).resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dquarkus.http.port=0", "-Dquarkus.log.console.json.enabled=false", "-jar",
                "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.remove(JwtKeys.PRIVATE_KEY_ENV);
        env.remove(JwtKeys.PUBLIC_KEY_ENV);
        env.putAll(keys);
        env.putAll(Map.of("SWITCHBOARD_TWILIO_ACCOUNT_SID", Webhooks.ACCOUNT, "SWITCHBOARD_TWILIO_AUTH_TOKEN",
                Webhooks.TOKEN, "SWITCHBOARD_TWILIO_BUSINESS_NUMBER", Webhooks.BUSINESS));
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertTrue(exited, "still running after 60 s:\n" + output);
        assertNotEquals(0, process.exitValue(), output);
        return output;
    }
}
