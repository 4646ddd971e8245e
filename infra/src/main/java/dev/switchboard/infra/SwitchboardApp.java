package dev.switchboard.infra;

import java.util.HashMap;
import java.util.Map;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * Entry point of the CDK app: {@code cdk synth} (through cdk.json) or plain {@code mvn compile exec:java}.
 */
public final class SwitchboardApp {

    /**
     * Feature flags, fixed in code rather than in cdk.json so that tests, {@code exec:java} and the CDK CLI all
     * synthesize the same template. Each one picks the newer, tighter behaviour.
     */
    static final Map<String, Object> FEATURE_FLAGS = Map.ofEntries(Map.entry("@aws-cdk/core:checkSecretUsage", true),
            Map.entry("@aws-cdk/core:enablePartitionLiterals", true),
            Map.entry("@aws-cdk/core:includePrefixInUniqueNameGeneration", true),
            Map.entry("@aws-cdk/core:validateSnapshotRemovalPolicy", true),
            Map.entry("@aws-cdk/core:explicitStackTags", true), Map.entry("@aws-cdk/aws-iam:minimizePolicies", true),
            Map.entry("@aws-cdk/aws-ecs:arnFormatIncludesClusterName", true),
            Map.entry("@aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker", true),
            Map.entry("@aws-cdk/aws-ecs:removeDefaultDeploymentAlarm", true),
            Map.entry("@aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions", true),
            Map.entry("@aws-cdk/aws-s3:createDefaultLoggingPolicy", true),
            Map.entry("@aws-cdk/aws-s3:publicAccessBlockedByDefault", true),
            Map.entry("@aws-cdk/aws-elasticloadbalancingV2:albDualstackWithoutPublicIpv4SecurityGroupRulesDefault",
                    true),
            // The recommended value (true) adds a Lambda-backed custom resource, i.e. a code asset to upload: the
            // stack stays asset-free instead, and the default security group is unused anyway.
            Map.entry("@aws-cdk/aws-ec2:restrictDefaultSecurityGroup", false));

    public static final String IMAGES_STACK = "SwitchboardImages";

    private SwitchboardApp() {
    }

    public static void main(String[] args) {
        // The CDK CLI says where it wants the cloud assembly; run by hand, it goes to ./cdk.out, not a temp folder.
        String outdir = System.getenv().getOrDefault("CDK_OUTDIR", "cdk.out");
        App app = newApp(outdir, argsAsContext(args));
        addStacks(app, Settings.fromContext(app.getNode()::tryGetContext));
        app.synth();
    }

    /**
     * {@code key=value} arguments act as {@code -c key=value}, so that {@code mvn exec:java -Dexec.args=...}
     * synthesizes without the CDK CLI.
     */
    static Map<String, Object> argsAsContext(String[] args) {
        Map<String, Object> context = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            context.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return context;
    }

    /** An app with the project's feature flags; {@code context} plays the part of {@code -c} values. */
    static App newApp(String outdir, Map<String, Object> context) {
        AppProps.Builder props = AppProps.builder().analyticsReporting(false).context(context)
                .postCliContext(FEATURE_FLAGS);
        if (outdir != null) {
            props.outdir(outdir);
        }
        return new App(props.build());
    }

    /** Both stacks; the switchboard stack is returned because it is the one that matters. */
    static SwitchboardStack addStacks(App app, Settings settings) {
        Tags.of(app).add("project", "switchboard");
        ImagesStack images = new ImagesStack(app, IMAGES_STACK, StackProps.builder().stackName(IMAGES_STACK)
                .description("Switchboard container image repositories (shared by every environment)").build());
        String name = stackName(settings.envName());
        SwitchboardStack main = new SwitchboardStack(app, name, StackProps.builder().stackName(name)
                .description("Switchboard " + settings.envName() + ": SMS switchboard and agent console").build(),
                settings);
        main.addStackDependency(images, "pulls its images from the repositories");
        Tags.of(main).add("environment", settings.envName());
        return main;
    }

    static String stackName(String envName) {
        return "Switchboard-" + envName;
    }
}
