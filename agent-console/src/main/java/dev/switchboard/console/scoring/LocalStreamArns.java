package dev.switchboard.console.scoring;

import java.util.Optional;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.model.Stream;

/**
 * DynamoDB Local names its streams with the region {@code ddblocal}, which the streams adapter (2.0.1) refuses. Against
 * DynamoDB Local only, the KCL is given the ARN with {@value #STAND_IN} instead, and this interceptor on the streams
 * client puts {@code ddblocal} back into every request and takes it out of every answer, so both sides see the ARN they
 * accept. Never installed for a real AWS stream.
 */
final class LocalStreamArns implements ExecutionInterceptor {

    static final String LOCAL = ":ddblocal:";
    static final String STAND_IN = ":us-east-1:";

    static boolean isLocal(String streamArn) {
        return streamArn.contains(LOCAL);
    }

    /** The ARN the KCL and the adapter can parse. */
    static String forKcl(String streamArn) {
        return streamArn.replace(LOCAL, STAND_IN);
    }

    static String forServer(String streamArn) {
        return streamArn == null ? null : streamArn.replace(STAND_IN, LOCAL);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof DescribeStreamRequest describe) {
            return describe.toBuilder().streamArn(forServer(describe.streamArn())).build();
        }
        if (request instanceof GetShardIteratorRequest iterator) {
            return iterator.toBuilder().streamArn(forServer(iterator.streamArn())).build();
        }
        return request;
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof DescribeStreamResponse describe && describe.streamDescription() != null) {
            return describe.toBuilder().streamDescription(describe.streamDescription().toBuilder()
                    .streamArn(toKcl(describe.streamDescription().streamArn())).build()).build();
        }
        if (response instanceof ListStreamsResponse list && list.hasStreams()) {
            return list.toBuilder()
                    .streams(list.streams().stream()
                            .map(stream -> stream.toBuilder().streamArn(toKcl(stream.streamArn())).build())
                            .toArray(Stream[]::new))
                    .lastEvaluatedStreamArn(toKcl(list.lastEvaluatedStreamArn())).build();
        }
        return response;
    }

    private static String toKcl(String arn) {
        return Optional.ofNullable(arn).map(LocalStreamArns::forKcl).orElse(null);
    }
}
