package dev.switchboard.agents;

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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Agents in DynamoDB: the only code that touches the agents table. Routing writes presence attributes onto the same
 * items, so nothing here replaces a whole item: a new agent is a put that fails if the item exists, every later change
 * an update of this package's own attributes.
 */
@ApplicationScoped
public class AgentStore {

    private static final Logger LOG = Logger.getLogger(AgentStore.class);

    /**
     * Sparse index of the agents who can take a conversation now, maintained by routing (RoutableIndex): partition key
     * {@value #ROUTABLE} (present only on those agents), sort key {@value #RANK}.
     */
    public static final String ROUTABLE_INDEX = "by-routable";
    public static final String ROUTABLE = "routable";
    public static final String RANK = "rank";

    /** An agent together with the hash its password is checked against. */
    record Stored(Agent agent, String passwordHash) {
    }

    private final DynamoDbClient dynamo;
    private final AgentsConfig config;
    private final LoginThrottle throttle;

    AgentStore(DynamoDbClient dynamo, AgentsConfig config, LoginThrottle throttle) {
        this.dynamo = dynamo;
        this.config = config;
        this.throttle = throttle;
    }

    /** The agent of that name; empty if there is none. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public Optional<Agent> find(String name) {
        return read(name).map(Stored::agent);
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    Optional<Stored> findWithPasswordHash(String name) {
        return read(name);
    }

    /** An item without a password hash is not an agent: at most presence written for a name that was never created. */
    private Optional<Stored> read(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(config.table())
                .key(Map.of(Agent.AGENT, AttributeValue.fromS(name))).consistentRead(true).build()).item();
        if (item == null || !item.containsKey(Agent.PASSWORD_HASH)) {
            return Optional.empty();
        }
        return Optional.of(new Stored(Agent.from(item), item.get(Agent.PASSWORD_HASH).s()));
    }

    /**
     * Creates the agent unless one of that name exists.
     *
     * @return whether it was created (by this call or by an earlier attempt of it whose answer was lost)
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    boolean create(Agent agent, String passwordHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Agent.AGENT, AttributeValue.fromS(agent.agent()));
        item.put(Agent.PASSWORD_HASH, AttributeValue.fromS(passwordHash));
        item.put(Agent.DISPLAY_NAME, AttributeValue.fromS(agent.displayName()));
        item.put(Agent.ROLES, AttributeValue.fromSs(List.copyOf(agent.roles())));
        item.put(Agent.DISABLED, AttributeValue.fromBool(agent.disabled()));
        item.put(Agent.CREATED_AT, millis(agent.createdAt()));
        item.put(Agent.UPDATED_AT, millis(agent.updatedAt()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(config.table()).item(item)
                    .conditionExpression("attribute_not_exists(#agent)")
                    .expressionAttributeNames(Map.of("#agent", Agent.AGENT)).build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            // A retry after a put whose answer was lost finds its own item: bcrypt salts make the hash unique.
            return read(agent.agent()).map(stored -> stored.passwordHash().equals(passwordHash)).orElse(false);
        }
    }

    /** @return false if there is no such agent */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    boolean setDisabled(String name, boolean disabled, Instant at) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(config.table())
                    .key(Map.of(Agent.AGENT, AttributeValue.fromS(name)))
                    .updateExpression("SET #disabled = :disabled, #updated = :at")
                    .conditionExpression("attribute_exists(#hash)")
                    .expressionAttributeNames(Map.of("#disabled", Agent.DISABLED, "#updated", Agent.UPDATED_AT, "#hash",
                            Agent.PASSWORD_HASH))
                    .expressionAttributeValues(
                            Map.of(":disabled", AttributeValue.fromBool(disabled), ":at", millis(at)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException missing) {
            return false;
        }
    }

    /** Every agent, by name. Hashes and presence stay in the table. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    public List<Agent> list() {
        return dynamo
                .scanPaginator(ScanRequest.builder().tableName(config.table()).consistentRead(true)
                        .projectionExpression("#agent, #name, #roles, #disabled, #created, #updated")
                        .filterExpression("attribute_exists(#hash)")
                        .expressionAttributeNames(Map.of("#agent", Agent.AGENT, "#name", Agent.DISPLAY_NAME, "#roles",
                                Agent.ROLES, "#disabled", Agent.DISABLED, "#created", Agent.CREATED_AT, "#updated",
                                Agent.UPDATED_AT, "#hash", Agent.PASSWORD_HASH))
                        .build())
                .items().stream().map(Agent::from).sorted(Comparator.comparing(Agent::agent)).toList();
    }

    /**
     * Creates this package's tables unless they exist: the agents table and the login attempts of
     * {@link LoginThrottle}. Only for local runs and tests: production tables come from infra.
     */
    public void createTableIfMissing() {
        createAgentsTableIfMissing();
        throttle.createTableIfMissing();
    }

    private void createAgentsTableIfMissing() {
        String table = config.table();
        List<AttributeDefinition> attributes = List.of(attribute(Agent.AGENT), attribute(ROUTABLE), attribute(RANK));
        try {
            dynamo.createTable(CreateTableRequest.builder().tableName(table).attributeDefinitions(attributes)
                    .keySchema(KeySchemaElement.builder().attributeName(Agent.AGENT).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(routableIndex()).billingMode(BillingMode.PAY_PER_REQUEST).build());
            LOG.infof("created table %s", table);
        } catch (ResourceInUseException exists) {
            LOG.debugf("table %s exists", table);
        }
        dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(table));
        // A table from before the index: add it (local data only; production tables come from infra).
        var description = dynamo.describeTable(builder -> builder.tableName(table)).table();
        if (!description.hasGlobalSecondaryIndexes() || description.globalSecondaryIndexes().stream()
                .noneMatch(index -> ROUTABLE_INDEX.equals(index.indexName()))) {
            GlobalSecondaryIndex index = routableIndex();
            dynamo.updateTable(builder -> builder.tableName(table).attributeDefinitions(attributes)
                    .globalSecondaryIndexUpdates(update -> update.create(create -> create.indexName(index.indexName())
                            .keySchema(index.keySchema()).projection(index.projection()))));
            LOG.infof("added index %s to table %s", ROUTABLE_INDEX, table);
        }
    }

    private static GlobalSecondaryIndex routableIndex() {
        return GlobalSecondaryIndex.builder().indexName(ROUTABLE_INDEX)
                .keySchema(KeySchemaElement.builder().attributeName(ROUTABLE).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(RANK).keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }
}
