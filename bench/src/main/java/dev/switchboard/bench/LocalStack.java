package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.JwtKeys;
import dev.switchboard.local.LocalAws;

/**
 * The stack under test, started by the benchmark: DynamoDB Local (in memory) and S3Mock on free ports, then the
 * packaged switchboard, run from a copy of {@code quarkus-app} so that a rebuild during the run cannot change it
 * underfoot.
 */
final class LocalStack implements AutoCloseable {

    private final LocalAws aws;
    private final ChildJvm app;
    private final URI target;
    private final Path copy;

    private LocalStack(LocalAws aws, ChildJvm app, URI target, Path copy) {
        this.aws = aws;
        this.app = app;
        this.target = target;
        this.copy = copy;
    }

    static LocalStack start(Path appJar, Path logDir, CpuUsage cpu) throws IOException {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalStateException(appJar + " is missing: build the switchboard first:"
                    + " ./mvnw -B -q -pl local,switchboard -am package -DskipTests");
        }
        Path appDir = appJar.getParent();
        System.out.println(
                "switchboard: " + appJar + " (built " + Files.getLastModifiedTime(appDir.resolve("app")) + ")");
        Path copy = Files.createTempDirectory("switchboard-bench-app-");
        copyTree(appDir, copy);

        int dynamoPort = ChildJvm.freePort();
        int s3Port = ChildJvm.freePort();
        System.out.println("starting DynamoDB Local (in memory) on :" + dynamoPort + " and S3Mock on :" + s3Port
                + "; logs in " + logDir);
        LocalAws aws;
        try {
            aws = LocalAws.start(dynamoPort, s3Port, Optional.empty(), logDir);
        } catch (RuntimeException e) {
            delete(copy);
            throw e;
        }
        int appPort = ChildJvm.freePort();
        URI target = URI.create("http://localhost:" + appPort);
        System.out.println("starting the switchboard on :" + appPort);
        ChildJvm app = ChildJvm.start("switchboard",
                List.of("-Dquarkus.profile=dev", "-jar", copy.resolve(appJar.getFileName()).toString()), List.of(),
                env(aws, appPort), logDir, false);
        LocalStack stack = new LocalStack(aws, app, target, copy);
        cpu.track("app", app.pid());
        cpu.track("dynamodb", aws.dynamo().process().pid());
        // The remaining child is S3Mock, idle here but still a JVM on the same cores.
        ProcessHandle.current().children()
                .filter(child -> child.pid() != app.pid() && child.pid() != aws.dynamo().process().pid())
                .forEach(child -> cpu.track("s3mock", child.pid()));
        return stack;
    }

    /**
     * Where the switchboard finds its storage and port, and a fresh key pair for its login tokens: it does not start
     * without one (the dev profile reads it from the environment, as {@code ./scripts/run} provides it).
     */
    private static Map<String, String> env(LocalAws aws, int appPort) {
        Map<String, String> env = new HashMap<>(JwtKeys.generate().env());
        env.put("DYNAMODB_ENDPOINT", aws.dynamo().endpoint());
        env.put("S3_ENDPOINT", aws.s3().endpoint());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(appPort));
        return env;
    }

    URI target() {
        return target;
    }

    URI dynamodb() {
        return URI.create(aws.dynamo().endpoint());
    }

    boolean appAlive() {
        return app.isAlive();
    }

    Path appLog() {
        return app.log();
    }

    @Override
    public void close() {
        long began = System.nanoTime();
        app.close();
        aws.dynamo().close();
        aws.s3().close();
        delete(copy);
        System.out.printf("stopped the stack in %d ms%n", Duration.ofNanos(System.nanoTime() - began).toMillis());
    }

    /** Copies a folder tree, keeping files' times (the app's build time is printed from them). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Deletes a folder tree, only reporting what could not be removed. */
    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }
}
