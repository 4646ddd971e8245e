package dev.switchboard.local;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * DynamoDB Local and S3Mock, started together (in parallel, they take seconds each) on free ports, once per JVM however
 * many test classes ask.
 */
public final class LocalAws {

    private static LocalAws shared;

    private final DynamoDbLocal dynamo;
    private final S3Server s3;

    private LocalAws(DynamoDbLocal dynamo, S3Server s3) {
        this.dynamo = dynamo;
        this.s3 = s3;
    }

    /** The servers of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized LocalAws shared(Path logDir) {
        if (shared == null) {
            shared = start(ChildJvm.freePort(), ChildJvm.freePort(), Optional.empty(), logDir);
        }
        return shared;
    }

    /**
     * Starts both servers.
     *
     * @param dataDir
     *            where to keep data between runs ({@code dynamodb/} and {@code s3/} below it); empty keeps none
     */
    public static LocalAws start(int dynamoPort, int s3Port, Optional<Path> dataDir, Path logDir) {
        CompletableFuture<S3Server> s3 = CompletableFuture
                .supplyAsync(() -> S3Server.start(s3Port, dataDir.map(dir -> dir.resolve("s3")), logDir));
        CompletableFuture<DynamoDbLocal> dynamo = CompletableFuture.supplyAsync(
                () -> DynamoDbLocal.start(dynamoPort, dataDir.map(dir -> dir.resolve("dynamodb")), logDir));
        try {
            return new LocalAws(dynamo.join(), s3.join());
        } catch (CompletionException e) {
            s3.thenAccept(S3Server::close);
            dynamo.thenAccept(DynamoDbLocal::close);
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    public DynamoDbLocal dynamo() {
        return dynamo;
    }

    public S3Server s3() {
        return s3;
    }
}
