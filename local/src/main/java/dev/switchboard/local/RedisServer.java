package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server, on loopback, without persistence: switchboard instances use it only for pub/sub, which keeps
 * nothing. {@code scripts/install-prerequisites} installs the package.
 */
public final class RedisServer implements Running, AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private RedisServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-redis-" + port));
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of(binary()));
    }

    private static String binary() {
        return System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server");
    }

    public static RedisServer start(int port, Path logDir) {
        if (!installed()) {
            throw new IllegalStateException(binary() + " is missing: run ./scripts/install-prerequisites");
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve("redis-" + port + ".log");
            Process process = new ProcessBuilder(List.of(binary(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"))
                            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new RedisServer(process, port, log);
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("redis-server exited; see " + logDir);
                    }
                    ChildJvm.sleep(50);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not listen on " + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public int exitCode() {
        return process.exitValue();
    }

    @Override
    public Path log() {
        return log;
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
