package dev.switchboard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** One synthesized app and plain-Java views of its switchboard template, for the assertions Match cannot say. */
final class Synth {

    private static final ObjectMapper JSON = new ObjectMapper();

    final App app;
    final SwitchboardStack stack;
    final Template template;
    final Map<String, Object> json;

    private Synth(App app, SwitchboardStack stack) {
        this.app = app;
        this.stack = stack;
        this.template = Template.fromStack(stack);
        this.json = template.toJSON();
    }

    /** Synthesizes the whole app (both stacks) with {@link Settings#defaults} plus {@code overrides}. */
    static Synth of(Map<String, Object> overrides) {
        App app = SwitchboardApp.newApp(null, Map.of());
        SwitchboardStack stack = SwitchboardApp.addStacks(app, Settings.defaults(overrides));
        return new Synth(app, stack);
    }

    Map<String, Map<String, Object>> resources(String type) {
        return template.findResources(type);
    }

    /** The only resource of {@code type} whose properties contain {@code key = value}; fails if not exactly one. */
    Map.Entry<String, Map<String, Object>> single(String type, String key, Object value) {
        List<Map.Entry<String, Map<String, Object>>> found = resources(type).entrySet().stream()
                .filter(entry -> value.equals(properties(entry.getValue()).get(key))).toList();
        assertEquals(1, found.size(), () -> type + " with " + key + "=" + value + ": " + found);
        return found.get(0);
    }

    /** The container definition named {@code name}, from whichever task definition holds it. */
    Map<String, Object> container(String name) {
        return containerAndTask(name).getKey();
    }

    /** Logical id of the task role of the task definition that runs {@code container}. */
    String taskRoleOf(String container) {
        Map<String, Object> task = containerAndTask(container).getValue();
        List<?> getAtt = (List<?>) map(properties(task).get("TaskRoleArn")).get("Fn::GetAtt");
        return (String) getAtt.get(0);
    }

    /** Logical id of the execution role of the task definition that runs {@code container}. */
    String executionRoleOf(String container) {
        Map<String, Object> task = containerAndTask(container).getValue();
        List<?> getAtt = (List<?>) map(properties(task).get("ExecutionRoleArn")).get("Fn::GetAtt");
        return (String) getAtt.get(0);
    }

    /** Every statement of every AWS::IAM::Policy attached to the role {@code roleId}. */
    List<Map<String, Object>> statementsOf(String roleId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> policy : resources("AWS::IAM::Policy").values()) {
            Map<String, Object> props = properties(policy);
            if (!list(props.get("Roles")).contains(Map.of("Ref", roleId))) {
                continue;
            }
            for (Object statement : list(map(props.get("PolicyDocument")).get("Statement"))) {
                statements.add(map(statement));
            }
        }
        // Inline policies on the role itself would bypass the checks above: there must be none.
        Map<String, Object> role = map(map(json.get("Resources")).get(roleId));
        assertFalse(properties(role).containsKey("Policies"), roleId + " has inline policies");
        return statements;
    }

    /** The logical id of the DynamoDB table named {@code name}. */
    String tableId(String name) {
        return single("AWS::DynamoDB::Table", "TableName", name).getKey();
    }

    /** Names of a container's Environment entries. */
    static List<String> names(Map<String, Object> container, String field) {
        return list(container.getOrDefault(field, List.of())).stream().map(entry -> (String) map(entry).get("Name"))
                .collect(Collectors.toList());
    }

    static Object valueOf(Map<String, Object> container, String field, String name) {
        return list(container.get(field)).stream().map(Synth::map).filter(entry -> name.equals(entry.get("Name")))
                .map(entry -> entry.containsKey("Value") ? entry.get("Value") : entry.get("ValueFrom")).findFirst()
                .orElseThrow(() -> new AssertionError(field + " has no " + name));
    }

    /** Actions or resources of a statement; IAM allows a single string or a list. */
    static List<Object> listOf(Map<String, Object> statement, String key) {
        Object value = statement.get(key);
        return value instanceof List<?> many ? new ArrayList<>(many) : List.of(value);
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return map(resource.getOrDefault("Properties", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    static List<?> list(Object value) {
        return (List<?>) value;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map.Entry<Map<String, Object>, Map<String, Object>> containerAndTask(String name) {
        List<Map.Entry<Map<String, Object>, Map<String, Object>>> found = new ArrayList<>();
        for (Map<String, Object> task : resources("AWS::ECS::TaskDefinition").values()) {
            for (Object container : list(properties(task).get("ContainerDefinitions"))) {
                if (name.equals(map(container).get("Name"))) {
                    found.add(Map.entry(map(container), task));
                }
            }
        }
        assertEquals(1, found.size(), "containers named " + name);
        return found.get(0);
    }
}
