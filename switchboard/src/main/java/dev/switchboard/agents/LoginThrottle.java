package dev.switchboard.agents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Failed logins, counted in DynamoDB so that every instance sees the same counts: per agent name and client address,
 * per address, and per agent name. Past a counter's limit, logins that it covers are held back for a delay that doubles
 * with each further failure; a held-back attempt is answered 429 without its password being checked (so it neither
 * counts nor costs a bcrypt check). A success clears the counters of that agent, not the address's.
 */
@ApplicationScoped
class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);
    static final String KEY = "key";
    static final String FAILURES = "failures";
    static final String BLOCKED_UNTIL = "blockedUntil";
    /** Epoch seconds, DynamoDB's TTL attribute. */
    static final String EXPIRES_AT = "expiresAt";

    /** One counter and the number of failures it allows before holding logins back. */
    record Counter(String key, int limit) {
    }

    private final DynamoDbClient dynamo;
    private final AuthConfig.Throttle config;

    LoginThrottle(DynamoDbClient dynamo, AuthConfig auth) {
        this.dynamo = dynamo;
        this.config = auth.throttle();
    }

    /** The counters an attempt of {@code agent} (null when the name is malformed) from {@code address} touches. */
    List<Counter> counters(String agent, String address) {
        List<Counter> counters = new ArrayList<>();
        counters.add(new Counter("address:" + address, config.perAddress()));
        if (agent != null) {
            counters.add(new Counter("agent-address:" + agent + "|" + address, config.perAgentAndAddress()));
            counters.add(new Counter("agent:" + agent, config.perAgent()));
        }
        return counters;
    }

    /** @return how long the attempt must wait; zero when it may go ahead */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 50, retryOn = SdkClientException.class)
    Duration holdBack(List<Counter> counters) {
        long now = System.currentTimeMillis();
        var keys = counters.stream().map(c -> Map.of(KEY, AttributeValue.fromS(c.key()))).toList();
        var items = dynamo
                .batchGetItem(builder -> builder.requestItems(
                        Map.of(config.table(), KeysAndAttributes.builder().keys(keys).consistentRead(true).build())))
                .responses().getOrDefault(config.table(), List.of());
        long until = 0;
        for (var item : items) {
            if (live(item, now) && item.containsKey(BLOCKED_UNTIL)) {
                until = Math.max(until, Long.parseLong(item.get(BLOCKED_UNTIL).n()));
            }
        }
        return until > now ? Duration.ofMillis(until - now) : Duration.ZERO;
    }

    /** Counts a failure on each counter, and holds back those past their limit. */
    @Timeout(5_000)
    void failed(List<Counter> counters) {
        for (Counter counter : counters) {
            long failures = increment(counter.key());
            if (failures >= counter.limit()) {
                long exponent = Math.min(30, failures - counter.limit());
                long delay = Math.min(config.maxDelay().toMillis(), config.baseDelay().toMillis() << exponent);
                block(counter.key(), System.currentTimeMillis() + delay);
            }
        }
    }

    /** The right password: that agent's counters start again. The address's stays, so one account cannot reset it. */
    @Timeout(5_000)
    void succeeded(List<Counter> counters) {
        for (Counter counter : counters) {
            if (!counter.key().startsWith("address:")) {
                dynamo.deleteItem(builder -> builder.tableName(config.table())
                        .key(Map.of(KEY, AttributeValue.fromS(counter.key()))));
            }
        }
    }

    private long increment(String key) {
        long nowSeconds = System.currentTimeMillis() / 1000;
        AttributeValue expires = n(nowSeconds + config.window().toSeconds());
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                var item = dynamo.updateItem(
                        builder -> builder.tableName(config.table()).key(Map.of(KEY, AttributeValue.fromS(key)))
                                .updateExpression("ADD #failures :one SET #expires = :expires")
                                .conditionExpression("#expires > :now")
                                .expressionAttributeNames(Map.of("#failures", FAILURES, "#expires", EXPIRES_AT))
                                .expressionAttributeValues(
                                        Map.of(":one", n(1), ":expires", expires, ":now", n(nowSeconds)))
                                .returnValues(ReturnValue.ALL_NEW))
                        .attributes();
                return Long.parseLong(item.get(FAILURES).n());
            } catch (ConditionalCheckFailedException absentOrStale) {
                try {
                    // A fresh counter; TTL deletes items only eventually, so a stale one is replaced here.
                    dynamo.putItem(builder -> builder.tableName(config.table())
                            .item(Map.of(KEY, AttributeValue.fromS(key), FAILURES, n(1), EXPIRES_AT, expires))
                            .conditionExpression("attribute_not_exists(#key) OR #expires <= :now")
                            .expressionAttributeNames(Map.of("#key", KEY, "#expires", EXPIRES_AT))
                            .expressionAttributeValues(Map.of(":now", n(nowSeconds))));
                    return 1;
                } catch (ConditionalCheckFailedException raced) {
                    LOG.debugf("counter %s created concurrently; counting again", key);
                }
            }
        }
        return 1;
    }

    private void block(String key, long untilMillis) {
        long expires = Math.max(System.currentTimeMillis() / 1000 + config.window().toSeconds(),
                untilMillis / 1000 + 1);
        try {
            dynamo.updateItem(builder -> builder.tableName(config.table()).key(Map.of(KEY, AttributeValue.fromS(key)))
                    .updateExpression("SET #blocked = :until, #expires = :expires")
                    .conditionExpression("attribute_not_exists(#blocked) OR #blocked < :until")
                    .expressionAttributeNames(Map.of("#blocked", BLOCKED_UNTIL, "#expires", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":until", n(untilMillis), ":expires", n(expires))));
        } catch (ConditionalCheckFailedException longerAlready) {
            LOG.debugf("counter %s is held back longer already", key);
        }
    }

    private static boolean live(Map<String, AttributeValue> item, long nowMillis) {
        AttributeValue expires = item.get(EXPIRES_AT);
        return expires != null && Long.parseLong(expires.n()) * 1000 > nowMillis;
    }

    /**
     * Creates the table (with TTL) unless it exists. Only for local runs and tests: production tables come from infra.
     */
    void createTableIfMissing() {
        String table = config.table();
        try {
            dynamo.createTable(builder -> builder.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(KEY)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(table));
            dynamo.updateTimeToLive(builder -> builder.tableName(table)
                    .timeToLiveSpecification(spec -> spec.attributeName(EXPIRES_AT).enabled(true)));
            LOG.infof("created table %s", table);
        } catch (ResourceInUseException exists) {
            LOG.debugf("table %s exists", table);
        }
        dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(table));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
