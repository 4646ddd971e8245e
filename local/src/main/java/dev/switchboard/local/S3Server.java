package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adobe S3Mock, a real S3 protocol server, in a child JVM. Objects live under a folder that is kept between runs when
 * one is given.
 */
public final class S3Server implements AutoCloseable {

    private final ChildJvm jvm;
    private final int port;

    private S3Server(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /**
     * @param port
     *            the HTTP port
     * @param dataDir
     *            where objects are kept between runs; empty uses a temporary folder removed on exit
     * @param logDir
     *            where the server's output goes
     */
    public static S3Server start(int port, Optional<Path> dataDir, Path logDir) {
        List<String> jvmArgs = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                ChildJvm.classpathResource("s3mock.classpath"));
        // server.port is S3Mock's HTTPS listener: 0 keeps two servers on one machine from fighting over 9191.
        List<String> args = new ArrayList<>(
                List.of("--http.port=" + port, "--server.port=0", "--spring.main.banner-mode=off"));
        if (dataDir.isPresent()) {
            dataDir.get().toFile().mkdirs();
            args.add("--com.adobe.testing.s3mock.store.root=" + dataDir.get().toAbsolutePath());
            args.add("--com.adobe.testing.s3mock.store.retain-files-on-exit=true");
        }
        ChildJvm jvm = ChildJvm.start("s3mock-" + port, jvmArgs, args, logDir);
        jvm.awaitPort(port, Duration.ofSeconds(90));
        awaitHttp(jvm, port);
        return new S3Server(jvm, port);
    }

    /** The port opens a little before the server answers; wait for a real S3 answer. */
    private static void awaitHttp(ChildJvm jvm, int port) {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // keep waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (!jvm.isAlive()) {
                throw new IllegalStateException("S3Mock exited; see " + jvm.log());
            }
            ChildJvm.sleep(200);
        }
        throw new IllegalStateException("S3Mock did not answer; see " + jvm.log());
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ChildJvm process() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.close();
    }
}
