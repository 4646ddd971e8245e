package dev.switchboard.canned;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Canned replies in DynamoDB, one table keyed by {@code pk}, three kinds of item:
 * <ul>
 * <li>{@code reply#<id>}: the reply ({@code id, shortcut, text, createdAt, updatedAt, updatedBy});</li>
 * <li>{@code shortcut#<shortcut>}: {@code replyId}, so that a shortcut names one reply, however many admins write at
 * once;</li>
 * <li>{@code count}: {@code n}, the number of replies, held under {@link CannedConfig#maxReplies()}.</li>
 * </ul>
 * Every change writes the items it touches in one transaction, each conditionally.
 */
@ApplicationScoped
public class CannedStore {

    private static final Logger LOG = Logger.getLogger(CannedStore.class);

    static final String PK = "pk";
    private static final String REPLY = "reply#";
    private static final String SHORTCUT = "shortcut#";
    private static final String COUNT = "count";

    /** Why a change was refused, in the order its transaction lists the items. */
    enum Outcome {
        DONE, MISSING, SHORTCUT_TAKEN, FULL, CHANGED_MEANWHILE
    }

    private final DynamoDbClient dynamo;
    private final CannedConfig config;

    CannedStore(DynamoDbClient dynamo, CannedConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public List<CannedReply> list() {
        return dynamo
                .scanPaginator(ScanRequest.builder().tableName(config.table()).consistentRead(true)
                        .filterExpression("begins_with(#pk, :reply)").expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":reply", AttributeValue.fromS(REPLY))).build())
                .items().stream().map(CannedStore::reply).sorted(Comparator.comparing(CannedReply::shortcut)).toList();
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    Optional<CannedReply> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(
                GetItemRequest.builder().tableName(config.table()).key(key(REPLY + id)).consistentRead(true).build())
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(reply(item));
    }

    /** Creates the reply, its shortcut and one more in the count, or nothing. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    Outcome create(CannedReply reply) {
        try {
            dynamo.transactWriteItems(
                    tx -> tx.transactItems(
                            TransactWriteItem.builder()
                                    .put(Put.builder().tableName(config.table()).item(item(reply))
                                            .conditionExpression("attribute_not_exists(#pk)")
                                            .expressionAttributeNames(Map.of("#pk", PK)).build())
                                    .build(),
                            putShortcut(reply),
                            TransactWriteItem
                                    .builder().update(
                                            Update.builder().tableName(config.table()).key(key(COUNT))
                                                    .updateExpression("SET #n = if_not_exists(#n, :zero) + :one")
                                                    .conditionExpression("attribute_not_exists(#n) OR #n < :max")
                                                    .expressionAttributeNames(Map.of("#n", "n"))
                                                    .expressionAttributeValues(Map.of(":zero", number(0), ":one",
                                                            number(1), ":max", number(config.maxReplies())))
                                                    .build())
                                    .build()));
            return Outcome.DONE;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 0)) {
                // Only a retry of this very call, whose first answer was lost, can find its own id taken.
                return find(reply.id()).filter(reply::equals).isPresent() ? Outcome.DONE : Outcome.CHANGED_MEANWHILE;
            }
            if (failed(reasons, 1)) {
                return Outcome.SHORTCUT_TAKEN;
            }
            if (failed(reasons, 2)) {
                return Outcome.FULL;
            }
            throw e;
        }
    }

    /** Replaces shortcut and text of {@code before}, if it is still as read; a new shortcut moves its guard item. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    Outcome replace(CannedReply before, CannedReply after) {
        TransactWriteItem reply = TransactWriteItem.builder()
                .put(Put.builder().tableName(config.table()).item(item(after)).conditionExpression("#updated = :before")
                        .expressionAttributeNames(Map.of("#updated", "updatedAt"))
                        .expressionAttributeValues(Map.of(":before", millis(before.updatedAt()))).build())
                .build();
        try {
            if (before.shortcut().equals(after.shortcut())) {
                dynamo.transactWriteItems(tx -> tx.transactItems(reply));
            } else {
                dynamo.transactWriteItems(tx -> tx.transactItems(reply, deleteShortcut(before), putShortcut(after)));
            }
            return Outcome.DONE;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 0)) {
                return find(after.id()).map(now -> now.equals(after) ? Outcome.DONE : Outcome.CHANGED_MEANWHILE)
                        .orElse(Outcome.MISSING);
            }
            if (failed(reasons, 2)) {
                return Outcome.SHORTCUT_TAKEN;
            }
            throw e;
        }
    }

    /** Deletes the reply as read, its shortcut, and one from the count. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    Outcome delete(CannedReply reply) {
        try {
            dynamo.transactWriteItems(tx -> tx.transactItems(
                    TransactWriteItem.builder()
                            .delete(Delete.builder().tableName(config.table()).key(key(REPLY + reply.id()))
                                    .conditionExpression("#updated = :before")
                                    .expressionAttributeNames(Map.of("#updated", "updatedAt"))
                                    .expressionAttributeValues(Map.of(":before", millis(reply.updatedAt()))).build())
                            .build(),
                    deleteShortcut(reply),
                    TransactWriteItem.builder()
                            .update(Update.builder().tableName(config.table()).key(key(COUNT))
                                    .updateExpression("SET #n = #n - :one").conditionExpression("#n > :zero")
                                    .expressionAttributeNames(Map.of("#n", "n"))
                                    .expressionAttributeValues(Map.of(":zero", number(0), ":one", number(1))).build())
                            .build()));
            return Outcome.DONE;
        } catch (TransactionCanceledException e) {
            if (failed(e.cancellationReasons(), 0)) {
                return find(reply.id()).isPresent() ? Outcome.CHANGED_MEANWHILE : Outcome.MISSING;
            }
            throw e;
        }
    }

    /** Creates the table unless it exists. Only for local runs and tests: production tables come from infra. */
    public void createTableIfMissing() {
        String table = config.table();
        try {
            dynamo.createTable(CreateTableRequest.builder().tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(PK)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST).build());
            LOG.infof("created table %s", table);
        } catch (ResourceInUseException exists) {
            LOG.debugf("table %s exists", table);
        }
        dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(table));
    }

    private TransactWriteItem putShortcut(CannedReply reply) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(config.table())
                        .item(Map.of(PK, AttributeValue.fromS(SHORTCUT + reply.shortcut()), "replyId",
                                AttributeValue.fromS(reply.id())))
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))
                        .build())
                .build();
    }

    private TransactWriteItem deleteShortcut(CannedReply reply) {
        return TransactWriteItem.builder()
                .delete(Delete.builder().tableName(config.table()).key(key(SHORTCUT + reply.shortcut())).build())
                .build();
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, AttributeValue.fromS(pk));
    }

    private static Map<String, AttributeValue> item(CannedReply reply) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(REPLY + reply.id()));
        item.put("id", AttributeValue.fromS(reply.id()));
        item.put("shortcut", AttributeValue.fromS(reply.shortcut()));
        item.put("text", AttributeValue.fromS(reply.text()));
        item.put("createdAt", millis(reply.createdAt()));
        item.put("updatedAt", millis(reply.updatedAt()));
        item.put("updatedBy", AttributeValue.fromS(reply.updatedBy()));
        return item;
    }

    private static CannedReply reply(Map<String, AttributeValue> item) {
        return new CannedReply(item.get("id").s(), item.get("shortcut").s(), item.get("text").s(),
                instant(item.get("createdAt")), instant(item.get("updatedAt")), item.get("updatedBy").s());
    }

    private static Instant instant(AttributeValue value) {
        return Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
