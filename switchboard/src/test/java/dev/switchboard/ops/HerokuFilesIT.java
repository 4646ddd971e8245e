package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.ConfigMapping;

import dev.switchboard.agents.AgentsConfig;
import dev.switchboard.agents.AuthConfig;
import dev.switchboard.agents.socket.SocketConfig;
import dev.switchboard.events.EventsConfig;
import dev.switchboard.history.HistoryConfig;
import dev.switchboard.media.MediaConfig;
import dev.switchboard.routing.RoutingConfig;
import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.twilio.WebhookConfig;

/**
 * The Heroku files, checked against the packaged switchboard: app.json asks only for variables the service reads and
 * requires every one it cannot start without; heroku.yml builds with a Dockerfile that exists and copies what exists;
 * the Procfile starts the jar the package produced, on {@code $PORT}.
 */
class HerokuFilesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Read by the AWS SDK's default chains rather than by our configuration. */
    private static final Set<String> AWS_SDK = Set.of("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    /** What start-up refuses to go without (MissingSettingsIT). */
    private static final Set<String> REQUIRED = Set.of("SWITCHBOARD_TWILIO_ACCOUNT_SID",
            "SWITCHBOARD_TWILIO_AUTH_TOKEN", "SWITCHBOARD_TWILIO_BUSINESS_NUMBER", "SWITCHBOARD_JWT_PRIVATE_KEY",
            "SWITCHBOARD_JWT_PUBLIC_KEY", "AWS_REGION");
    private static final List<Class<?>> MAPPINGS = List.of(TwilioConfig.class, WebhookConfig.class, MediaConfig.class,
            HistoryConfig.class, AgentsConfig.class, AuthConfig.class, RoutingConfig.class, SocketConfig.class,
            EventsConfig.class, StartupConfig.class, ShutdownConfig.class);

    @Test
    void appJsonAsksOnlyForWhatTheServiceReadsAndRequiresWhatItNeeds() throws IOException {
        JsonNode app = new ObjectMapper().readTree(ROOT.resolve("app.json").toFile());
        assertEquals("container", app.path("stack").asText(), "built by heroku.yml");
        Set<String> read = readByTheService();
        Iterator<Map.Entry<String, JsonNode>> env = app.path("env").fields();
        Set<String> required = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        while (env.hasNext()) {
            Map.Entry<String, JsonNode> variable = env.next();
            assertFalse(variable.getValue().path("description").asText().isBlank(), variable.getKey());
            if (variable.getValue().path("required").asBoolean(true)) {
                required.add(variable.getKey());
            }
            if (!read.contains(variable.getKey())) {
                unknown.add(variable.getKey());
            }
        }
        assertTrue(unknown.isEmpty(), "app.json sets variables nothing reads: " + unknown);
        assertTrue(required.containsAll(REQUIRED), "not required in app.json: " + minus(REQUIRED, required));
        assertTrue(app.path("addons").toString().contains("heroku-redis"), "Redis for more than one dyno");
        assertTrue(read.contains("REDIS_URL"), "the add-on's REDIS_URL is read");
    }

    @Test
    void herokuYmlBuildsTheSwitchboardWithADockerfileWhoseSourcesExist() throws IOException {
        String yml = Files.readString(ROOT.resolve("heroku.yml"));
        String dockerfile = value(yml, "web");
        assertEquals("switchboard", value(yml, "SERVICE"));
        Path file = ROOT.resolve(dockerfile);
        assertTrue(Files.isRegularFile(file), dockerfile);
        assertEquals(ROOT, file.getParent(), "Heroku builds in the Dockerfile's directory: it must be the root");
        String text = Files.readString(file);
        assertTrue(text.contains("ARG SERVICE=switchboard"));
        List<String> allowed = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().filter(l -> l.startsWith("!"))
                .map(l -> l.substring(1)).toList();
        Matcher copy = Pattern.compile("^COPY (?!--from)(?:--\\S+ )*(.+) (\\S+)$", Pattern.MULTILINE).matcher(text);
        int copies = 0;
        while (copy.find()) {
            for (String source : copy.group(1).split(" ")) {
                String path = source.replace("${SERVICE}", "switchboard");
                copies++;
                assertTrue(Files.exists(ROOT.resolve(path)), path + " does not exist");
                assertTrue(allowed.stream().anyMatch(a -> path.startsWith(a) || a.equals(path)),
                        path + " is excluded from the build context by .dockerignore");
            }
        }
        assertTrue(copies >= 5, "copies the build's inputs");
        assertTrue(text.contains("$JAVA_OPTS") && text.contains("/deployments/quarkus-run.jar"));
    }

    @Test
    void procfileStartsThePackagedJarOnPort() throws IOException {
        String procfile = Files.readString(ROOT.resolve("Procfile")).trim();
        assertTrue(procfile.startsWith("web: java $JAVA_OPTS "), procfile);
        assertTrue(procfile.contains("-Dquarkus.http.port=$PORT"), "honours $PORT: " + procfile);
        Matcher jar = Pattern.compile("-jar (\\S+)").matcher(procfile);
        assertTrue(jar.find(), procfile);
        String path = jar.group(1).replace("${SERVICE:-switchboard}", "switchboard");
        assertTrue(Files.isRegularFile(ROOT.resolve(path)), path + " does not exist after package");
        assertTrue(Files.readString(ROOT.resolve("system.properties")).contains("java.runtime.version=17"));
    }

    /** Environment names of every mapped property, of every ${VAR} in application.properties, and of the SDK. */
    private static Set<String> readByTheService() throws IOException {
        Set<String> names = new HashSet<>(AWS_SDK);
        names.add("JAVA_OPTS");
        for (Class<?> mapping : MAPPINGS) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, names);
        }
        Matcher expression = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        while (expression.find()) {
            names.add(expression.group(1));
        }
        return names;
    }

    private static void collect(String prefix, Class<?> mapping, Set<String> names) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isDefault() || method.getParameterCount() > 0
                    || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String property = prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> type = method.getReturnType();
            if (type == Optional.class) {
                Type argument = ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
                type = argument instanceof Class<?> c ? c : Object.class;
            }
            if (type.isInterface() && type.getName().startsWith("dev.switchboard")) {
                collect(property, type, names);
            } else {
                names.add(property.toUpperCase().replace('.', '_').replace('-', '_'));
            }
        }
    }

    private static String value(String yml, String key) {
        Matcher m = Pattern.compile("^\\s*" + key + ":\\s*(\\S+)\\s*$", Pattern.MULTILINE).matcher(yml);
        assertTrue(m.find(), key + " in heroku.yml");
        return m.group(1);
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> rest = new HashSet<>(a);
        rest.removeAll(b);
        return rest;
    }
}
