package dev.switchboard.contacts;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Contacts in DynamoDB: one item per customer ({@code customer, name?, notes?, updatedAt, updatedBy}). */
@ApplicationScoped
public class ContactStore {

    private static final Logger LOG = Logger.getLogger(ContactStore.class);

    public static final String CUSTOMER = "customer";
    /** The name in lower case, for conversation search ({@code contains} is case-sensitive). */
    public static final String SEARCH_NAME = "searchName";

    private final DynamoDbClient dynamo;
    private final ContactsConfig config;

    ContactStore(DynamoDbClient dynamo, ContactsConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Optional<Contact> find(String customer) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(config.table())
                .key(Map.of(CUSTOMER, AttributeValue.fromS(customer))).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Contact(item.get(CUSTOMER).s(), text(item.get("name")), text(item.get("notes")),
                Instant.ofEpochMilli(Long.parseLong(item.get("updatedAt").n())), text(item.get("updatedBy"))));
    }

    /** Replaces the contact: the last writer wins, as in any address book. The same put twice changes nothing. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    void put(Contact contact) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CUSTOMER, AttributeValue.fromS(contact.customer()));
        if (contact.name() != null) {
            item.put("name", AttributeValue.fromS(contact.name()));
            item.put(SEARCH_NAME, AttributeValue.fromS(contact.name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (contact.notes() != null) {
            item.put("notes", AttributeValue.fromS(contact.notes()));
        }
        item.put("updatedAt", AttributeValue.fromN(Long.toString(contact.updatedAt().toEpochMilli())));
        item.put("updatedBy", AttributeValue.fromS(contact.updatedBy()));
        dynamo.putItem(PutItemRequest.builder().tableName(config.table()).item(item).build());
    }

    /** Creates the table unless it exists. Only for local runs and tests: production tables come from infra. */
    public void createTableIfMissing() {
        String table = config.table();
        try {
            dynamo.createTable(CreateTableRequest.builder().tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(CUSTOMER)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(CUSTOMER).keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST).build());
            LOG.infof("created table %s", table);
        } catch (ResourceInUseException exists) {
            LOG.debugf("table %s exists", table);
        }
        dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(table));
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.s();
    }
}
