package dev.switchboard.ops;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start without an AWS region. The SDK would only find out at the first DynamoDB call, and then the instance
 * would run on, answering every webhook 503 and logging a region error every few seconds.
 * <p>
 * Only the settings a container can be given count (configuration and {@code AWS_REGION}): the SDK's other sources, a
 * profile file or instance metadata, are not how this service is deployed.
 */
@ApplicationScoped
class AwsRegionCheck {

    static final String REGION_ENV = "AWS_REGION";

    void onStart(@Observes @Priority(1) StartupEvent event, Config settings) {
        Optional<String> shared = Optional.ofNullable(System.getenv(REGION_ENV))
                .or(() -> Optional.ofNullable(System.getProperty("aws.region"))).filter(r -> !r.isBlank());
        for (String client : new String[] { "dynamodb", "s3" }) {
            String key = "quarkus." + client + ".aws.region";
            if (settings.getOptionalValue(key, String.class).or(() -> shared).isEmpty()) {
                throw new IllegalStateException("no AWS region for " + client + ": set " + REGION_ENV + " (or "
                        + key.toUpperCase().replace('.', '_') + ")");
            }
        }
    }
}
