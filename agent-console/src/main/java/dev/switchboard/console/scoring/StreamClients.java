package dev.switchboard.console.scoring;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * The clients the console's stream reader and score writer need, from {@code console.scoring.*} (the switchboard's
 * reader builds the same from its Quarkus DynamoDB settings). They share one small event loop.
 */
final class StreamClients implements AutoCloseable {

    private final Region region;
    private final SdkEventLoopGroup eventLoop;
    private final AwsCredentialsProvider credentials;
    private final ScoringConfig settings;
    private final DynamoDbAsyncClient dynamo;
    private final CloudWatchAsyncClient cloudWatch;

    StreamClients(ScoringConfig settings) {
        this.settings = settings;
        this.region = settings.region().map(Region::of)
                .orElseGet(() -> DefaultAwsRegionProviderChain.builder().build().getRegion());
        this.credentials = settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()
                ? StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKeyId().get(), settings.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
        this.eventLoop = SdkEventLoopGroup.builder().numberOfThreads(2).build();
        DynamoDbAsyncClientBuilder dynamoBuilder = DynamoDbAsyncClient.builder().region(region)
                .credentialsProvider(credentials).httpClientBuilder(netty());
        settings.endpoint().ifPresent(dynamoBuilder::endpointOverride);
        this.dynamo = dynamoBuilder.build();
        // Required by the KCL's configuration even though its metrics are off; it never sends a request.
        this.cloudWatch = CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials)
                .httpClientBuilder(netty()).build();
    }

    private NettyNioAsyncHttpClient.Builder netty() {
        return NettyNioAsyncHttpClient.builder().eventLoopGroup(eventLoop);
    }

    Region region() {
        return region;
    }

    DynamoDbAsyncClient dynamo() {
        return dynamo;
    }

    CloudWatchAsyncClient cloudWatch() {
        return cloudWatch;
    }

    /**
     * A streams client for the given stream. The adapter calls it synchronously. For DynamoDB Local's streams it
     * rewrites ARNs (see {@link LocalStreamArns}).
     */
    DynamoDbStreamsClient streams(String streamArn) {
        DynamoDbStreamsClientBuilder builder = DynamoDbStreamsClient.builder().region(region)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
        settings.endpoint().ifPresent(builder::endpointOverride);
        if (LocalStreamArns.isLocal(streamArn)) {
            builder.overrideConfiguration(override -> override.addExecutionInterceptor(new LocalStreamArns()));
        }
        return builder.build();
    }

    @Override
    public void close() {
        dynamo.close();
        cloudWatch.close();
        eventLoop.eventLoopGroup().shutdownGracefully();
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Nothing left to release that matters at shutdown.
            }
        }
    }
}
