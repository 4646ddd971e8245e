package dev.switchboard.infra;

import static dev.switchboard.infra.Synth.list;
import static dev.switchboard.infra.Synth.listOf;
import static dev.switchboard.infra.Synth.map;
import static dev.switchboard.infra.Synth.names;
import static dev.switchboard.infra.Synth.properties;
import static dev.switchboard.infra.Synth.toJson;
import static dev.switchboard.infra.Synth.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/** The default deployment: plain HTTP on the ALB's own name, console under /console. */
class SwitchboardStackTest {

    private static final List<String> TABLES = List.of(SwitchboardStack.MESSAGES_TABLE,
            SwitchboardStack.CONVERSATIONS_TABLE, SwitchboardStack.MESSAGE_SIDS_TABLE, SwitchboardStack.AGENTS_TABLE,
            SwitchboardStack.CANNED_REPLIES_TABLE, SwitchboardStack.CONTACTS_TABLE);

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.of(Map.of());
    }

    @Test
    void createsOneOfEachMovingPart() {
        Map<String, Integer> expected = Map.ofEntries(Map.entry("AWS::DynamoDB::Table", 7),
                Map.entry("AWS::S3::Bucket", 1), Map.entry("AWS::ECS::Cluster", 1), Map.entry("AWS::ECS::Service", 2),
                Map.entry("AWS::ECS::TaskDefinition", 2), Map.entry("AWS::ElasticLoadBalancingV2::LoadBalancer", 1),
                Map.entry("AWS::ElasticLoadBalancingV2::Listener", 1),
                Map.entry("AWS::ElasticLoadBalancingV2::TargetGroup", 2),
                Map.entry("AWS::ElastiCache::ReplicationGroup", 1), Map.entry("AWS::SecretsManager::Secret", 2),
                Map.entry("AWS::Logs::LogGroup", 2), Map.entry("AWS::EC2::VPC", 1),
                Map.entry("AWS::EC2::NatGateway", 1), Map.entry("AWS::EC2::VPCEndpoint", 2),
                Map.entry("AWS::ApplicationAutoScaling::ScalableTarget", 2),
                Map.entry("AWS::ApplicationAutoScaling::ScalingPolicy", 4));
        expected.forEach((type, count) -> synth.template.resourceCountIs(type, count));
        // Two AZs: one public and one private subnet in each.
        synth.template.resourceCountIs("AWS::EC2::Subnet", 4);
    }

    @Test
    void needsNoAssetsAndNoCustomResources() {
        // Nothing to build or upload at deploy time: no Lambda-backed helpers, no Docker builds.
        synth.template.resourceCountIs("AWS::Lambda::Function", 0);
        Map<String, Object> resources = map(synth.json.get("Resources"));
        resources.forEach((id, resource) -> assertFalse(((String) map(resource).get("Type")).startsWith("Custom::"),
                id + " is a custom resource"));
        assertFalse(toJson(synth.json).contains("cdk-hnb659fds-container-assets"), "references a Docker asset");
    }

    @Test
    void messagesTableIsKeyedByConversationAndStreamsNewImages() {
        synth.template
                .hasResourceProperties("AWS::DynamoDB::Table",
                        Map.of("TableName", SwitchboardStack.MESSAGES_TABLE, "KeySchema",
                                List.of(Map.of("AttributeName", "conversation", "KeyType",
                                        "HASH"), Map.of("AttributeName", "id", "KeyType", "RANGE")),
                                "AttributeDefinitions",
                                Match.arrayWith(List.of(Map.of("AttributeName", "conversation", "AttributeType", "S"),
                                        Map.of("AttributeName", "id", "AttributeType", "S"))),
                                "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE")));
    }

    @Test
    void messagesTableKeepsHistoryInTimeOrderAndListsOwedWork() {
        synth.template
                .hasResourceProperties("AWS::DynamoDB::Table",
                        Map.of("TableName", SwitchboardStack.MESSAGES_TABLE, "AttributeDefinitions",
                                Match.arrayWith(List.of(Map.of("AttributeName", "seq", "AttributeType", "S"),
                                        Map.of("AttributeName", "work", "AttributeType", "S"),
                                        Map.of("AttributeName", "workDue", "AttributeType", "N"))),
                                "LocalSecondaryIndexes",
                                List.of(Map.of("IndexName", "by-seq", "KeySchema",
                                        List.of(Map.of("AttributeName", "conversation", "KeyType", "HASH"),
                                                Map.of("AttributeName", "seq", "KeyType", "RANGE")),
                                        "Projection", Map.of("ProjectionType", "ALL"))),
                                "GlobalSecondaryIndexes",
                                List.of(Map.of("IndexName", "by-work", "KeySchema",
                                        List.of(Map.of("AttributeName", "work", "KeyType", "HASH"),
                                                Map.of("AttributeName", "workDue", "KeyType", "RANGE")),
                                        "Projection", Map.of("ProjectionType", "KEYS_ONLY")))));
    }

    @Test
    void conversationsTableHasTheByStateIndex() {
        synth.template.hasResourceProperties("AWS::DynamoDB::Table",
                Map.of("TableName", SwitchboardStack.CONVERSATIONS_TABLE, "KeySchema",
                        List.of(Map.of("AttributeName", "conversation", "KeyType", "HASH")), "AttributeDefinitions",
                        Match.arrayWith(List.of(Map.of("AttributeName", "stateSince", "AttributeType", "N"))),
                        "GlobalSecondaryIndexes", List.of(
                                Map.of("IndexName", "by-state", "KeySchema",
                                        List.of(Map.of("AttributeName", "state", "KeyType", "HASH"),
                                                Map.of("AttributeName", "stateSince", "KeyType", "RANGE")),
                                        "Projection", Map.of("ProjectionType", "ALL")),
                                Map.of("IndexName", "by-agent", "KeySchema",
                                        List.of(Map.of("AttributeName", "agent", "KeyType", "HASH"),
                                                Map.of("AttributeName", "stateSince", "KeyType", "RANGE")),
                                        "Projection", Map.of("ProjectionType", "ALL")))));
    }

    @Test
    void agentsTableHasTheSparseRoutingIndex() {
        synth.template.hasResourceProperties("AWS::DynamoDB::Table",
                Map.of("TableName", SwitchboardStack.AGENTS_TABLE, "GlobalSecondaryIndexes",
                        List.of(Map.of("IndexName", "by-routable", "KeySchema",
                                List.of(Map.of("AttributeName", "routable", "KeyType", "HASH"),
                                        Map.of("AttributeName", "rank", "KeyType", "RANGE")),
                                "Projection", Map.of("ProjectionType", "ALL")))));
    }

    @Test
    void loginAttemptsExpireByTtlAndTheSwitchboardKnowsTheTableAndItsProxies() {
        synth.template.hasResourceProperties("AWS::DynamoDB::Table",
                Map.of("TableName", SwitchboardStack.LOGIN_ATTEMPTS_TABLE, "KeySchema",
                        List.of(Map.of("AttributeName", "key", "KeyType", "HASH")), "TimeToLiveSpecification",
                        Map.of("AttributeName", "expiresAt", "Enabled", true)));
        String template = synth.template.toJSON().toString();
        assertTrue(template.contains("SWITCHBOARD_AUTH_THROTTLE_TABLE"), "throttle table not passed on");
        assertTrue(template.contains("SWITCHBOARD_TRUSTED_PROXIES"), "trusted proxies not passed on");
    }

    @Test
    void sidAndAgentTablesHaveSinglePartitionKeys() {
        synth.template.hasResourceProperties("AWS::DynamoDB::Table",
                Map.of("TableName", SwitchboardStack.MESSAGE_SIDS_TABLE, "KeySchema",
                        List.of(Map.of("AttributeName", "sid", "KeyType", "HASH"))));
        synth.template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", SwitchboardStack.AGENTS_TABLE,
                "KeySchema", List.of(Map.of("AttributeName", "agent", "KeyType", "HASH"))));
        synth.template.hasResourceProperties("AWS::DynamoDB::Table",
                Map.of("TableName", SwitchboardStack.CANNED_REPLIES_TABLE, "KeySchema",
                        List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"))));
        synth.template.hasResourceProperties("AWS::DynamoDB::Table",
                Map.of("TableName", SwitchboardStack.CONTACTS_TABLE, "KeySchema",
                        List.of(Map.of("AttributeName", "customer", "KeyType", "HASH"))));
        // Only the messages table feeds KCL; a stream elsewhere would be paid for and never read.
        for (String name : List.of(SwitchboardStack.CONVERSATIONS_TABLE, SwitchboardStack.MESSAGE_SIDS_TABLE,
                SwitchboardStack.AGENTS_TABLE, SwitchboardStack.CANNED_REPLIES_TABLE,
                SwitchboardStack.CONTACTS_TABLE)) {
            Map<String, Object> table = synth.single("AWS::DynamoDB::Table", "TableName", name).getValue();
            assertFalse(properties(table).containsKey("StreamSpecification"), name + " has a stream");
        }
    }

    @Test
    void everyTableIsOnDemandRecoverableAndRetained() {
        for (String name : TABLES) {
            Map<String, Object> table = synth.single("AWS::DynamoDB::Table", "TableName", name).getValue();
            Map<String, Object> props = properties(table);
            assertEquals("PAY_PER_REQUEST", props.get("BillingMode"), name);
            assertEquals(Map.of("PointInTimeRecoveryEnabled", true), props.get("PointInTimeRecoverySpecification"),
                    name);
            assertEquals(true, props.get("DeletionProtectionEnabled"), name);
            assertEquals("Retain", table.get("DeletionPolicy"), name);
            assertEquals("Retain", table.get("UpdateReplacePolicy"), name);
        }
    }

    @Test
    void mediaBucketIsPrivateEncryptedAgedAndRetained() {
        synth.template.hasResource("AWS::S3::Bucket",
                Map.of("DeletionPolicy", "Retain", "Properties", Map.of("PublicAccessBlockConfiguration",
                        Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                                "RestrictPublicBuckets", true),
                        "BucketEncryption",
                        Map.of("ServerSideEncryptionConfiguration",
                                List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "LifecycleConfiguration",
                        Map.of("Rules",
                                List.of(Match.objectLike(Map.of("Status", "Enabled", "AbortIncompleteMultipartUpload",
                                        Map.of("DaysAfterInitiation", 1), "Transitions",
                                        List.of(Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 90)))))))));
    }

    @Test
    void mediaBucketRefusesPlainHttp() {
        synth.template.hasResourceProperties("AWS::S3::BucketPolicy",
                Map.of("PolicyDocument",
                        Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny", "Action",
                                "s3:*", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void loadBalancerKeepsWebSocketsOpenForTwoMinutes() {
        synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer",
                Map.of("Scheme", "internet-facing", "LoadBalancerAttributes",
                        Match.arrayWith(List.of(Map.of("Key", "idle_timeout.timeout_seconds", "Value", "120")))));
    }

    @Test
    void targetGroupsCheckReadinessAndDrainQuickly() {
        Map<Object, Map<String, Object>> byPort = new HashMap<>();
        synth.resources("AWS::ElasticLoadBalancingV2::TargetGroup")
                .forEach((id, group) -> byPort.put(properties(group).get("Port"), properties(group)));
        assertEquals(Set.of(8080, 8081), byPort.keySet());
        for (Map<String, Object> group : byPort.values()) {
            assertEquals("/q/health/ready", group.get("HealthCheckPath"));
            assertEquals("ip", group.get("TargetType"));
            List<?> attributes = list(group.get("TargetGroupAttributes"));
            assertTrue(attributes.contains(Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "30")),
                    attributes::toString);
            // Stateless services: stickiness would only skew load.
            assertFalse(attributes.contains(Map.of("Key", "stickiness.enabled", "Value", "true")));
        }
    }

    @Test
    void listenerSendsEverythingToTheSwitchboardExceptTheConsolePaths() {
        String switchboardTargets = targetGroupId(8080);
        String consoleTargets = targetGroupId(8081);
        synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener",
                Map.of("Port", 80, "Protocol", "HTTP", "DefaultActions",
                        List.of(Map.of("Type", "forward", "TargetGroupArn", Map.of("Ref", switchboardTargets)))));
        synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of("Priority", 5, "Conditions",
                        List.of(Map.of("Field", "path-pattern", "PathPatternConfig",
                                Map.of("Values", List.of("/console", "/console/*")))),
                        "Actions",
                        List.of(Map.of("Type", "forward", "TargetGroupArn", Map.of("Ref", consoleTargets)))));

        Set<Object> switchboardPaths = new TreeSet<>();
        for (Map<String, Object> rule : synth.resources("AWS::ElasticLoadBalancingV2::ListenerRule").values()) {
            Map<String, Object> props = properties(rule);
            if (!toJson(props.get("Actions")).contains(switchboardTargets)) {
                continue;
            }
            for (Object condition : list(props.get("Conditions"))) {
                switchboardPaths.addAll(list(map(map(condition).get("PathPatternConfig")).get("Values")));
            }
        }
        assertEquals(new TreeSet<>(List.of("/twilio/*", "/conversations*", "/auth/*", "/admin/*", "/agents/ws", "/q/*",
                "/canned-replies", "/contacts/*", "/media")), switchboardPaths);
    }

    @Test
    void onlyTheLoadBalancerReachesTheTasks() {
        String albGroup = albSecurityGroup();
        for (int port : List.of(8080, 8081)) {
            synth.template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("FromPort", port, "ToPort",
                    port, "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(albGroup, "GroupId"))));
        }
        for (Map<String, Object> ingress : synth.resources("AWS::EC2::SecurityGroupIngress").values()) {
            assertFalse(properties(ingress).containsKey("CidrIp"), () -> "open ingress: " + ingress);
        }
        // The only address-based ingress is the ALB's own listener port.
        for (Map.Entry<String, Map<String, Object>> group : synth.resources("AWS::EC2::SecurityGroup").entrySet()) {
            Object inline = properties(group.getValue()).get("SecurityGroupIngress");
            if (!group.getKey().equals(albGroup)) {
                assertEquals(null, inline, group.getKey());
            } else {
                assertEquals(List.of(Map.of("CidrIp", "0.0.0.0/0", "Description", "Allow from anyone on port 80",
                        "FromPort", 80, "IpProtocol", "tcp", "ToPort", 80)), inline);
            }
        }
    }

    @Test
    void servicesRollWithoutLosingCapacityAndRollBackOnFailure() {
        Map<String, Map<String, Object>> services = synth.resources("AWS::ECS::Service");
        assertEquals(2, services.size());
        for (Map<String, Object> service : services.values()) {
            Map<String, Object> props = properties(service);
            assertEquals(Map.of("DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true),
                    "MinimumHealthyPercent", 100, "MaximumPercent", 200), props.get("DeploymentConfiguration"));
            assertEquals("FARGATE", props.get("LaunchType"));
            assertEquals("DISABLED",
                    map(map(props.get("NetworkConfiguration")).get("AwsvpcConfiguration")).get("AssignPublicIp"));
            assertEquals(2, props.get("DesiredCount"));
        }
    }

    @Test
    void servicesScaleOnCpuAndRequestsWithinTheirBounds() {
        synth.template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("MinCapacity", 2, "MaxCapacity", 10, "ScalableDimension", "ecs:service:DesiredCount"));
        synth.template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("MinCapacity", 2, "MaxCapacity", 6, "ScalableDimension", "ecs:service:DesiredCount"));
        List<String> metrics = new ArrayList<>();
        for (Map<String, Object> policy : synth.resources("AWS::ApplicationAutoScaling::ScalingPolicy").values()) {
            Map<String, Object> config = map(properties(policy).get("TargetTrackingScalingPolicyConfiguration"));
            metrics.add((String) map(config.get("PredefinedMetricSpecification")).get("PredefinedMetricType"));
        }
        metrics.sort(null);
        assertEquals(List.of("ALBRequestCountPerTarget", "ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization",
                "ECSServiceAverageCPUUtilization"), metrics);
    }

    @Test
    void switchboardContainerIsConfiguredThroughItsEnvironment() {
        Map<String, Object> container = synth.container("switchboard");
        assertEquals(List.of(Map.of("ContainerPort", 8080, "Name", "http", "Protocol", "tcp")),
                container.get("PortMappings"));
        assertTrue(names(container, "Environment")
                .containsAll(List.of("SWITCHBOARD_TWILIO_ACCOUNT_SID", "SWITCHBOARD_TWILIO_BUSINESS_NUMBER",
                        "SWITCHBOARD_TWILIO_PUBLIC_BASE_URL", "SWITCHBOARD_HISTORY_MESSAGES_TABLE",
                        "SWITCHBOARD_HISTORY_CONVERSATIONS_TABLE", "SWITCHBOARD_HISTORY_SIDS_TABLE",
                        "SWITCHBOARD_CANNED_TABLE", "SWITCHBOARD_CONTACTS_TABLE", "SWITCHBOARD_MEDIA_BUCKET",
                        "QUARKUS_DYNAMODB_AWS_REGION", "QUARKUS_S3_AWS_REGION", "SWITCHBOARD_DELIVERY_REDIS_URL")),
                names(container, "Environment")::toString);
        assertEquals("AC0123456789abcdef0123456789abcdef",
                valueOf(container, "Environment", "SWITCHBOARD_TWILIO_ACCOUNT_SID"));
        assertEquals("+15550001111", valueOf(container, "Environment", "SWITCHBOARD_TWILIO_BUSINESS_NUMBER"));
        assertEquals(Map.of("Ref", synth.tableId(SwitchboardStack.MESSAGES_TABLE)),
                valueOf(container, "Environment", "SWITCHBOARD_HISTORY_MESSAGES_TABLE"));
        assertEquals(Map.of("Ref", synth.tableId(SwitchboardStack.MESSAGE_SIDS_TABLE)),
                valueOf(container, "Environment", "SWITCHBOARD_HISTORY_SIDS_TABLE"));
        assertEquals(Map.of("Ref", "AWS::Region"), valueOf(container, "Environment", "QUARKUS_DYNAMODB_AWS_REGION"));
        // Without a certificate the ALB speaks HTTP, and Twilio's signature covers the scheme.
        String baseUrl = toJson(valueOf(container, "Environment", "SWITCHBOARD_TWILIO_PUBLIC_BASE_URL"));
        assertTrue(baseUrl.contains("\"http://\"") && baseUrl.contains("DNSName"), baseUrl);
        String redis = toJson(valueOf(container, "Environment", "SWITCHBOARD_DELIVERY_REDIS_URL"));
        assertTrue(redis.contains("rediss://") && redis.contains("PrimaryEndPoint.Address") && redis.contains(":6379"),
                redis);
        assertTrue(toJson(container.get("Image")).contains("/switchboard:1.0.0"), () -> toJson(container.get("Image")));
    }

    @Test
    void credentialsArriveAsEcsSecretsNeverAsPlainEnvironment() {
        Map<String, Object> switchboard = synth.container("switchboard");
        String twilioSecret = synth.single("AWS::SecretsManager::Secret", "Name", "switchboard/prod/twilio-auth-token")
                .getKey();
        String jwtSecret = synth.single("AWS::SecretsManager::Secret", "Name", "switchboard/prod/jwt-keys").getKey();
        assertEquals(Map.of("Ref", twilioSecret), valueOf(switchboard, "Secrets", "SWITCHBOARD_TWILIO_AUTH_TOKEN"));
        assertTrue(toJson(valueOf(switchboard, "Secrets", "SWITCHBOARD_JWT_PRIVATE_KEY")).contains(":privateKey::"));
        assertTrue(toJson(valueOf(switchboard, "Secrets", "SWITCHBOARD_JWT_PUBLIC_KEY")).contains(":publicKey::"));
        for (String secret : List.of("SWITCHBOARD_TWILIO_AUTH_TOKEN", "SWITCHBOARD_JWT_PRIVATE_KEY",
                "SWITCHBOARD_JWT_PUBLIC_KEY")) {
            assertFalse(names(switchboard, "Environment").contains(secret), secret + " in plain environment");
        }

        Map<String, Object> console = synth.container("agent-console");
        assertEquals(List.of("SWITCHBOARD_JWT_PUBLIC_KEY"), names(console, "Secrets"));
        assertTrue(toJson(valueOf(console, "Secrets", "SWITCHBOARD_JWT_PUBLIC_KEY"))
                .contains(jwtSecret + "\"},\":publicKey::"), () -> toJson(console.get("Secrets")));
        assertEquals(List.of("CONSOLE_SCORING_MESSAGES_TABLE", "CONSOLE_SCORING_REGION", "CONSOLE_SWITCHBOARD_URL"),
                names(console, "Environment"));
        assertEquals(List.of(Map.of("ContainerPort", 8081, "Name", "http", "Protocol", "tcp")),
                console.get("PortMappings"));

        // Operators replace the values; the template only asks Secrets Manager to generate placeholders.
        for (Map<String, Object> secret : synth.resources("AWS::SecretsManager::Secret").values()) {
            assertTrue(properties(secret).containsKey("GenerateSecretString"));
            assertFalse(properties(secret).containsKey("SecretString"));
        }
    }

    @Test
    void eachServiceLogsToItsOwnGroupForThirtyDays() {
        Map<String, Map<String, Object>> groups = synth.resources("AWS::Logs::LogGroup");
        groups.values().forEach(group -> assertEquals(30, properties(group).get("RetentionInDays")));
        Set<String> used = new TreeSet<>();
        for (String name : List.of("switchboard", "agent-console")) {
            Map<String, Object> logging = map(synth.container(name).get("LogConfiguration"));
            assertEquals("awslogs", logging.get("LogDriver"));
            used.add((String) map(map(logging.get("Options")).get("awslogs-group")).get("Ref"));
        }
        assertEquals(groups.keySet(), used);
    }

    @Test
    void redisIsEncryptedPrivateAndReachableOnlyFromTheServices() {
        synth.template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup",
                Map.of("Engine", "redis", "Port", 6379, "TransitEncryptionEnabled", true, "AtRestEncryptionEnabled",
                        true, "NumCacheClusters", 1, "AutomaticFailoverEnabled", false));
        Map<String, Object> redis = properties(
                synth.resources("AWS::ElastiCache::ReplicationGroup").values().iterator().next());
        String redisGroup = (String) list(map(list(redis.get("SecurityGroupIds")).get(0)).get("Fn::GetAtt")).get(0);

        Set<String> sources = new TreeSet<>();
        for (Map<String, Object> ingress : synth.resources("AWS::EC2::SecurityGroupIngress").values()) {
            Map<String, Object> props = properties(ingress);
            if (!toJson(props.get("GroupId")).contains(redisGroup)) {
                continue;
            }
            assertEquals(6379, props.get("FromPort"));
            assertEquals(6379, props.get("ToPort"));
            sources.add((String) list(map(props.get("SourceSecurityGroupId")).get("Fn::GetAtt")).get(0));
        }
        Set<String> serviceGroups = new TreeSet<>();
        for (Map<String, Object> service : synth.resources("AWS::ECS::Service").values()) {
            Object group = list(map(map(properties(service).get("NetworkConfiguration")).get("AwsvpcConfiguration"))
                    .get("SecurityGroups")).get(0);
            serviceGroups.add((String) list(map(group).get("Fn::GetAtt")).get(0));
        }
        assertEquals(serviceGroups, sources);
        Map<String, Object> group = properties(map(map(synth.json.get("Resources")).get(redisGroup)));
        assertFalse(group.containsKey("SecurityGroupIngress"), "inline ingress on the Redis group");

        String privateSubnets = toJson(
                properties(synth.resources("AWS::ElastiCache::SubnetGroup").values().iterator().next())
                        .get("SubnetIds"));
        assertTrue(privateSubnets.contains("private") && !privateSubnets.contains("public"), privateSubnets);
    }

    @Test
    void switchboardRoleTouchesOnlyItsTablesStreamAndMediaPrefix() {
        List<Map<String, Object>> statements = synth.statementsOf(synth.taskRoleOf("switchboard"));
        assertFalse(statements.isEmpty());
        Set<String> tableIds = new TreeSet<>();
        TABLES.forEach(name -> tableIds.add(synth.tableId(name)));
        tableIds.add(synth.tableId(SwitchboardStack.LOGIN_ATTEMPTS_TABLE));
        Set<String> dynamoActions = new TreeSet<>();

        for (Map<String, Object> statement : statements) {
            assertEquals("Allow", statement.get("Effect"));
            List<Object> actions = listOf(statement, "Action");
            List<Object> resources = listOf(statement, "Resource");
            actions.stream().map(String.class::cast).filter(a -> a.startsWith("dynamodb:")).forEach(dynamoActions::add);
            for (Object action : actions) {
                assertFalse(((String) action).endsWith("*"), "wildcard action " + action);
                assertTrue(((String) action).startsWith("dynamodb:") || ((String) action).startsWith("s3:"),
                        "unexpected action " + action);
            }
            if (resources.contains("*")) {
                assertEquals(List.of("dynamodb:ListStreams"), actions, "only ListStreams may use *");
                assertEquals(List.of("*"), resources);
                continue;
            }
            for (Object resource : resources) {
                String text = toJson(resource);
                if (actions.stream().anyMatch(a -> ((String) a).startsWith("s3:"))) {
                    assertTrue(text.contains("MediaBucket"), text);
                    if (actions.contains("s3:GetObject") || actions.contains("s3:PutObject")) {
                        assertTrue(text.endsWith("\"/media/*\"]]}"), "object actions outside media/: " + text);
                    } else {
                        assertEquals(List.of("s3:ListBucket"), actions);
                        assertFalse(text.contains("/"), "ListBucket is for the bucket itself: " + text);
                    }
                } else {
                    boolean ownTable = tableIds.stream().anyMatch(id -> text.contains("\"" + id + "\""));
                    boolean kclTable = text.contains(":table/switchboard-events*");
                    assertTrue(ownTable || kclTable, "DynamoDB action on " + text);
                }
            }
        }
        assertTrue(
                dynamoActions.containsAll(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem",
                        "dynamodb:DescribeTable", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                        "dynamodb:DescribeStream", "dynamodb:ListStreams", "dynamodb:CreateTable")),
                dynamoActions::toString);
        assertFalse(dynamoActions.contains("dynamodb:DeleteTable"));
    }

    @Test
    void switchboardMayScanTheTablesItScansButNeverTheMessages() {
        List<Map<String, Object>> scans = synth.statementsOf(synth.taskRoleOf("switchboard")).stream()
                .filter(statement -> listOf(statement, "Action").contains("dynamodb:Scan"))
                .filter(statement -> !toJson(statement).contains(":table/switchboard-events*")).toList();
        assertEquals(1, scans.size(), scans::toString);
        List<Object> expected = java.util.stream.Stream
                .of(SwitchboardStack.CANNED_REPLIES_TABLE, SwitchboardStack.AGENTS_TABLE,
                        SwitchboardStack.CONVERSATIONS_TABLE, SwitchboardStack.CONTACTS_TABLE)
                .map(table -> (Object) Map.of("Fn::GetAtt", List.of(synth.tableId(table), "Arn"))).toList();
        assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(listOf(scans.get(0), "Resource")));
        assertFalse(toJson(scans.get(0)).contains(synth.tableId(SwitchboardStack.MESSAGES_TABLE)));
    }

    @Test
    void switchboardRoleReadsOnlyTheMessagesStream() {
        String messages = synth.tableId(SwitchboardStack.MESSAGES_TABLE);
        Map<String, Object> stream = synth.statementsOf(synth.taskRoleOf("switchboard")).stream()
                .filter(statement -> listOf(statement, "Action").contains("dynamodb:GetRecords")).findFirst()
                .orElseThrow();
        assertEquals(List.of(Map.of("Fn::GetAtt", List.of(messages, "StreamArn"))), listOf(stream, "Resource"));
    }

    @Test
    void kclMayManageOnlyItsOwnTables() {
        Map<String, Object> kcl = synth.statementsOf(synth.taskRoleOf("switchboard")).stream()
                .filter(statement -> listOf(statement, "Action").contains("dynamodb:CreateTable")).findFirst()
                .orElseThrow();
        assertTrue(listOf(kcl, "Action").containsAll(List.of("dynamodb:Scan", "dynamodb:UpdateContinuousBackups",
                "dynamodb:TagResource", "dynamodb:DescribeTable")));
        List<Object> resources = listOf(kcl, "Resource");
        assertEquals(2, resources.size());
        for (Object resource : resources) {
            String text = toJson(resource);
            assertTrue(text.contains(":table/switchboard-events*"), text);
            assertTrue(text.contains("{\"Ref\":\"AWS::Region\"}") && text.contains("{\"Ref\":\"AWS::AccountId\"}"),
                    text);
        }
    }

    @Test
    void consoleRoleOnlyReadsTheMessagesStreamOwnsItsLeasesAndAddsScores() {
        String messages = synth.tableId(SwitchboardStack.MESSAGES_TABLE);
        List<Map<String, Object>> statements = synth.statementsOf(synth.taskRoleOf("agent-console"));
        assertFalse(statements.isEmpty());
        for (Map<String, Object> statement : statements) {
            List<Object> actions = listOf(statement, "Action");
            String resources = toJson(listOf(statement, "Resource"));
            for (Object action : actions) {
                assertTrue(((String) action).startsWith("dynamodb:"), "console may " + action);
            }
            if (resources.contains("console-scoring*")) {
                assertFalse(resources.contains("switchboard-events"), resources);
            } else if (actions.contains("dynamodb:GetRecords")) {
                assertEquals(List.of(Map.of("Fn::GetAtt", List.of(messages, "StreamArn"))),
                        listOf(statement, "Resource"));
            } else if (actions.contains("dynamodb:ListStreams")) {
                assertEquals(List.of("*"), listOf(statement, "Resource"));
                assertEquals(List.of("dynamodb:ListStreams"), actions);
            } else {
                // On the messages table itself: only adding a score (and describing it to find its stream).
                assertEquals(List.of(Map.of("Fn::GetAtt", List.of(messages, "Arn"))), listOf(statement, "Resource"));
                assertEquals(Set.of("dynamodb:UpdateItem", "dynamodb:DescribeTable"), Set.copyOf(actions));
            }
        }
        assertTrue(toJson(statements).contains(":table/console-scoring*"), () -> toJson(statements));
        assertTrue(statements.stream().anyMatch(st -> listOf(st, "Action").contains("dynamodb:GetRecords")));
    }

    @Test
    void executionRolesPullTheirOwnImageAndReadTheirOwnSecrets() {
        List<Map<String, Object>> switchboard = synth.statementsOf(synth.executionRoleOf("switchboard"));
        List<Map<String, Object>> console = synth.statementsOf(synth.executionRoleOf("agent-console"));
        for (List<Map<String, Object>> statements : List.of(switchboard, console)) {
            for (Map<String, Object> statement : statements) {
                if (listOf(statement, "Resource").contains("*")) {
                    assertEquals(List.of("ecr:GetAuthorizationToken"), listOf(statement, "Action"));
                }
            }
        }
        String twilioSecret = synth.single("AWS::SecretsManager::Secret", "Name", "switchboard/prod/twilio-auth-token")
                .getKey();
        assertTrue(toJson(switchboard).contains(twilioSecret));
        assertFalse(toJson(console).contains(twilioSecret), "console can read the Twilio token");
        assertTrue(toJson(switchboard).contains(":repository/switchboard\""));
        assertTrue(toJson(console).contains(":repository/switchboard-agent-console\""));
    }

    @Test
    void outputsNameWhatOperatorsNeed() {
        Map<String, Object> outputs = map(synth.json.get("Outputs"));
        for (String output : List.of("AlbDnsName", "PublicBaseUrl", "MessagesTableName", "ConversationsTableName",
                "MessageSidsTableName", "AgentsTableName", "MediaBucketName", "TwilioAuthTokenSecretArn",
                "JwtKeysSecretArn")) {
            assertNotNull(outputs.get(output), output);
        }
        synth.template.hasOutput("AlbDnsName",
                Map.of("Value", Map.of("Fn::GetAtt", List.of(Match.anyValue(), "DNSName"))));
    }

    @Test
    void synthesizesWithoutWarningsOrErrors() {
        Annotations annotations = Annotations.fromStack(synth.stack);
        annotations.hasNoWarning("*", Match.anyValue());
        annotations.hasNoError("*", Match.anyValue());
    }

    private static String targetGroupId(int port) {
        return synth.single("AWS::ElasticLoadBalancingV2::TargetGroup", "Port", port).getKey();
    }

    private static String albSecurityGroup() {
        Map<String, Object> alb = properties(
                synth.resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values().iterator().next());
        return (String) list(map(list(alb.get("SecurityGroups")).get(0)).get("Fn::GetAtt")).get(0);
    }
}
