package dev.switchboard.testing;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.switchboard.local.LocalAws;

/** Points the application at this run's DynamoDB Local and S3Mock, which start once for all test classes. */
public class LocalAwsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalAws aws = LocalAws.shared(Path.of("target", "local-servers"));
        return Map.of("quarkus.dynamodb.endpoint-override", aws.dynamo().endpoint(), "quarkus.s3.endpoint-override",
                aws.s3().endpoint());
    }

    @Override
    public void stop() {
        // The servers outlive one application start; the JVM's exit stops them.
    }
}
