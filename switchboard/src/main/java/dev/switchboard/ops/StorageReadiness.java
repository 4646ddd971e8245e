package dev.switchboard.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.switchboard.history.HistoryStore;
import dev.switchboard.media.MediaStore;

/** Ready only while DynamoDB and S3 both answer: without them no webhook can be stored. */
public final class StorageReadiness {

    private StorageReadiness() {
    }

    @Readiness
    @ApplicationScoped
    public static class DynamoDb implements HealthCheck {

        private final HistoryStore history;

        DynamoDb(HistoryStore history) {
            this.history = history;
        }

        @Override
        public HealthCheckResponse call() {
            return check("dynamodb", history::ping);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class S3 implements HealthCheck {

        private final MediaStore media;

        S3(MediaStore media) {
            this.media = media;
        }

        @Override
        public HealthCheckResponse call() {
            return check("s3", media::ping);
        }
    }

    static HealthCheckResponse check(String name, Runnable probe) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name);
        try {
            probe.run();
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
