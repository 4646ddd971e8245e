package dev.switchboard.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The agent console's image, as far as it can be checked without a container engine: Dockerfile.jvm with
 * SERVICE=agent-console copies paths the console's package produced and the build context lets in, and the Dockerfiles
 * say the console stays on the JVM. Here rather than in agent-console because this module is built after it, so a full
 * {@code ./mvnw verify} has packaged the console by now.
 */
class ConsoleImageTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SERVICE = "agent-console";
    private static final Pattern COPY = Pattern.compile("^COPY (?:--\\S+ )*(\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void jvmImageCopiesThePackagedConsole() throws IOException {
        assertTrue(Files.isRegularFile(ROOT.resolve(SERVICE + "/target/quarkus-app/quarkus-run.jar")),
                "the console is not packaged: ./mvnw -B -q -pl agent-console -am package -DskipTests"
                        + " (a full ./mvnw verify does it before this module)");
        String dockerfile = Files.readString(ROOT.resolve("src/main/docker/Dockerfile.jvm"));
        List<String> allowed = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().filter(l -> l.startsWith("!"))
                .map(l -> l.substring(1)).toList();
        Matcher copy = COPY.matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            String source = copy.group(1).replace("${SERVICE}", SERVICE);
            copies++;
            assertTrue(matches(source) > 0, source + " does not exist after the console's package");
            assertTrue(allowed.stream().anyMatch(a -> source.startsWith(a) || a.equals(source)),
                    source + " is excluded from the build context by .dockerignore");
        }
        assertTrue(copies >= 4, "lib, jars, app, quarkus");
    }

    @Test
    void theConsoleStaysOnTheJvmAndSaysWhy() throws IOException {
        String jvm = Files.readString(ROOT.resolve("src/main/docker/Dockerfile.jvm"));
        assertTrue(jvm.contains("agent console's image is always this one") && jvm.contains("CoreNLP"), "header");
        String nativeFile = Files.readString(ROOT.resolve("src/main/docker/Dockerfile.native"));
        assertTrue(nativeFile.contains("the agent console uses Dockerfile.jvm (CoreNLP)"), "native header");
    }

    @Test
    void theSourceBuildForHerokuHasTheConsoleSources() throws IOException {
        String heroku = Files.readString(ROOT.resolve("Dockerfile.heroku"));
        assertTrue(heroku.contains("COPY ${SERVICE}/src/ ${SERVICE}/src/"));
        assertTrue(Files.isDirectory(ROOT.resolve(SERVICE + "/src/main/java")));
        assertTrue(Files.isRegularFile(ROOT.resolve(SERVICE + "/pom.xml")));
    }

    private static int matches(String source) throws IOException {
        if (!source.contains("*")) {
            return Files.exists(ROOT.resolve(source)) ? 1 : 0;
        }
        Path dir = ROOT.resolve(source.substring(0, source.lastIndexOf('/')));
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int count = 0;
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir,
                source.substring(source.lastIndexOf('/') + 1))) {
            for (Path ignored : found) {
                count++;
            }
        }
        return count;
    }
}
