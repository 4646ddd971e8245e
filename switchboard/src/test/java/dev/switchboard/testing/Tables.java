package dev.switchboard.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads this run's DynamoDB Local ({@link LocalServersResource}) directly, whatever the tables' layout: for checks that
 * nothing was stored anywhere, including where no API of the switchboard would show it. Its own client, so that it
 * works against the packaged application (*IT) too, where nothing can be injected.
 */
public final class Tables {

    private static DynamoDbClient dynamo;

    private Tables() {
    }

    private static synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = DynamoDbClient.builder()
                    .endpointOverride(URI.create(System.getProperty(LocalServersResource.DYNAMODB_ENDPOINT_PROPERTY)))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        }
        return dynamo;
    }

    /** Every item, in every table, with any attribute whose text contains {@code text}. */
    public static List<Map<String, AttributeValue>> itemsMentioning(String text) {
        DynamoDbClient client = dynamo();
        return client.listTablesPaginator().tableNames().stream()
                .flatMap(table -> client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream())
                .filter(item -> item.toString().contains(text)).toList();
    }
}
