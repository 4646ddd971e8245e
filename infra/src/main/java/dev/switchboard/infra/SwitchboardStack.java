package dev.switchboard.infra;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.LocalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetGroupsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerRedirectConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Production: the tables, the media bucket, Redis, the two Fargate services and the one ALB in front of them.
 * Environment-agnostic (no account or region baked in) so that it synthesizes without AWS credentials.
 */
public final class SwitchboardStack extends Stack {

    public static final String MESSAGES_TABLE = "switchboard-messages";
    public static final String CONVERSATIONS_TABLE = "switchboard-conversations";
    public static final String MESSAGE_SIDS_TABLE = "switchboard-message-sids";
    public static final String AGENTS_TABLE = "switchboard-agents";
    public static final String CANNED_REPLIES_TABLE = "switchboard-canned-replies";
    public static final String CONTACTS_TABLE = "switchboard-contacts";
    /** Failed-login counters shared by every instance; items expire by TTL on {@code expiresAt}. */
    public static final String LOGIN_ATTEMPTS_TABLE = "switchboard-login-attempts";
    /** KCL application name; KCL names its lease, coordinator and worker-metrics tables after it. */
    public static final String KCL_APPLICATION = "switchboard-events";
    /**
     * The console's KCL application (console.scoring.application-name): the messages stream's second reader (DynamoDB
     * Streams allows two per shard; the switchboard's is the first, so no third may be added).
     */
    public static final String CONSOLE_KCL_APPLICATION = "console-scoring";

    public static final int SWITCHBOARD_PORT = 8080;
    public static final int CONSOLE_PORT = 8081;
    public static final int REDIS_PORT = 6379;
    public static final String HEALTH_PATH = "/q/health/ready";
    /** Longer than the agents' 25 s WebSocket heartbeat with room to spare, far shorter than an hour. */
    public static final Duration ALB_IDLE_TIMEOUT = Duration.seconds(120);
    /** At least switchboard.shutdown.timeout (25 s): in-flight requests get that long once a task is draining. */
    public static final Duration DEREGISTRATION_DELAY = Duration.seconds(30);
    /**
     * Object keys the switchboard writes (MediaIngest, and agents' uploads under media/uploads/): the task role gets
     * nothing outside this prefix.
     */
    public static final String MEDIA_PREFIX = "media/";

    static final List<String> SWITCHBOARD_PATHS_A = List.of("/twilio/*", "/conversations*", "/auth/*",
            "/canned-replies");
    static final List<String> SWITCHBOARD_PATHS_B = List.of("/admin/*", "/agents/ws", "/q/*", "/contacts/*", "/media");
    static final List<String> CONSOLE_PATHS = List.of("/console", "/console/*");

    private final Settings settings;
    private final Vpc vpc;
    private final Cluster cluster;
    private final ApplicationLoadBalancer alb;
    private final ApplicationListener listener;

    public SwitchboardStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        this.settings = settings;

        vpc = Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(settings.natGateways())
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(22).build()))
                .build();
        // Gateway endpoints are free and keep DynamoDB and S3 traffic (media uploads especially) off the NAT
        // gateway, which bills per gigabyte.
        vpc.addGatewayEndpoint("DynamoDbEndpoint",
                GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.DYNAMODB).build());
        vpc.addGatewayEndpoint("S3Endpoint",
                GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());

        // Inbound messages are keyed by their MessageSid (the webhook's one conditional put), replies by the agent's
        // idempotency id; "by-seq" keeps each conversation's history in time order.
        Table messages = table("MessagesTable", MESSAGES_TABLE, "conversation", "id", StreamViewType.NEW_IMAGE);
        messages.addLocalSecondaryIndex(LocalSecondaryIndexProps.builder().indexName("by-seq")
                .sortKey(Attribute.builder().name("seq").type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL).build());
        // Sparse: only messages still owing work (a reply to send, media to fetch) carry "work"; the sweepers read
        // what is due from here.
        messages.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName("by-work")
                .partitionKey(Attribute.builder().name("work").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("workDue").type(AttributeType.NUMBER).build())
                .projectionType(ProjectionType.KEYS_ONLY).build());
        Table conversations = table("ConversationsTable", CONVERSATIONS_TABLE, "conversation", null, null);
        conversations.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName("by-state")
                .partitionKey(Attribute.builder().name("state").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("stateSince").type(AttributeType.NUMBER).build())
                .projectionType(ProjectionType.ALL).build());
        // Sparse: only assigned conversations carry an agent. What an agent gets back when they reconnect.
        conversations.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName("by-agent")
                .partitionKey(Attribute.builder().name("agent").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("stateSince").type(AttributeType.NUMBER).build())
                .projectionType(ProjectionType.ALL).build());
        // Twilio SIDs of sent replies, for status callbacks; written by the sender, never on a webhook's path.
        Table sids = table("MessageSidsTable", MESSAGE_SIDS_TABLE, "sid", null, null);
        Table agents = table("AgentsTable", AGENTS_TABLE, "agent", null, null);
        // Sparse: agents who can take a conversation now carry routable=available (routing reads that partition), the
        // others who are present (away, full, in their grace period) routable=held (the presence sweep reads both);
        // an agent offline with nothing assigned is in neither, so neither reads every agent.
        agents.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName("by-routable")
                .partitionKey(Attribute.builder().name("routable").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("rank").type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL).build());
        Table canned = table("CannedRepliesTable", CANNED_REPLIES_TABLE, "pk", null, null);
        Table contacts = table("ContactsTable", CONTACTS_TABLE, "customer", null, null);
        // Counters that forget on their own: no backups, nothing to retain.
        Table loginAttempts = Table.Builder.create(this, "LoginAttemptsTable").tableName(LOGIN_ATTEMPTS_TABLE)
                .partitionKey(Attribute.builder().name("key").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST).timeToLiveAttribute("expiresAt")
                .removalPolicy(RemovalPolicy.DESTROY).build();
        List<Table> tables = List.of(messages, conversations, sids, agents, canned, contacts, loginAttempts);

        Bucket media = Bucket.Builder.create(this, "MediaBucket").blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED).enforceSsl(true).versioned(false)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("media-aging").abortIncompleteMultipartUploadAfter(Duration.days(1))
                                // Agents look at media while a conversation is live; months later it is rarely read.
                                .transitions(List.of(Transition.builder().storageClass(StorageClass.INFREQUENT_ACCESS)
                                        .transitionAfter(Duration.days(90)).build()))
                                .build()))
                .removalPolicy(RemovalPolicy.RETAIN).build();

        ISecret twilioAuthToken = secret("TwilioAuthToken", "twilio-auth-token",
                "Twilio auth token: signs webhooks and authenticates API calls. Placeholder until an operator puts "
                        + "the real one.",
                SecretStringGenerator.builder().excludePunctuation(true).passwordLength(32).build());
        // One secret for the pair keeps rotation atomic; ECS hands each container only the fields it names.
        ISecret jwtKeys = secret("JwtKeys", "jwt-keys",
                "Agents' session-token key pair as JSON {privateKey, publicKey} (PEM). Placeholders until an "
                        + "operator puts a real pair.",
                SecretStringGenerator.builder().secretStringTemplate("{\"publicKey\":\"replace-me\"}")
                        .generateStringKey("privateKey").excludePunctuation(true).passwordLength(32).build());

        cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc).build();

        SecurityGroup switchboardGroup = SecurityGroup.Builder.create(this, "SwitchboardTasks").vpc(vpc)
                .description("switchboard tasks").allowAllOutbound(true).build();
        SecurityGroup consoleGroup = SecurityGroup.Builder.create(this, "ConsoleTasks").vpc(vpc)
                .description("agent-console tasks").allowAllOutbound(true).build();
        String redisUrl = redis(List.of(switchboardGroup, consoleGroup));

        alb = ApplicationLoadBalancer.Builder.create(this, "Alb").vpc(vpc).internetFacing(true)
                .idleTimeout(ALB_IDLE_TIMEOUT).dropInvalidHeaderFields(true).build();
        listener = listener();
        String host = settings.domainName() != null ? settings.domainName() : alb.getLoadBalancerDnsName();
        // Twilio signs the exact URL it calls: the scheme must be the one the ALB actually serves.
        String publicBaseUrl = (settings.tls() ? "https://" : "http://") + host;

        Map<String, String> switchboardEnv = new TreeMap<>();
        switchboardEnv.put("SWITCHBOARD_TWILIO_ACCOUNT_SID", settings.twilioAccountSid());
        switchboardEnv.put("SWITCHBOARD_TWILIO_BUSINESS_NUMBER", settings.twilioBusinessNumber());
        switchboardEnv.put("SWITCHBOARD_TWILIO_PUBLIC_BASE_URL", publicBaseUrl);
        switchboardEnv.put("SWITCHBOARD_HISTORY_MESSAGES_TABLE", messages.getTableName());
        switchboardEnv.put("SWITCHBOARD_HISTORY_CONVERSATIONS_TABLE", conversations.getTableName());
        switchboardEnv.put("SWITCHBOARD_HISTORY_SIDS_TABLE", sids.getTableName());
        switchboardEnv.put("SWITCHBOARD_CANNED_TABLE", canned.getTableName());
        switchboardEnv.put("SWITCHBOARD_CONTACTS_TABLE", contacts.getTableName());
        switchboardEnv.put("SWITCHBOARD_MEDIA_BUCKET", media.getBucketName());
        switchboardEnv.put("QUARKUS_DYNAMODB_AWS_REGION", Aws.REGION);
        switchboardEnv.put("QUARKUS_S3_AWS_REGION", Aws.REGION);
        switchboardEnv.put("SWITCHBOARD_DELIVERY_REDIS_URL", redisUrl);
        switchboardEnv.put("SWITCHBOARD_AUTH_THROTTLE_TABLE", loginAttempts.getTableName());
        // The ALB lives in this VPC: forwarded headers count from its addresses only.
        switchboardEnv.put("SWITCHBOARD_TRUSTED_PROXIES", vpc.getVpcCidrBlock());
        Map<String, Secret> switchboardSecrets = new TreeMap<>();
        switchboardSecrets.put("SWITCHBOARD_TWILIO_AUTH_TOKEN", Secret.fromSecretsManager(twilioAuthToken));
        switchboardSecrets.put("SWITCHBOARD_JWT_PRIVATE_KEY", Secret.fromSecretsManager(jwtKeys, "privateKey"));
        switchboardSecrets.put("SWITCHBOARD_JWT_PUBLIC_KEY", Secret.fromSecretsManager(jwtKeys, "publicKey"));

        FargateTaskDefinition switchboardTask = taskDefinition("Switchboard", "switchboard", settings.switchboard(),
                ImagesStack.SWITCHBOARD_REPOSITORY, settings.switchboardImageTag(), SWITCHBOARD_PORT, switchboardEnv,
                switchboardSecrets);
        grantSwitchboard(switchboardTask, tables, messages, media);
        // Scans, each bounded, of exactly the tables the code scans: the canned replies every console loads (at most
        // switchboard.canned.max-replies), the agents (admin list; the routing index repair, every 10 min), and
        // conversations and contacts (search, at most switchboard.search.max-scanned-items each). The messages table
        // is never scanned.
        switchboardTask.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("BoundedScans")
                .actions(List.of("dynamodb:Scan")).resources(List.of(canned.getTableArn(), agents.getTableArn(),
                        conversations.getTableArn(), contacts.getTableArn()))
                .build());
        FargateService switchboardService = service("Switchboard", switchboardTask, switchboardGroup,
                settings.switchboard());
        ApplicationTargetGroup switchboardTargets = targetGroup("SwitchboardTargets", switchboardService,
                SWITCHBOARD_PORT);

        Map<String, String> consoleEnv = new TreeMap<>();
        consoleEnv.put("CONSOLE_SWITCHBOARD_URL", publicBaseUrl);
        consoleEnv.put("CONSOLE_SCORING_MESSAGES_TABLE", messages.getTableName());
        consoleEnv.put("CONSOLE_SCORING_REGION", Aws.REGION);
        Map<String, Secret> consoleSecrets = new TreeMap<>();
        consoleSecrets.put("SWITCHBOARD_JWT_PUBLIC_KEY", Secret.fromSecretsManager(jwtKeys, "publicKey"));
        FargateTaskDefinition consoleTask = taskDefinition("Console", "agent-console", settings.console(),
                ImagesStack.CONSOLE_REPOSITORY, settings.consoleImageTag(), CONSOLE_PORT, consoleEnv, consoleSecrets);
        grantConsole(consoleTask, messages);
        FargateService consoleService = service("Console", consoleTask, consoleGroup, settings.console());
        ApplicationTargetGroup consoleTargets = targetGroup("ConsoleTargets", consoleService, CONSOLE_PORT);

        route(switchboardTargets, consoleTargets);
        autoscale(switchboardService, switchboardTargets, settings.switchboard());
        autoscale(consoleService, consoleTargets, settings.console());

        output("AlbDnsName", alb.getLoadBalancerDnsName(), "point the public DNS names here");
        output("PublicBaseUrl", publicBaseUrl, "Twilio's messaging webhook: this + /twilio/messages");
        output("MessagesTableName", messages.getTableName(), null);
        output("ConversationsTableName", conversations.getTableName(), null);
        output("MessageSidsTableName", sids.getTableName(), null);
        output("AgentsTableName", agents.getTableName(), null);
        output("CannedRepliesTableName", canned.getTableName(), null);
        output("ContactsTableName", contacts.getTableName(), null);
        output("MediaBucketName", media.getBucketName(), null);
        output("TwilioAuthTokenSecretArn", twilioAuthToken.getSecretArn(), "put the real auth token here");
        output("JwtKeysSecretArn", jwtKeys.getSecretArn(), "put the real key pair here");
    }

    private Table table(String id, String name, String partitionKey, String sortKey, StreamViewType stream) {
        Table.Builder builder = Table.Builder.create(this, id).tableName(name)
                .partitionKey(Attribute.builder().name(partitionKey).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(
                        PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                // The conversation history is the product; neither a stack deletion nor a stray console click
                // may take it away.
                .deletionProtection(true).removalPolicy(RemovalPolicy.RETAIN);
        if (sortKey != null) {
            builder.sortKey(Attribute.builder().name(sortKey).type(AttributeType.STRING).build());
        }
        if (stream != null) {
            builder.stream(stream);
        }
        return builder.build();
    }

    /**
     * A secret whose value Secrets Manager generates, so no credential ever sits in the template; retained because
     * operators put the real values in it.
     */
    private ISecret secret(String id, String name, String description, SecretStringGenerator generator) {
        return software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, id)
                .secretName("switchboard/" + settings.envName() + "/" + name).description(description)
                .generateSecretString(generator).removalPolicy(RemovalPolicy.RETAIN).build();
    }

    /** Redis replication group reachable only from {@code clients}; returns the URL Quarkus connects to. */
    private String redis(List<SecurityGroup> clients) {
        SecurityGroup group = SecurityGroup.Builder.create(this, "RedisGroup").vpc(vpc).description("switchboard Redis")
                .allowAllOutbound(false).build();
        for (SecurityGroup client : clients) {
            group.addIngressRule(client, Port.tcp(REDIS_PORT), "Redis from " + client.getNode().getId());
        }
        CfnSubnetGroup subnets = CfnSubnetGroup.Builder.create(this, "RedisSubnets")
                .description("switchboard Redis: private subnets")
                .subnetIds(
                        vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                                .getSubnetIds())
                .build();
        boolean failover = settings.redisNodes() > 1;
        CfnReplicationGroup redis = CfnReplicationGroup.Builder.create(this, "Redis")
                .replicationGroupDescription("switchboard cross-instance delivery").engine("redis").engineVersion("7.1")
                .cacheNodeType(settings.redisNodeType()).numCacheClusters(settings.redisNodes())
                .automaticFailoverEnabled(failover).multiAzEnabled(failover).port(REDIS_PORT)
                .cacheSubnetGroupName(subnets.getRef()).securityGroupIds(List.of(group.getSecurityGroupId()))
                .atRestEncryptionEnabled(true).transitEncryptionEnabled(true).build();
        // TLS in transit, hence rediss: ElastiCache's certificates chain to Amazon's public CAs, which the JVM
        // trusts out of the box.
        return "rediss://" + redis.getAttrPrimaryEndPointAddress() + ":" + REDIS_PORT;
    }

    private ApplicationListener listener() {
        if (!settings.tls()) {
            return alb.addListener("Http", BaseApplicationListenerProps.builder().port(80)
                    .protocol(ApplicationProtocol.HTTP).open(true).build());
        }
        alb.addRedirect(
                ApplicationLoadBalancerRedirectConfig.builder().sourcePort(80).sourceProtocol(ApplicationProtocol.HTTP)
                        .targetPort(443).targetProtocol(ApplicationProtocol.HTTPS).build());
        return alb.addListener("Https",
                BaseApplicationListenerProps.builder().port(443).protocol(ApplicationProtocol.HTTPS).open(true)
                        .certificates(List.of(ListenerCertificate.fromArn(settings.certificateArn())))
                        .sslPolicy(SslPolicy.RECOMMENDED_TLS).build());
    }

    private FargateTaskDefinition taskDefinition(String id, String name, Settings.ServiceSize size,
            String repositoryName, String tag, int port, Map<String, String> environment, Map<String, Secret> secrets) {
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, id + "Task").cpu(size.cpu())
                .memoryLimitMiB(size.memoryMiB()).build();
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        // Referenced by name, not by cross-stack export, so the images stack can change without blocking this one.
        IRepository repository = Repository.fromRepositoryName(this, id + "Repository", repositoryName);
        task.addContainer(name, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(repository, tag)).essential(true)
                .portMappings(List.of(PortMapping.builder().containerPort(port).name("http").build()))
                .environment(environment).secrets(secrets)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(name).build()))
                // The switchboard drains for up to 25 s (switchboard.shutdown.timeout); SIGKILL only after that.
                .stopTimeout(Duration.seconds(40)).build());
        return task;
    }

    private FargateService service(String id, FargateTaskDefinition task, SecurityGroup group,
            Settings.ServiceSize size) {
        return FargateService.Builder.create(this, id + "Service").cluster(cluster).taskDefinition(task)
                .desiredCount(size.desiredCount())
                // New tasks must be healthy before old ones go: capacity never dips during a deployment.
                .minHealthyPercent(100).maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .healthCheckGracePeriod(Duration.seconds(60)).assignPublicIp(false)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(group)).build();
    }

    private ApplicationTargetGroup targetGroup(String id, FargateService service, int port) {
        return ApplicationTargetGroup.Builder.create(this, id).vpc(vpc).port(port).protocol(ApplicationProtocol.HTTP)
                .targetType(TargetType.IP).deregistrationDelay(DEREGISTRATION_DELAY)
                .healthCheck(HealthCheck.builder().path(HEALTH_PATH).healthyHttpCodes("200")
                        .interval(Duration.seconds(15)).timeout(Duration.seconds(5)).healthyThresholdCount(2)
                        .unhealthyThresholdCount(3).build())
                .targets(List.of(service)).build();
    }

    /**
     * The switchboard takes everything by default; the console gets its own host (when {@code consoleHost} is set) or
     * the {@code /console} paths. The switchboard's own paths are listed too, so the catch-all default can later become
     * a 404 without touching the rules.
     */
    private void route(ApplicationTargetGroup switchboard, ApplicationTargetGroup console) {
        listener.addTargetGroups("Default",
                AddApplicationTargetGroupsProps.builder().targetGroups(List.of(switchboard)).build());
        ListenerCondition consoleCondition = settings.consoleHost() != null
                ? ListenerCondition.hostHeaders(List.of(settings.consoleHost()))
                : ListenerCondition.pathPatterns(CONSOLE_PATHS);
        // Evaluated first: on the console's host name every path belongs to the console.
        listener.addTargetGroups("Console", AddApplicationTargetGroupsProps.builder().priority(5)
                .conditions(List.of(consoleCondition)).targetGroups(List.of(console)).build());
        // An ALB rule takes at most five condition values, hence two rules.
        listener.addTargetGroups("SwitchboardApi",
                AddApplicationTargetGroupsProps.builder().priority(10)
                        .conditions(List.of(ListenerCondition.pathPatterns(SWITCHBOARD_PATHS_A)))
                        .targetGroups(List.of(switchboard)).build());
        listener.addTargetGroups("SwitchboardOps",
                AddApplicationTargetGroupsProps.builder().priority(11)
                        .conditions(List.of(ListenerCondition.pathPatterns(SWITCHBOARD_PATHS_B)))
                        .targetGroups(List.of(switchboard)).build());
    }

    private void autoscale(FargateService service, ApplicationTargetGroup targets, Settings.ServiceSize size) {
        ScalableTaskCount count = service.autoScaleTaskCount(
                EnableScalingProps.builder().minCapacity(size.minCount()).maxCapacity(size.maxCount()).build());
        count.scaleOnCpuUtilization("Cpu",
                CpuUtilizationScalingProps.builder().targetUtilizationPercent(size.cpuTargetPercent())
                        // Scale in slowly: each task holds agents' WebSockets, which reconnect when it goes.
                        .scaleInCooldown(Duration.minutes(5)).scaleOutCooldown(Duration.minutes(1)).build());
        count.scaleOnRequestCount("Requests",
                RequestCountScalingProps.builder().requestsPerTarget(size.requestsPerTarget()).targetGroup(targets)
                        .scaleInCooldown(Duration.minutes(5)).scaleOutCooldown(Duration.minutes(1)).build());
    }

    /**
     * Only what the switchboard calls, on only its tables and objects. Transactions need no action of their own:
     * DynamoDB authorizes TransactWriteItems per contained Put/Update/Delete/ConditionCheck.
     */
    private void grantSwitchboard(FargateTaskDefinition task, List<Table> tables, Table messages, Bucket media) {
        List<String> tableResources = tables.stream()
                .flatMap(table -> Stream.of(table.getTableArn(), table.getTableArn() + "/index/*")).toList();
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("Tables")
                .actions(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem",
                        "dynamodb:DescribeTable"))
                .resources(tableResources).build());

        // KCL creates and owns its lease, coordinator-state and worker-metrics tables; they exist only at run
        // time, so they are granted by name prefix.
        String kclTables = formatArn(ArnComponents.builder().service("dynamodb").resource("table")
                .resourceName(KCL_APPLICATION + "*").build());
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("KclTables")
                .actions(List.of("dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable",
                        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                        "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateContinuousBackups", "dynamodb:TagResource"))
                .resources(List.of(kclTables, kclTables + "/index/*")).build());
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("MessageStream")
                .actions(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"))
                .resources(List.of(messages.getTableStreamArn())).build());
        // ListStreams has no resource-level permissions: AWS only accepts "*".
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("ListStreams")
                .actions(List.of("dynamodb:ListStreams")).resources(List.of("*")).build());

        task.addToTaskRolePolicy(
                PolicyStatement.Builder.create().sid("MediaObjects").actions(List.of("s3:GetObject", "s3:PutObject"))
                        .resources(List.of(media.arnForObjects(MEDIA_PREFIX + "*"))).build());
        // The readiness check calls HeadBucket, which S3 authorizes as ListBucket on the bucket itself.
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("MediaBucketHead")
                .actions(List.of("s3:ListBucket")).resources(List.of(media.getBucketArn())).build());
    }

    /**
     * The console scores each customer message once: it reads the messages stream (its second reader) under its own KCL
     * tables, and may only add the score to a message item (UpdateItem; no reads or writes of other tables).
     */
    private void grantConsole(FargateTaskDefinition task, Table messages) {
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("ScoreMessages")
                .actions(List.of("dynamodb:UpdateItem", "dynamodb:DescribeTable"))
                .resources(List.of(messages.getTableArn())).build());
        String kclTables = formatArn(ArnComponents.builder().service("dynamodb").resource("table")
                .resourceName(CONSOLE_KCL_APPLICATION + "*").build());
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("ScoringKclTables")
                .actions(List.of("dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable",
                        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                        "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateContinuousBackups", "dynamodb:TagResource"))
                .resources(List.of(kclTables, kclTables + "/index/*")).build());
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("ScoringStream")
                .actions(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"))
                .resources(List.of(messages.getTableStreamArn())).build());
        task.addToTaskRolePolicy(PolicyStatement.Builder.create().sid("ScoringListStreams")
                .actions(List.of("dynamodb:ListStreams")).resources(List.of("*")).build());
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
