package dev.switchboard.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.switchboard.local.LocalAws;

/**
 * Points the application at this run's DynamoDB Local and S3Mock, which start once for all test classes, and gives it
 * the build's signing keys ({@link TestKeys}).
 */
public class LocalAwsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalAws aws = LocalAws.shared(Path.of("target", "local-servers"));
        Map<String, String> config = new HashMap<>(TestKeys.config());
        config.putAll(Map.of("quarkus.dynamodb.endpoint-override", aws.dynamo().endpoint(),
                "quarkus.s3.endpoint-override", aws.s3().endpoint()));
        return config;
    }

    @Override
    public void stop() {
        // The servers outlive one application start; the JVM's exit stops them.
    }
}
