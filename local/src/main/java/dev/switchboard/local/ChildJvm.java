package dev.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server running in a JVM of its own, so that its libraries never meet the application's. Its output goes to a log
 * file; it is destroyed with the JVM that started it.
 */
public final class ChildJvm implements Running, AutoCloseable {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static volatile boolean ownSessions;

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code java [jvmArgs] args} with the same java binary as this JVM.
     */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> args, Path logDir) {
        return start(name, jvmArgs, args, Map.of(), logDir, false);
    }

    /**
     * Starts {@code java [jvmArgs] args} with extra environment variables; with {@code echo} its output goes to this
     * process's standard output instead of the log file.
     */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> args, Map<String, String> env,
            Path logDir, boolean echo) {
        List<String> command = new ArrayList<>();
        if (ownSessions && Files.isExecutable(SETSID)) {
            // Not a process group leader, so setsid calls setsid(2) and execs java: the pid stays the JVM's.
            command.add(SETSID.toString());
        }
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(args);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.redirectOutput(echo ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(log.toFile()));
            Process process = builder.start();
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    /**
     * From now on, starts children in sessions of their own, out of the terminal's process group: a Ctrl-C then reaches
     * only this JVM, which can stop them in order (applications before the databases they use), instead of all of them
     * at once. The local run's choice; tests keep the default.
     */
    public static void startInOwnSessions() {
        ownSessions = true;
    }

    /** Takes the process off this JVM's exit hooks: whoever calls this stops it, at exit too. */
    public void removeExitHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Reads a classpath that the build wrote under {@code switchboard-local/} on this module's classpath. */
    static String classpathResource(String file) {
        String resource = "switchboard-local/" + file;
        try (InputStream in = ChildJvm.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: build the 'local' module with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the port accepts connections, failing early if the process dies. */
    public void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        stop();
        throw new IllegalStateException(
                name + " did not listen on port " + port + " within " + timeout + "; see " + log);
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public int exitCode() {
        return process.exitValue();
    }

    /** Waits until the process ends. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Path log() {
        return log;
    }

    /** Stops the process: politely first, then by force. */
    @Override
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Kills the process at once, as a crash would. */
    @Override
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    /**
     * Closes every one at once and returns when all have exited: each may take its shutdown timeout to let go of its
     * stream leases, and one after another would add those up.
     */
    public static void closeAll(List<ChildJvm> jvms) {
        List<Thread> stopping = new ArrayList<>();
        for (ChildJvm jvm : jvms) {
            Thread thread = new Thread(jvm::close, "stop-" + jvm.name);
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
