package dev.switchboard.console.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.JwtKeys;

/** The packaged console refuses to start without what it needs, and says which environment variable to set. */
class MissingSettingsIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "missing-settings");

    private static String startAndFail(String name, Map<String, String> env) throws Exception {
        ChildJvm console = ChildJvm.start(name, List.of("-Xmx128m", "-jar", JAR.toString()), List.of(), env, LOGS,
                false);
        try {
            Thread waiter = new Thread(() -> {
                try {
                    console.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            waiter.join(TimeUnit.SECONDS.toMillis(90));
            assertTrue(!console.isAlive(), "the console started without its settings; see " + console.log());
            assertNotEquals(0, console.waitFor());
            return Files.readString(console.log());
        } finally {
            console.close();
        }
    }

    @Test
    void namesTheSwitchboardUrlVariable() throws Exception {
        String log = startAndFail("console-no-url", Map.of("QUARKUS_HTTP_PORT", Integer.toString(ChildJvm.freePort()),
                "SWITCHBOARD_JWT_PUBLIC_KEY", JwtKeys.generate().publicPem()));
        assertTrue(log.contains("CONSOLE_SWITCHBOARD_URL"), log);
    }

    @Test
    void namesThePublicKeyVariable() throws Exception {
        String log = startAndFail("console-no-key", Map.of("QUARKUS_HTTP_PORT", Integer.toString(ChildJvm.freePort()),
                "CONSOLE_SWITCHBOARD_URL", "http://localhost:1"));
        assertTrue(log.contains("SWITCHBOARD_JWT_PUBLIC_KEY"), log);
    }
}
