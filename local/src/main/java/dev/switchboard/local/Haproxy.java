package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's HAProxy in the foreground, with a config rendered from {@code infra/haproxy/haproxy.cfg}
 * ({@link HaproxyConfig}), and its runtime API on the stats socket. {@code scripts/install-prerequisites} installs the
 * package.
 */
public final class Haproxy implements Running, AutoCloseable {

    /** The file an operator starts from, relative to the repository's root. */
    public static final Path TEMPLATE = Path.of("infra", "haproxy", "haproxy.cfg");

    private final Process process;
    private final Path socket;
    private final Path log;

    private Haproxy(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    public static String binary() {
        return System.getenv().getOrDefault("HAPROXY", "/usr/sbin/haproxy");
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of(binary()));
    }

    /**
     * Writes the config into {@code runDir} and starts HAProxy on it; returns once every frontend port accepts
     * connections.
     */
    public static Haproxy start(Path template, Path runDir, Path logDir, Map<String, Integer> binds,
            Map<String, List<Integer>> servers) {
        if (!installed()) {
            throw new IllegalStateException(binary() + " is missing: run ./scripts/install-prerequisites");
        }
        try {
            Files.createDirectories(runDir);
            Files.createDirectories(logDir);
            Path socket = runDir.toAbsolutePath().resolve("haproxy.sock");
            Path config = runDir.resolve("haproxy.cfg");
            Files.writeString(config, HaproxyConfig.render(Files.readString(template), socket, binds, servers));
            Path log = logDir.resolve("haproxy.log");
            List<String> command = List.of(binary(), "-db", "-f", config.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Haproxy haproxy = new Haproxy(process, socket, log);
            for (int port : binds.values()) {
                haproxy.awaitPort(port, Duration.ofSeconds(20));
            }
            return haproxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                ChildJvm.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("haproxy did not listen on " + port + "; see " + log);
    }

    public Path socket() {
        return socket;
    }

    /** Sends one command to the runtime API and returns its answer. */
    public String command(String command) {
        return command(socket, command);
    }

    /** Sends one command to the runtime API on {@code socket} and returns its answer. */
    public static String command(Path socket, String command) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            StringBuilder answer = new StringBuilder();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                answer.append(StandardCharsets.UTF_8.decode(buffer));
                buffer.clear();
            }
            return answer.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy's runtime API at " + socket + " did not answer " + command, e);
        }
    }

    /**
     * The servers' rows of {@code show stat}, keyed "backend/server", each a map from column (status, scur, stot, ...)
     * to value.
     */
    public static Map<String, Map<String, String>> stats(Path socket) {
        String[] lines = command(socket, "show stat").split("\n");
        Map<String, Map<String, String>> rows = new HashMap<>();
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            return rows;
        }
        String[] columns = lines[0].substring(2).split(",", -1);
        for (int i = 1; i < lines.length; i++) {
            String[] values = lines[i].split(",", -1);
            if (values.length < 2 || values[1].equals("FRONTEND") || values[1].equals("BACKEND")) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < Math.min(columns.length, values.length); c++) {
                row.put(columns[c], values[c]);
            }
            rows.put(values[0] + "/" + values[1], row);
        }
        return rows;
    }

    public Map<String, Map<String, String>> stats() {
        return stats(socket);
    }

    /** The status HAProxy's checks give a server: UP, DOWN, DRAIN, MAINT, "UP 1/2" while rising... */
    public String status(String backendAndServer) {
        Map<String, String> row = stats().get(backendAndServer);
        return row == null ? "absent" : row.get("status");
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
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        stop();
    }

    /** Every server of a backend as "backend/server", in the rendered config's order. */
    public static List<String> servers(String backend, String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(backend + "/" + HaproxyConfig.serverName(prefix, i));
        }
        return names;
    }
}
