package dev.switchboard.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Amazon's DynamoDB Local in a child JVM. In memory for tests; on disk under a folder for the local run, so data
 * survives restarts. {@code -sharedDb} makes every access key and region see the same tables.
 */
public final class DynamoDbLocal implements AutoCloseable {

    private static final String MAIN = "software.amazon.dynamodb.services.local.main.ServerRunner";

    private final ChildJvm jvm;
    private final int port;

    private DynamoDbLocal(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /**
     * @param port
     *            the port to listen on
     * @param dataDir
     *            where to keep tables; empty keeps them in memory
     * @param logDir
     *            where the server's output goes
     */
    public static DynamoDbLocal start(int port, Optional<Path> dataDir, Path logDir) {
        List<String> jvmArgs = new ArrayList<>(
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", ChildJvm.classpathResource("dynamodb-local.classpath")));
        if (Runtime.version().feature() >= 22) {
            jvmArgs.add("--enable-native-access=ALL-UNNAMED");
        }
        List<String> args = new ArrayList<>(
                List.of(MAIN, "-port", Integer.toString(port), "-disableTelemetry", "-sharedDb"));
        if (dataDir.isPresent()) {
            args.addAll(List.of("-dbPath", dataDir.get().toAbsolutePath().toString()));
            dataDir.get().toFile().mkdirs();
        } else {
            args.add("-inMemory");
        }
        ChildJvm jvm = ChildJvm.start("dynamodb-local-" + port, jvmArgs, args, logDir);
        jvm.awaitPort(port, Duration.ofSeconds(60));
        return new DynamoDbLocal(jvm, port);
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
