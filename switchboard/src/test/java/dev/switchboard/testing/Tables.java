package dev.switchboard.testing;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads DynamoDB directly, whatever the tables' layout: for checks that nothing was stored anywhere, including where no
 * API of the switchboard would show it.
 */
public final class Tables {

    private Tables() {
    }

    /** Every item, in every table, with any attribute whose text contains {@code text}. */
    public static List<Map<String, AttributeValue>> itemsMentioning(DynamoDbClient dynamo, String text) {
        return dynamo.listTablesPaginator().tableNames().stream()
                .flatMap(table -> dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream())
                .filter(item -> item.toString().contains(text)).toList();
    }
}
