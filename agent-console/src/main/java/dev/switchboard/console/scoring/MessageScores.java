package dev.switchboard.console.scoring;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import dev.switchboard.console.enrich.Sentiment;
import dev.switchboard.console.enrich.SentimentModel;

/**
 * The console's one bean over the messages table: writes a message's score onto its item, once. The write is
 * conditional on the item having no score, so a record read twice (after a lease take-over) or by a second console
 * application changes nothing; the switchboard turns the write's change event into the agents' {@code sentiment} frame
 * and the conversation's negativity.
 */
@ApplicationScoped
public class MessageScores {

    /** The item attribute the switchboard reads (its {@code StoredSentiment}). */
    static final String ATTRIBUTE = "sentiment";

    private final ScoringConfig config;
    private DynamoDbClient dynamo;

    MessageScores(ScoringConfig config) {
        this.config = config;
    }

    private synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            DynamoDbClientBuilder builder = DynamoDbClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).credentialsProvider(
                            config.accessKeyId().isPresent() && config.secretAccessKey().isPresent()
                                    ? StaticCredentialsProvider.create(AwsBasicCredentials
                                            .create(config.accessKeyId().get(), config.secretAccessKey().get()))
                                    : DefaultCredentialsProvider.builder().build());
            config.region().map(Region::of).ifPresent(builder::region);
            config.endpoint().ifPresent(builder::endpointOverride);
            dynamo = builder.build();
        }
        return dynamo;
    }

    /**
     * @return true when this call stored the score; false when the message had one already (or is gone)
     */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = SdkClientException.class)
    @Timeout(5_000)
    public boolean store(String conversation, String messageId, Sentiment sentiment) {
        Map<String, AttributeValue> score = new HashMap<>();
        score.put("label", AttributeValue.fromS(sentiment.label() == null ? "neutral" : sentiment.label()));
        score.put("score", AttributeValue.fromN(Integer.toString(sentiment.score() == null ? 2 : sentiment.score())));
        if (sentiment.flag() != null) {
            score.put("flag", AttributeValue.fromS(sentiment.flag()));
        }
        score.put("model", AttributeValue.fromS(SentimentModel.VERSION));
        score.put("at", AttributeValue.fromN(Long.toString(System.currentTimeMillis())));
        try {
            dynamo().updateItem(update -> update.tableName(config.messagesTable())
                    .key(Map.of("conversation", AttributeValue.fromS(conversation), "id",
                            AttributeValue.fromS(messageId)))
                    .updateExpression("SET #s = :s")
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#s)")
                    .expressionAttributeNames(Map.of("#s", ATTRIBUTE, "#id", "id"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromM(score))));
            return true;
        } catch (ConditionalCheckFailedException scoredBefore) {
            return false;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
