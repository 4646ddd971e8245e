package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What can be checked of the images without a container engine, once the service is packaged: every path the JVM
 * Dockerfile copies exists, nothing runs as root, the entrypoint starts what was copied, and the build context lets the
 * copied paths in.
 */
class DockerfilesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ARG = Pattern.compile("^ARG SERVICE=(\\S+)$", Pattern.MULTILINE);
    private static final Pattern COPY = Pattern.compile("^COPY (?:--\\S+ )*(\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final Pattern USER = Pattern.compile("^USER (\\S+)$", Pattern.MULTILINE);
    private static final Pattern ENTRYPOINT = Pattern.compile("^ENTRYPOINT (.+)$", Pattern.MULTILINE);

    @Test
    void jvmImageCopiesThePackagedFastJarAndRunsItAsANonRootUser() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("src/main/docker/Dockerfile.jvm"));
        String service = group(ARG, dockerfile);
        assertEquals("switchboard", service);
        List<String[]> copies = copies(dockerfile, service);
        assertFalse(copies.isEmpty());
        for (String[] copy : copies) {
            assertTrue(matches(copy[0]) > 0, copy[0] + " does not exist after package");
        }
        assertTrue(copies.stream().anyMatch(c -> c[0].endsWith("*.jar") && c[1].equals("/deployments/")));
        assertTrue(Files.exists(ROOT.resolve(service + "/target/quarkus-app/quarkus-run.jar")));
        assertTrue(group(ENTRYPOINT, dockerfile).contains("/deployments/quarkus-run.jar"));
        assertTrue(group(ENTRYPOINT, dockerfile).contains("$JAVA_OPTS"), "JAVA_OPTS honoured");
        assertNonRoot(group(USER, dockerfile));
        assertIncludedByDockerignore(copies);
    }

    @Test
    void nativeImageRunsTheRunnerItCopiesAsANonRootUser() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("src/main/docker/Dockerfile.native"));
        List<String[]> copies = copies(dockerfile, group(ARG, dockerfile));
        assertEquals(1, copies.size());
        assertEquals("switchboard/target/*-runner", copies.get(0)[0]);
        assertEquals("/work/application", copies.get(0)[1]);
        assertTrue(group(ENTRYPOINT, dockerfile).contains("./application"));
        assertNonRoot(group(USER, dockerfile));
        assertIncludedByDockerignore(copies);
    }

    @Test
    void bothImagesHonourPort() throws IOException {
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            assertTrue(Files.readString(ROOT.resolve("src/main/docker/" + file)).contains("ENV PORT=8080"), file);
        }
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        assertTrue(properties.contains("quarkus.http.port=${PORT:8080}"), "the service reads PORT");
    }

    private static List<String[]> copies(String dockerfile, String service) {
        List<String[]> copies = new ArrayList<>();
        Matcher m = COPY.matcher(dockerfile);
        while (m.find()) {
            copies.add(new String[] { m.group(1).replace("${SERVICE}", service), m.group(2) });
        }
        return copies;
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

    private static void assertNonRoot(String user) {
        assertNotNull(user, "USER is set");
        assertFalse(user.equals("root") || user.equals("0") || user.startsWith("0:"), "runs as " + user);
    }

    private static void assertIncludedByDockerignore(List<String[]> copies) throws IOException {
        List<String> allowed = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().filter(l -> l.startsWith("!"))
                .map(l -> l.substring(1)).toList();
        for (String[] copy : copies) {
            String source = copy[0];
            assertTrue(allowed.stream().anyMatch(a -> source.startsWith(a) || a.equals(source)),
                    source + " is excluded from the build context by .dockerignore");
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
