package dev.switchboard.infra;

import static dev.switchboard.infra.Synth.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ImagesStackTest {

    private static Synth synth;
    private static Stack images;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synth = Synth.of(Map.of());
        images = (Stack) synth.app.getNode().findChild(SwitchboardApp.IMAGES_STACK);
        template = Template.fromStack(images);
    }

    @Test
    void appHasTheImagesStackFirst() {
        assertEquals(List.of(images), synth.stack.getDependencies());
        assertEquals("SwitchboardImages", images.getStackName());
        assertEquals("Switchboard-prod", synth.stack.getStackName());
    }

    @Test
    void oneRetainedImmutableScannedRepositoryPerService() {
        Set<Object> names = new TreeSet<>();
        Map<String, Map<String, Object>> repositories = template.findResources("AWS::ECR::Repository");
        for (Map<String, Object> repository : repositories.values()) {
            Map<String, Object> props = properties(repository);
            names.add(props.get("RepositoryName"));
            assertEquals("IMMUTABLE", props.get("ImageTagMutability"));
            assertEquals(Map.of("ScanOnPush", true), props.get("ImageScanningConfiguration"));
            assertEquals("Retain", repository.get("DeletionPolicy"));
            String lifecycle = (String) Synth.map(props.get("LifecyclePolicy")).get("LifecyclePolicyText");
            assertTrue(lifecycle.contains("\"countNumber\":100") && lifecycle.contains("\"tagStatus\":\"untagged\""),
                    lifecycle);
        }
        assertEquals(new TreeSet<>(List.of("switchboard", "switchboard-agent-console")), names);
    }

    @Test
    void synthesizesWithoutWarningsOrErrors() {
        Annotations annotations = Annotations.fromStack(images);
        annotations.hasNoWarning("*", Match.anyValue());
        annotations.hasNoError("*", Match.anyValue());
    }
}
