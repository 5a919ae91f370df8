package dev.heinit.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The program's packages depend on each other in one direction: read from the main sources (imports and fully
 * qualified names in code, not in comments or strings), the package graph has no cycle, {@code report} uses no
 * training or command code, and nothing but {@link Main} uses the root package.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/heinit/examples");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.heinit\\.examples((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    /** Package (relative to dev.heinit.examples, "" for the root) → packages it refers to. */
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> out = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(code(Files.readString(f, StandardCharsets.UTF_8)));
                while (m.find()) {
                    String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                    if (!target.equals(pkg)) {
                        out.add(target);
                    }
                }
            }
        }
        return g;
    }

    /** The source without comments and string literals (a class named in prose is not a dependency). */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    @Test
    void theSourcesAreFound() throws IOException {
        Map<String, Set<String>> g = graph();
        assertTrue(g.keySet().containsAll(List.of("", "cli", "train", "report", "model", "data")), g.toString());
        assertTrue(g.get("cli").contains("train") && g.get("train").contains("report"), g.toString());
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> g = graph();
        for (String start : g.keySet()) {
            List<String> path = cycleFrom(start, start, g, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertTrue(path == null, () -> "package cycle: " + path + " in " + g);
        }
    }

    @Test
    void reportImportsNoTrainingOrCommandCode() throws IOException {
        Set<String> used = graph().get("report");
        for (String forbidden : List.of("train", "cli", "bench", "fast", "data", "")) {
            assertFalse(used.contains(forbidden), () -> "report uses " + forbidden + ": " + used);
        }
    }

    @Test
    void onlyMainIsInTheRootPackage() throws IOException {
        graph().forEach((pkg, used) -> assertFalse(used.contains(""), () -> pkg + " uses the root package"));
        try (Stream<Path> files = Files.list(SOURCES)) {
            assertEquals(
                    List.of("Main.java", "package-info.java"),
                    files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString())
                            .sorted()
                            .toList());
        }
    }

    @Test
    void theCheckSeesACycle() {
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"));
        assertEquals(
                List.of("a", "b", "c", "a"), cycleFrom("a", "a", g, new ArrayList<>(List.of("a")), new TreeSet<>()));
        String stripped = code(
                "x /* dev.heinit.examples.train.A */ y.Z(\"dev.heinit.examples.Main\"); // dev.heinit.examples.cli.B");
        assertFalse(REFERENCE.matcher(stripped).find(), stripped);
        assertTrue(REFERENCE
                .matcher("import dev.heinit.examples.report.RunResult;")
                .find());
        assertTrue(stripped.contains("y.Z(\"\")"), stripped);
    }

    private static List<String> cycleFrom(
            String start, String at, Map<String, Set<String>> g, List<String> path, Set<String> seen) {
        for (String next : g.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, g, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }
}
