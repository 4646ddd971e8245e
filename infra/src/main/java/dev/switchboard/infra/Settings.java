package dev.switchboard.infra;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything that differs between deployments. Read from CDK context ({@code -c key=value} or {@code cdk.json}) by
 * {@link #fromContext}; tests build it directly.
 *
 * @param envName
 *            short name of the deployment (stack name, secret names, tags)
 * @param twilioAccountSid
 *            Twilio account the webhooks belong to (not a secret: it is in every webhook request)
 * @param twilioBusinessNumber
 *            the number customers text, E.164
 * @param domainName
 *            public host name pointed at the ALB; {@code null} to use the ALB's own DNS name
 * @param certificateArn
 *            ACM certificate for {@code domainName} (and {@code consoleHost}); {@code null} serves HTTP only
 * @param consoleHost
 *            host name routed to the agent console; {@code null} routes {@code /console} paths instead
 * @param switchboardImageTag
 *            tag of the switchboard image in its ECR repository
 * @param consoleImageTag
 *            tag of the agent-console image in its ECR repository
 * @param switchboard
 *            sizing of the switchboard service
 * @param console
 *            sizing of the agent-console service
 * @param natGateways
 *            NAT gateways in the VPC; 1 is cheaper, 2 survives the loss of an AZ
 * @param redisNodeType
 *            ElastiCache node type
 * @param redisNodes
 *            nodes in the replication group; 2 or more turns on automatic fail-over
 */
public record Settings(String envName, String twilioAccountSid, String twilioBusinessNumber, String domainName,
        String certificateArn, String consoleHost, String switchboardImageTag, String consoleImageTag,
        ServiceSize switchboard, ServiceSize console, int natGateways, String redisNodeType, int redisNodes) {

    private static final Pattern ENV_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern HOST = Pattern
            .compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    /**
     * How big one ECS service runs.
     *
     * @param cpu
     *            Fargate CPU units
     * @param memoryMiB
     *            Fargate memory
     * @param desiredCount
     *            tasks on create; afterwards autoscaling owns the count within {@code [min, max]}
     * @param minCount
     *            autoscaling floor
     * @param maxCount
     *            autoscaling ceiling
     * @param cpuTargetPercent
     *            average CPU autoscaling steers to
     * @param requestsPerTarget
     *            ALB requests per task per minute autoscaling steers to
     */
    public record ServiceSize(int cpu, int memoryMiB, int desiredCount, int minCount, int maxCount,
            int cpuTargetPercent, int requestsPerTarget) {

        public ServiceSize {
            require(minCount >= 1, "min count must be at least 1, was " + minCount);
            require(minCount <= desiredCount && desiredCount <= maxCount,
                    "need min <= desired <= max, was " + minCount + " <= " + desiredCount + " <= " + maxCount);
            require(cpuTargetPercent > 0 && cpuTargetPercent <= 100, "cpu target must be 1..100");
            require(requestsPerTarget > 0, "requests per target must be positive");
        }
    }

    public Settings {
        require(envName != null && ENV_NAME.matcher(envName).matches(),
                "envName must be lower-case letters, digits and dashes, was " + envName);
        require(twilioAccountSid != null && ACCOUNT_SID.matcher(twilioAccountSid).matches(),
                "twilioAccountSid must be AC followed by 32 hex digits");
        require(twilioBusinessNumber != null && E164.matcher(twilioBusinessNumber).matches(),
                "twilioBusinessNumber must be E.164 (+15551234567), was " + twilioBusinessNumber);
        require(domainName == null || HOST.matcher(domainName).matches(), "domainName is not a host name");
        require(consoleHost == null || HOST.matcher(consoleHost).matches(), "consoleHost is not a host name");
        // A certificate can never match the ALB's generated name, so TLS without our own domain is a dead end.
        require(certificateArn == null || domainName != null, "certificateArn needs domainName");
        require(certificateArn == null || certificateArn.startsWith("arn:"), "certificateArn is not an ARN");
        require(consoleHost == null || !consoleHost.equals(domainName), "consoleHost must differ from domainName");
        Objects.requireNonNull(switchboard, "switchboard");
        Objects.requireNonNull(console, "console");
        require(natGateways >= 1 && natGateways <= 2, "natGateways must be 1 or 2");
        require(redisNodes >= 1 && redisNodes <= 6, "redisNodes must be 1..6");
        Objects.requireNonNull(redisNodeType, "redisNodeType");
        require(notBlank(switchboardImageTag) && notBlank(consoleImageTag),
                "missing context value imageTag (or switchboardImageTag and consoleImageTag): the pushed ECR tag");
    }

    /** True when the ALB terminates TLS. */
    public boolean tls() {
        return certificateArn != null;
    }

    /**
     * Reads the settings from CDK context. {@code context} is usually {@code app.getNode()::tryGetContext}; values may
     * be strings ({@code -c}) or JSON numbers ({@code cdk.json}).
     */
    public static Settings fromContext(Function<String, Object> context) {
        Reader r = new Reader(context);
        String imageTag = r.optional("imageTag");
        return new Settings(r.string("envName", "prod"), r.required("twilioAccountSid"),
                r.required("twilioBusinessNumber"), r.optional("domainName"), r.optional("certificateArn"),
                r.optional("consoleHost"), r.string("switchboardImageTag", imageTag),
                r.string("consoleImageTag", imageTag),
                new ServiceSize(r.integer("switchboardCpu", 512), r.integer("switchboardMemory", 1024),
                        r.integer("switchboardDesiredCount", 2), r.integer("switchboardMinCount", 2),
                        r.integer("switchboardMaxCount", 10), r.integer("switchboardCpuTarget", 60),
                        r.integer("switchboardRequestsPerTarget", 1000)),
                new ServiceSize(r.integer("consoleCpu", 256), r.integer("consoleMemory", 512),
                        r.integer("consoleDesiredCount", 2), r.integer("consoleMinCount", 2),
                        r.integer("consoleMaxCount", 6), r.integer("consoleCpuTarget", 60),
                        r.integer("consoleRequestsPerTarget", 1000)),
                r.integer("natGateways", 1), r.string("redisNodeType", "cache.t4g.micro"), r.integer("redisNodes", 1));
    }

    /** Settings for tests and examples: every optional feature off. */
    public static Settings defaults(Map<String, Object> overrides) {
        Map<String, Object> base = new HashMap<>(Map.of("twilioAccountSid", "AC0123456789abcdef0123456789abcdef",
                "twilioBusinessNumber", "+15550001111", "imageTag", "1.0.0"));
        base.putAll(overrides);
        return fromContext(base::get);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private record Reader(Function<String, Object> context) {

        String optional(String key) {
            Object value = context.apply(key);
            if (value == null) {
                return null;
            }
            String text = value.toString().trim();
            return text.isEmpty() ? null : text;
        }

        String string(String key, String fallback) {
            String value = optional(key);
            return value == null ? fallback : value;
        }

        String required(String key) {
            String value = optional(key);
            if (value == null) {
                throw new IllegalArgumentException("missing context value " + key + " (cdk synth -c " + key + "=...)");
            }
            return value;
        }

        int integer(String key, int fallback) {
            Object value = context.apply(key);
            if (value == null) {
                return fallback;
            }
            if (value instanceof Number number) {
                return number.intValue();
            }
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context value " + key + " must be an integer, was " + value);
            }
        }
    }
}
