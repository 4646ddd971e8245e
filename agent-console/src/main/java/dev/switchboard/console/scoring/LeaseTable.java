package dev.switchboard.console.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;

/**
 * Creates the KCL's lease table before the KCL does, in local runs and tests only (the same rule as the switchboard's
 * reader, whose class this repeats: the console must not depend on the switchboard's code). The KCL 3 creates the table
 * and then adds its {@value #OWNER_INDEX} index with UpdateTable; DynamoDB Local reports such an index CREATING at
 * first, and the KCL re-checks only every 10 s. Created together with the table, the index is active at once. Schema
 * and index are taken from the KCL's own serializer, so they are exactly what it would create; when the table exists,
 * the KCL only checks that the index is there.
 */
final class LeaseTable {

    private static final Logger LOG = Logger.getLogger(LeaseTable.class);

    /** The name the KCL (3.3.0) looks the index up by; its constant is not public. */
    static final String OWNER_INDEX = "LeaseOwnerToLeaseKeyIndex";

    private LeaseTable() {
    }

    static void createIfMissing(DynamoDbAsyncClient dynamo, String table) {
        DynamoDBLeaseSerializer serializer = new DynamoDBLeaseSerializer();
        List<AttributeDefinition> attributes = new ArrayList<>(serializer.getAttributeDefinitions());
        serializer.getWorkerIdToLeaseKeyIndexAttributeDefinitions().stream()
                .filter(definition -> attributes.stream()
                        .noneMatch(known -> known.attributeName().equals(definition.attributeName())))
                .forEach(attributes::add);
        try {
            dynamo.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(serializer.getKeySchema()).attributeDefinitions(attributes)
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(OWNER_INDEX)
                            .keySchema(serializer.getWorkerIdToLeaseKeyIndexKeySchema())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()))
                    .join();
            LOG.infof("created lease table %s", table);
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw e;
            }
            LOG.debugf("lease table %s exists", table);
        }
    }
}
