package dev.switchboard.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The launcher's orphan rule: SIGKILL the launcher (which no shutdown hook sees) and every child is gone within 5 s,
 * their ports free for the next run. The launcher here is {@link LauncherProbe}: the local run's watchdog and
 * supervisor with light children (two JVMs and a real redis-server).
 */
class LauncherOrphanTest {

    @Test
    void sigkillOfTheLauncherTakesEveryChildWithItWithinFiveSeconds() throws Exception {
        assumeTrue(RedisServer.installed(), "redis-server is installed by scripts/install-prerequisites");
        Path run = Files.createTempDirectory(Path.of("target"), "orphan-run");
        int[] ports = { ChildJvm.freePort(), ChildJvm.freePort(), ChildJvm.freePort() };
        Process launcher = new ProcessBuilder(ChildJvm.javaBinary(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), LauncherProbe.class.getName(), run.toString(),
                Integer.toString(ports[0]), Integer.toString(ports[1]), Integer.toString(ports[2]))
                        .redirectErrorStream(true).start();
        List<Long> children = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready")) {
                // supervisor output
            }
            assertTrue(line != null, "the probe launcher ended before its children were up");
            Arrays.stream(line.substring("ready".length()).trim().split(" ")).map(Long::parseLong)
                    .forEach(children::add);
            assertEquals(3, children.size());
            // Positive control: they run and hold their ports while the launcher lives.
            for (long pid : children) {
                assertTrue(alive(pid), "child " + pid + " is not running");
            }
            for (int port : ports) {
                assertTrue(!free(port), "port " + port + " is not held");
            }

            launcher.destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> children.stream().noneMatch(LauncherOrphanTest::alive));
            System.out.printf("every child gone %d ms after SIGKILL of the launcher%n",
                    (System.nanoTime() - killed) / 1_000_000);
            for (int port : ports) {
                assertTrue(free(port), "port " + port + " is still held");
            }
        } finally {
            launcher.destroyForcibly();
            children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Running, and not a zombie waiting for whatever reaps orphans here. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException held) {
            return false;
        }
    }
}
