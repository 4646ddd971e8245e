package dev.switchboard.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** The local run's process manager: a crash is restarted with back-off; a crash loop is given up on, loudly. */
class SupervisorTest {

    private static final String CLASSPATH = System.getProperty("java.class.path");

    @Test
    void aKilledChildIsStartedAgainAndTheRestartIsCounted() throws Exception {
        Path run = Files.createTempDirectory(Path.of("target"), "supervisor");
        List<String> said = new CopyOnWriteArrayList<>();
        int port = ChildJvm.freePort();
        try (Supervisor supervisor = new Supervisor(
                new Supervisor.Policy(Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofMinutes(1)), null,
                run.resolve("instances"), said::add)) {
            Supervisor.Component child = supervisor.start(spec("sb1", port, run, null));
            Supervisor.Component other = supervisor.start(spec("sb2", ChildJvm.freePort(), run, null));
            supervisor.watch();
            long first = child.running().pid();
            long otherPid = other.running().pid();
            assertEquals(first, RollingRestart.read(run.resolve("instances")).get(0).pid());

            child.running().kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> child.running() != null && child.restarts() == 1
                    && child.running().isAlive() && child.running().pid() != first);
            assertTrue(said.stream().anyMatch(l -> l.contains("sb1 exited with 137") && l.contains("crash 1 of 3")),
                    said.toString());
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> said.stream().anyMatch(l -> l.contains("sb1 started again") && l.contains("restarts: 1")));
            // The others were left alone, and the file scripts/rolling-restart reads names the new pid.
            assertEquals(otherPid, other.running().pid());
            assertTrue(other.running().isAlive());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> RollingRestart.read(run.resolve("instances")).get(0).pid() == child.running().pid());
            assertEquals(1, RollingRestart.read(run.resolve("instances")).get(0).restarts());
        }
    }

    @Test
    void aSigtermIsARequestedStopNotACrash() throws Exception {
        Path run = Files.createTempDirectory(Path.of("target"), "supervisor");
        List<String> said = new CopyOnWriteArrayList<>();
        try (Supervisor supervisor = new Supervisor(
                new Supervisor.Policy(Duration.ofSeconds(20), Duration.ofSeconds(20), 1, Duration.ofMinutes(1)), null,
                run.resolve("instances"), said::add)) {
            Supervisor.Component child = supervisor.start(spec("sb1", ChildJvm.freePort(), run, null));
            supervisor.watch();
            long first = child.running().pid();
            ProcessHandle.of(first).orElseThrow().destroy();
            // With one crash allowed and a 20 s back-off, only a stop on request comes back at once.
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> child.running() != null && child.running().pid() != first && child.running().isAlive());
            assertTrue(!child.givenUp());
            assertTrue(said.stream().anyMatch(l -> l.contains("sb1 stopped on request (exit 143)")), said.toString());
        }
    }

    @Test
    void aCrashLoopIsGivenUpOnLoudlyAndTheRestKeepsRunning() throws Exception {
        Path run = Files.createTempDirectory(Path.of("target"), "supervisor");
        List<String> said = new CopyOnWriteArrayList<>();
        try (Supervisor supervisor = new Supervisor(
                new Supervisor.Policy(Duration.ofMillis(50), Duration.ofMillis(200), 3, Duration.ofMinutes(1)), null,
                run.resolve("instances"), said::add)) {
            Supervisor.Component crashing = supervisor.start(spec("sb1", ChildJvm.freePort(), run, "3"));
            Supervisor.Component healthy = supervisor.start(spec("sb2", ChildJvm.freePort(), run, null));
            supervisor.watch();
            await().atMost(Duration.ofSeconds(60)).until(crashing::givenUp);
            assertEquals(2, crashing.restarts(), "started 3 times in all, then given up");
            assertTrue(said.stream().anyMatch(l -> l.startsWith("error: sb1 crashed 3 times") && l.contains("NOT")),
                    said.toString());
            assertTrue(healthy.running().isAlive());
            assertNotEquals(0, RollingRestart.read(run.resolve("instances")).get(1).pid());
        }
    }

    @Test
    void keepsTheLogsOfTheLastThreeRuns() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "logs");
        Path log = dir.resolve("sb1.log");
        for (int run = 1; run <= 5; run++) {
            Files.writeString(log, "run " + run);
            assertEquals(dir.resolve("sb1.log.1"), Supervisor.keep(log));
        }
        assertEquals("run 5", Files.readString(dir.resolve("sb1.log.1")));
        assertEquals("run 4", Files.readString(dir.resolve("sb1.log.2")));
        assertEquals("run 3", Files.readString(dir.resolve("sb1.log.3")));
        assertTrue(Files.notExists(dir.resolve("sb1.log.4")));
        assertTrue(Files.notExists(log));
    }

    private static Supervisor.Spec spec(String name, int port, Path logs, String exitCode) {
        List<String> args = exitCode == null ? List.of(Sleeper.class.getName(), Integer.toString(port))
                : List.of(Sleeper.class.getName(), Integer.toString(port), exitCode);
        return new Supervisor.Spec(name, port, Optional.of("switchboards/" + name), Optional.empty(), () -> {
            ChildJvm jvm = ChildJvm.start(name, List.of("-Xmx32m", "-cp", CLASSPATH), args, Map.of(), logs, false);
            jvm.removeExitHook();
            return jvm;
        });
    }
}
