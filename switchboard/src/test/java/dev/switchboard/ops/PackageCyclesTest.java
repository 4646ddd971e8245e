package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Packages by capability, and no package reaches itself again through its imports. */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.switchboard\\.[\\w.]+?)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> imports = imports();
        assertTrue(imports.containsKey("dev.switchboard.history"), "sources read from " + SOURCES.toAbsolutePath());
        List<String> cycles = new ArrayList<>();
        for (String start : imports.keySet()) {
            List<String> path = pathBack(imports, start);
            if (path != null) {
                cycles.add(String.join(" → ", path));
            }
        }
        assertEquals(List.of(), cycles);
    }

    @Test
    void theCheckFindsACycle() {
        // Positive control: the search does report a cycle when there is one.
        Map<String, Set<String>> imports = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"));
        assertEquals(List.of("a", "b", "c", "a"), pathBack(imports, "a"));
    }

    /** A path of imports from {@code start} back to itself, or null. Breadth first, so the shortest. */
    static List<String> pathBack(Map<String, Set<String>> imports, String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(imports.getOrDefault(start, Set.of()));
        imports.getOrDefault(start, Set.of()).forEach(next -> cameFrom.put(next, start));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (current.equals(start)) {
                List<String> path = new ArrayList<>();
                String step = cameFrom.get(start);
                path.add(start);
                while (!step.equals(start)) {
                    path.add(0, step);
                    step = cameFrom.get(step);
                }
                path.add(0, start);
                return path;
            }
            for (String next : imports.getOrDefault(current, Set.of())) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, current);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String source;
                try {
                    source = Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) {
                    return;
                }
                Set<String> targets = imports.computeIfAbsent(pkg.group(1), name -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(source);
                while (imported.find()) {
                    if (!imported.group(1).equals(pkg.group(1))) {
                        targets.add(imported.group(1));
                    }
                }
            });
        }
        return imports;
    }
}
