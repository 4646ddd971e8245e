package dev.switchboard.infra;

import java.util.List;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecr.TagStatus;
import software.constructs.Construct;

/**
 * The ECR repositories, in a stack of their own: ECS cannot start a service whose image is not pushed yet, so the
 * repositories have to exist (and be filled) before the first deployment of {@link SwitchboardStack}.
 */
public final class ImagesStack extends Stack {

    public static final String SWITCHBOARD_REPOSITORY = "switchboard";
    public static final String CONSOLE_REPOSITORY = "switchboard-agent-console";

    public ImagesStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        repository("SwitchboardRepository", SWITCHBOARD_REPOSITORY);
        repository("ConsoleRepository", CONSOLE_REPOSITORY);
    }

    private void repository(String id, String name) {
        Repository repository = Repository.Builder.create(this, id).repositoryName(name).imageScanOnPush(true)
                // Tags name releases; overwriting one would make "what runs where" unanswerable.
                .imageTagMutability(TagMutability.IMMUTABLE)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().description("drop untagged layers left by re-pushes")
                                .tagStatus(TagStatus.UNTAGGED).maxImageAge(Duration.days(7)).build(),
                        // Keeps enough history to roll back months, while bounding storage cost.
                        LifecycleRule.builder().description("keep the newest 100 images").tagStatus(TagStatus.ANY)
                                .maxImageCount(100).build()))
                // Deleting the stack must not delete the released images.
                .removalPolicy(RemovalPolicy.RETAIN).build();
        CfnOutput.Builder.create(this, id + "Uri").value(repository.getRepositoryUri()).build();
    }
}
