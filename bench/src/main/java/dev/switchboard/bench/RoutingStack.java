package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.JwtKeys;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.RedisServer;
import dev.switchboard.local.TwilioStandIn;

/**
 * The stack of the routing benchmark: DynamoDB Local (in memory) and S3Mock, the Twilio stand-in (replies are never
 * sent here, but the switchboard is pointed at it as in the tests), one or two packaged switchboards on one DynamoDB
 * Local, and, for two, Redis between them. Run as {@code MultiInstanceIT} runs them: test profile (tables created,
 * bootstrap admin {@code admin}/{@code admin-password}), one fresh JWT key pair for all, but with the routing timings
 * of production instead of the test profile's one-second heartbeats.
 */
final class RoutingStack implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password";

    /** Production's routing timings; the test profile's are shortened for tests and would add background writes. */
    private static final Map<String, String> ROUTING_DEFAULTS = Map.of("SWITCHBOARD_ROUTING_DISCONNECT_GRACE", "30s",
            "SWITCHBOARD_ROUTING_HEARTBEAT_INTERVAL", "10s", "SWITCHBOARD_ROUTING_SWEEP_INTERVAL", "5s",
            "SWITCHBOARD_ROUTING_HEARTBEAT_TIMEOUT", "35s");

    /**
     * Bcrypt cost of the benchmark's agents' passwords ({@code switchboard.auth.password-cost}, 10 in production): the
     * benchmarks create up to a thousand agents and sign each in once, which at cost 10 took most of ten minutes on the
     * shared machine. Only the set-up is faster; nothing measured checks a password.
     */
    static final int PASSWORD_COST = 4;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    /** One switchboard process. */
    record Instance(String name, ChildJvm jvm, URI url) {
    }

    private final LocalAws aws;
    private final TwilioStandIn standIn;
    private final RedisServer redis;
    private final List<Instance> instances;
    private final Path copy;

    private RoutingStack(LocalAws aws, TwilioStandIn standIn, RedisServer redis, List<Instance> instances, Path copy) {
        this.aws = aws;
        this.standIn = standIn;
        this.redis = redis;
        this.instances = instances;
        this.copy = copy;
    }

    static RoutingStack start(Path appJar, int count, Optional<Duration> pollInterval, Path logDir, CpuUsage cpu)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalStateException(appJar + " is missing: build the switchboard first:"
                    + " ./mvnw -B -q -pl local,switchboard -am package -DskipTests");
        }
        Path appDir = appJar.getParent();
        System.out.println(
                "switchboard: " + appJar + " (built " + Files.getLastModifiedTime(appDir.resolve("app")) + ")");
        Path copy = Files.createTempDirectory("switchboard-bench-app-");
        LocalAws aws = null;
        TwilioStandIn standIn = null;
        RedisServer redis = null;
        List<Instance> instances = new ArrayList<>();
        try {
            LocalStack.copyTree(appDir, copy);
            int dynamoPort = ChildJvm.freePort();
            int s3Port = ChildJvm.freePort();
            System.out.println("starting DynamoDB Local (in memory) on :" + dynamoPort + " and S3Mock on :" + s3Port
                    + "; logs in " + logDir);
            aws = LocalAws.start(dynamoPort, s3Port, Optional.empty(), logDir);
            standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
            if (count > 1) {
                redis = RedisServer.start(ChildJvm.freePort(), logDir);
                System.out.println("Redis at " + redis.url());
            }
            JwtKeys keys = JwtKeys.generate();
            for (int i = 1; i <= count; i++) {
                int port = ChildJvm.freePort();
                Map<String, String> env = new HashMap<>(keys.env());
                env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", aws.dynamo().endpoint());
                env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3().endpoint());
                env.put("SWITCHBOARD_TWILIO_API_BASE_URL", standIn.url());
                env.put("SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", "http://localhost:" + port);
                if (redis != null) {
                    env.put("SWITCHBOARD_DELIVERY_REDIS_URL", redis.url());
                }
                pollInterval.ifPresent(d -> env.put("SWITCHBOARD_EVENTS_POLL_INTERVAL", d.toMillis() + "ms"));
                env.put("SWITCHBOARD_AUTH_PASSWORD_COST", Integer.toString(PASSWORD_COST));
                ROUTING_DEFAULTS.forEach((name, value) -> {
                    env.put(name, value);
                    // The test profile's own values (%test.switchboard.routing.*) are overridden under this name.
                    env.put("_TEST_" + name, value);
                });
                String name = "switchboard-" + i;
                System.out.println("starting " + name + " on :" + port
                        + (redis == null ? " (delivery in process)" : " (delivery through Redis)") + "; bcrypt cost "
                        + PASSWORD_COST + " for the benchmark's agents (production: 10)");
                ChildJvm jvm = ChildJvm.start(name, List.of("-Dquarkus.profile=test", "-Xmx384m", "-jar",
                        copy.resolve(appJar.getFileName()).toString()), List.of(), env, logDir, false);
                Instance instance = new Instance(name, jvm, URI.create("http://localhost:" + port));
                instances.add(instance);
                // One at a time, as MultiInstanceIT does: two first starts would race to create the same tables and
                // bucket (S3Mock answers the loser 409 and its start fails).
                long starting = System.nanoTime();
                new Webhooks(instance.url(), "local-dev-token", 1).awaitReady(instance.url(), READY_TIMEOUT,
                        jvm::isAlive);
                System.out.printf(Locale.ROOT, "%s ready in %.1f s%n", name, (System.nanoTime() - starting) / 1e9);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            new RoutingStack(aws, standIn, redis, instances, copy).close();
            throw e;
        }
        RoutingStack stack = new RoutingStack(aws, standIn, redis, List.copyOf(instances), copy);
        for (Instance instance : instances) {
            cpu.track(instance.name(), instance.jvm().pid());
        }
        cpu.track("dynamodb", aws.dynamo().process().pid());
        Set<Long> known = instances.stream().map(instance -> instance.jvm().pid()).collect(Collectors.toSet());
        known.add(aws.dynamo().process().pid());
        // The rest of the children: S3Mock (idle here, but a JVM on the same cores) and redis-server.
        ProcessHandle.current().children().filter(child -> !known.contains(child.pid())).forEach(child -> cpu
                .track(child.info().command().orElse("").contains("redis") ? "redis" : "s3mock", child.pid()));
        return stack;
    }

    URI dynamodb() {
        return URI.create(aws.dynamo().endpoint());
    }

    List<Instance> instances() {
        return instances;
    }

    boolean alive() {
        return instances.stream().allMatch(instance -> instance.jvm().isAlive());
    }

    String logs() {
        return instances.stream().map(instance -> instance.jvm().log().toString()).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        long began = System.nanoTime();
        ChildJvm.closeAll(instances.stream().map(Instance::jvm).toList());
        if (redis != null) {
            redis.close();
        }
        if (standIn != null) {
            standIn.close();
        }
        if (aws != null) {
            aws.dynamo().close();
            aws.s3().close();
        }
        LocalStack.delete(copy);
        System.out.printf("stopped the stack in %d ms%n", Duration.ofNanos(System.nanoTime() - began).toMillis());
    }
}
