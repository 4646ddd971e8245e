package dev.switchboard.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code scripts/rolling-restart}: restarts the instances of a running {@code ./scripts/run} one at a time,
 * switchboards first, then consoles. For each: drain it in HAProxy (no new requests or sockets), SIGTERM (its agents'
 * sockets are closed with 1012 and reconnect through the proxy to another instance, requests under way finish), wait
 * for it to exit, wait for the launcher to start it again and for it to be ready, put it back in HAProxy and wait until
 * HAProxy's own check finds it up. Then the next.
 */
public final class RollingRestart {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private RollingRestart() {
    }

    /** A line of the launcher's {@code run/instances}. */
    record Instance(String name, int port, long pid, String server, int restarts) {
        static Instance parse(String line) {
            String[] f = line.split("\t");
            return new Instance(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3], Integer.parseInt(f[4]));
        }
    }

    public static void main(String[] args) {
        Path data = Path.of(LocalRun.env("SWITCHBOARD_DATA_DIR", ".local-data")).toAbsolutePath().normalize();
        Path run = data.resolve("run");
        String only = args.length > 0 ? args[0] : "all";
        if (!List.of("all", "switchboards", "consoles").contains(only)) {
            System.err.println("usage: ./scripts/rolling-restart [all|switchboards|consoles]");
            System.exit(2);
        }
        try {
            System.exit(restart(run, only));
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static int restart(Path run, String only) {
        Path file = run.resolve("instances");
        Path socket = run.resolve("haproxy.sock");
        if (!Files.exists(file) || !Files.exists(socket)) {
            throw new IllegalStateException(
                    "no ./scripts/run behind HAProxy is running (no " + file + " or " + socket + ")");
        }
        List<Instance> instances = read(file).stream()
                .filter(i -> only.equals("all") || i.server().startsWith(only + "/"))
                .sorted(java.util.Comparator.comparing((Instance i) -> !i.server().startsWith("switchboards/")))
                .toList();
        for (Instance instance : instances) {
            long began = System.nanoTime();
            Instance current = find(file, instance.name()).orElseThrow();
            if (current.pid() == 0 || ProcessHandle.of(current.pid()).isEmpty()) {
                throw new IllegalStateException(instance.name() + " is not running; not touching the others");
            }
            Haproxy.command(socket, "set server " + current.server() + " state drain");
            ProcessHandle process = ProcessHandle.of(current.pid()).get();
            process.destroy();
            try {
                process.onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(instance.name() + " (pid " + current.pid() + ") did not stop within "
                        + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
            }
            double stopped = seconds(began);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            Instance next = current;
            while (next.pid() == 0 || next.pid() == current.pid()) {
                check(deadline, instance.name() + " was not started again (is ./scripts/run still running?)");
                ChildJvm.sleep(100);
                next = find(file, instance.name()).orElse(next);
            }
            while (Readiness.status("http://localhost:" + current.port() + "/q/health/ready") != 200) {
                check(deadline, instance.name() + " did not become ready; see its log");
                ChildJvm.sleep(250);
            }
            double ready = seconds(began);
            Haproxy.command(socket, "set server " + current.server() + " state ready");
            while (!"UP".equals(status(socket, current.server()))) {
                check(deadline, "HAProxy does not see " + current.server() + " up");
                ChildJvm.sleep(100);
            }
            System.out.printf("%s: stopped %.1f s after SIGTERM, ready at %.1f s, back in HAProxy at %.1f s (pid %d)%n",
                    instance.name(), stopped, ready, seconds(began), next.pid());
        }
        System.out.println("Restarted " + instances.size() + " instance(s), one at a time");
        return 0;
    }

    private static String status(Path socket, String server) {
        var row = Haproxy.stats(socket).get(server);
        return row == null ? "absent" : row.get("status");
    }

    private static void check(long deadline, String message) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(message);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static List<Instance> read(Path file) {
        try {
            List<Instance> instances = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    instances.add(Instance.parse(line));
                }
            }
            return instances;
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + file + ": " + e.getMessage());
        }
    }

    private static Optional<Instance> find(Path file, String name) {
        return read(file).stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
