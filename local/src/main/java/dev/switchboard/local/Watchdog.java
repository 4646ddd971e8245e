package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes the local run's children down with it however it ends. A child started with {@code ProcessBuilder} outlives a
 * launcher killed with SIGKILL, so the launcher starts this small shell process, in a session of its own, reading a
 * pipe whose only writer is the launcher: the pipe closes the moment the launcher is gone, for whatever reason, and the
 * watchdog then sends SIGTERM to every pid listed in the children file, and SIGKILL after 3 s to what is left.
 * <p>
 * The children file has one line per live child: {@code pid<TAB>start-millis<TAB>name}. The start time lets the next
 * run tell a leftover from a process that happens to have been given the same pid since.
 */
public final class Watchdog {

    private static final String SCRIPT = """
            trap '' INT HUP TERM
            read -r _ || true
            pids=$(cut -f1 "$1" 2>/dev/null)
            [ -n "$pids" ] || exit 0
            kill -TERM $pids 2>/dev/null
            alive() { for p in $pids; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
            for _ in $(seq 30); do alive || exit 0; sleep 0.1; done
            kill -KILL $pids 2>/dev/null
            exit 0
            """;

    private final Process process;
    private final Path children;

    private Watchdog(Process process, Path children) {
        this.process = process;
        this.children = children;
    }

    /** Starts the watchdog on {@code children}, which this launcher keeps up to date with {@link #write}. */
    public static Watchdog start(Path children) {
        try {
            Files.createDirectories(children.getParent());
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(List.of("bash", "-c", SCRIPT, "switchboard-watchdog", children.toString()));
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new Watchdog(process, children);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the watchdog", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Replaces the children file (atomically: the watchdog may read it at any moment). */
    public synchronized void write(List<? extends Running> running) {
        StringBuilder lines = new StringBuilder();
        for (Running child : running) {
            if (child.isAlive()) {
                lines.append(child.pid()).append('\t').append(startMillis(child.pid()).orElse(0L)).append('\n');
            }
        }
        try {
            Path next = children.resolveSibling(children.getFileName() + ".next");
            Files.writeString(next, lines, StandardCharsets.UTF_8);
            Files.move(next, children, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("warning: could not write " + children + ": " + e.getMessage());
        }
    }

    /**
     * Stops what a launcher that died without its watchdog (both killed at once) left running, by the children file it
     * left: only processes whose start time still matches, so a pid taken by something else since is left alone.
     *
     * @return how many were stopped
     */
    public static int stopLeftovers(Path children) {
        if (!Files.exists(children)) {
            return 0;
        }
        int stopped = 0;
        try {
            List<ProcessHandle> left = new ArrayList<>();
            for (String line : Files.readAllLines(children, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t");
                if (fields.length < 2) {
                    continue;
                }
                long pid = Long.parseLong(fields[0]);
                long start = Long.parseLong(fields[1]);
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent() && startMillis(pid).orElse(-1L) == start) {
                    left.add(handle.get());
                }
            }
            left.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : left) {
                try {
                    handle.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception stillThere) {
                    handle.destroyForcibly();
                }
                stopped++;
            }
            Files.deleteIfExists(children);
        } catch (IOException | NumberFormatException e) {
            System.err.println("warning: could not read " + children + ": " + e.getMessage());
        }
        return stopped;
    }

    private static Optional<Long> startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli);
    }

    /** The launcher ends normally: nothing is left to stop, and the watchdog sees its pipe close. */
    public void finish() {
        try {
            Files.deleteIfExists(children);
            process.getOutputStream().close();
        } catch (IOException e) {
            // the watchdog reads an empty list or none
        }
    }
}
