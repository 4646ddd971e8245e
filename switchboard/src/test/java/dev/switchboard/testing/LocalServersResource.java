package dev.switchboard.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.TwilioStandIn;

/**
 * Points the application at this run's DynamoDB Local, S3Mock and Twilio stand-in, which start once for all test
 * classes. The application listens on a port chosen here, so that the stand-in's status callbacks can reach it.
 */
public class LocalServersResource implements QuarkusTestResourceLifecycleManager {

    /**
     * The system property that names this run's DynamoDB Local endpoint, for tests that read it directly: a property,
     * because test resources and tests may not share a class loader.
     */
    public static final String DYNAMODB_ENDPOINT_PROPERTY = "switchboard.test.dynamodb-endpoint";

    private static TwilioStandIn standIn;
    private static int appPort;
    private static int mediaPort;

    public static synchronized TwilioStandIn standIn() {
        if (standIn == null) {
            standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
        }
        return standIn;
    }

    static synchronized int appPort() {
        if (appPort == 0) {
            appPort = ChildJvm.freePort();
        }
        return appPort;
    }

    /**
     * The port {@link MediaServer}s listen on: the one test media server the configuration allows, by host and port, to
     * be fetched from although it is on loopback.
     */
    public static synchronized int mediaPort() {
        if (mediaPort == 0) {
            mediaPort = ChildJvm.freePort();
        }
        return mediaPort;
    }

    public static String appUrl() {
        return "http://localhost:" + appPort();
    }

    @Override
    public Map<String, String> start() {
        LocalAws aws = LocalAws.shared(Path.of("target", "local-servers"));
        System.setProperty(DYNAMODB_ENDPOINT_PROPERTY, aws.dynamo().endpoint());
        Map<String, String> config = new HashMap<>(TestKeys.config());
        config.putAll(Map.of("quarkus.dynamodb.endpoint-override", aws.dynamo().endpoint(),
                "quarkus.s3.endpoint-override", aws.s3().endpoint(), "quarkus.http.test-port",
                Integer.toString(appPort()), "switchboard.twilio.api-base-url", standIn().url(),
                "switchboard.twilio.callback-base-url", appUrl(), "switchboard.media.allowed-hosts",
                "127.0.0.1:" + mediaPort(), "switchboard.media.fetch.private-hosts", "127.0.0.1:" + mediaPort()));
        return config;
    }

    @Override
    public void stop() {
        // The servers outlive one application start; the JVM's exit stops them.
    }
}
