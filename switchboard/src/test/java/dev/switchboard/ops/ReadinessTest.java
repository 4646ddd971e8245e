package dev.switchboard.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.DynamoDbLocal;
import dev.switchboard.local.LocalAws;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/** Runs against a DynamoDB Local of its own, so stopping it harms no other test. */
@QuarkusTest
@TestProfile(ReadinessTest.OwnDynamoDb.class)
class ReadinessTest {

    @Test
    void readinessFollowsDynamoDb() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("dynamodb")).body("checks.name", hasItem("s3"));

        OwnDynamoDbResource.server.process().kill();

        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'dynamodb' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 's3' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        Webhooks.post(Webhooks.sms(Webhooks.newCustomer(), "while storage is down")).then().statusCode(503);
    }

    public static class OwnDynamoDb implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnDynamoDbResource.class));
        }

        /** A KCL worker would only start against a DynamoDB Local that this test kills, and log about it. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.events.enabled", "false");
        }
    }

    public static class OwnDynamoDbResource implements QuarkusTestResourceLifecycleManager {

        static DynamoDbLocal server;

        @Override
        public Map<String, String> start() {
            Path logs = Path.of("target", "local-servers");
            server = DynamoDbLocal.start(ChildJvm.freePort(), java.util.Optional.empty(), logs);
            Map<String, String> config = new HashMap<>(TestKeys.config());
            config.putAll(Map.of("quarkus.dynamodb.endpoint-override", server.endpoint(),
                    "quarkus.s3.endpoint-override", LocalAws.shared(logs).s3().endpoint()));
            return config;
        }

        @Override
        public void stop() {
            server.close();
        }
    }
}
