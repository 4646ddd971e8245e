package dev.switchboard.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The same DynamoDB Local, written to directly: one message-sized PutItem per operation, and (what a webhook really
 * costs) one TransactWriteItems of three puts shaped like the switchboard's: a conditional MessageSid claim, a
 * conditional message put into a table with a stream, and a conversation summary into a table with an index. Every
 * table is a scratch table of this run, dropped at the end.
 */
final class RawDynamo implements AutoCloseable {

    private final DynamoDbClient dynamo;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String putTable = "bench-put-" + run;
    private final String sidTable = "bench-txn-sids-" + run;
    private final String messageTable = "bench-txn-messages-" + run;
    private final String conversationTable = "bench-txn-conversations-" + run;
    private final List<String> created = new ArrayList<>();
    private final int customers;

    RawDynamo(URI endpoint, int customers) {
        this.customers = customers;
        // The URL-connection client, as the switchboard's own DynamoDB client uses; SDK defaults otherwise.
        this.dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(config -> config.apiCallTimeout(Duration.ofSeconds(10))).build();
    }

    void createTables() {
        create(CreateTableRequest.builder().tableName(putTable)
                .attributeDefinitions(attribute("pk", ScalarAttributeType.S), attribute("sk", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)));
        create(CreateTableRequest.builder().tableName(sidTable)
                .attributeDefinitions(attribute("sid", ScalarAttributeType.S)).keySchema(key("sid", KeyType.HASH)));
        create(CreateTableRequest.builder().tableName(messageTable)
                .attributeDefinitions(attribute("pk", ScalarAttributeType.S), attribute("sk", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)).streamSpecification(StreamSpecification
                        .builder().streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build()));
        create(CreateTableRequest.builder().tableName(conversationTable)
                .attributeDefinitions(attribute("id", ScalarAttributeType.S), attribute("state", ScalarAttributeType.S),
                        attribute("since", ScalarAttributeType.N))
                .keySchema(key("id", KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("by-state")
                        .keySchema(key("state", KeyType.HASH), key("since", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
    }

    /** One message-sized item (about 300 bytes) into the plain scratch table. */
    int put(long i) {
        dynamo.putItem(PutItemRequest.builder().tableName(putTable).item(message(i)).build());
        return 200;
    }

    /** Three puts in one transaction, as one webhook's store. */
    int transact(long i) {
        Map<String, AttributeValue> message = message(i);
        String conversation = message.get("pk").s();
        Map<String, AttributeValue> conversationItem = new HashMap<>();
        conversationItem.put("id", s(conversation));
        conversationItem.put("state", s("waiting"));
        conversationItem.put("since", n(System.currentTimeMillis()));
        conversationItem.put("lastMessageId", message.get("sk"));
        conversationItem.put("lastMessagePreview", message.get("body"));
        conversationItem.put("updatedAt", message.get("updatedAt"));
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                .transactItems(
                        TransactWriteItem.builder()
                                .put(Put.builder().tableName(sidTable)
                                        .item(Map.of("sid", message.get("twilioSid"), "conversation", s(conversation)))
                                        .conditionExpression("attribute_not_exists(sid)").build())
                                .build(),
                        TransactWriteItem.builder()
                                .put(Put.builder().tableName(messageTable).item(message)
                                        .conditionExpression("attribute_not_exists(sk)").build())
                                .build(),
                        TransactWriteItem.builder()
                                .put(Put.builder().tableName(conversationTable).item(conversationItem).build()).build())
                .build());
        return 200;
    }

    /** A stored message as the switchboard keeps one, keyed by conversation and a unique, time-ordered id. */
    private Map<String, AttributeValue> message(long i) {
        long customer = Math.floorMod(i * 7919, customers);
        long now = System.currentTimeMillis();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(Webhooks.BUSINESS_NUMBER + "#" + Webhooks.customerNumber(customer)));
        item.put("sk", s(String.format("%013d", now) + UUID.randomUUID().toString().substring(0, 13)));
        item.put("direction", s("inbound"));
        item.put("from", s(Webhooks.customerNumber(customer)));
        item.put("to", s(Webhooks.BUSINESS_NUMBER));
        item.put("body", s(Webhooks.body(i)));
        item.put("twilioSid", s("SM" + UUID.randomUUID().toString().replace("-", "")));
        item.put("status", s("received"));
        item.put("createdAt", n(now));
        item.put("updatedAt", n(now));
        item.put("media", AttributeValue.fromL(List.of()));
        return item;
    }

    /** The approximate DynamoDB size of the PutItem item: attribute names plus values. */
    int itemBytes() {
        int bytes = 0;
        for (Map.Entry<String, AttributeValue> entry : message(0).entrySet()) {
            AttributeValue value = entry.getValue();
            bytes += entry.getKey().length() + (value.s() != null ? value.s().length()
                    : value.n() != null ? (value.n().length() + 1) / 2 + 1 : 3);
        }
        return bytes;
    }

    private void create(CreateTableRequest.Builder request) {
        CreateTableRequest built = request.billingMode(BillingMode.PAY_PER_REQUEST).build();
        dynamo.createTable(built);
        created.add(built.tableName());
        dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(built.tableName()));
    }

    @Override
    public void close() {
        for (String table : created) {
            try {
                dynamo.deleteTable(builder -> builder.tableName(table));
            } catch (RuntimeException e) {
                System.err.println("could not drop scratch table " + table + ": " + e);
            }
        }
        dynamo.close();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
