package dev.heinit.internal.dl4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the library knows about DL4J layer and vertex types lives in {@code dev.heinit.internal.dl4j} (the rules): no main
 * source file elsewhere names a type of {@code org.deeplearning4j.nn.conf.layers}, {@code …conf.graph} or
 * {@code org.deeplearning4j.nn.layers} (imported or written out in full), except:
 *
 * <ul>
 *   <li>{@code fan/Fans.java} → {@code conf.layers.Layer}: the public {@code Fans.of(Layer, …)} takes a layer
 *       configuration as users hold it, by DL4J's base type only (its rule does the rest).
 * </ul>
 */
class LayerTypesStayInDl4jTest {

    private static final Path MAIN = Paths.get("src", "main", "java");
    private static final Path DL4J = Paths.get("dev", "heinit", "internal", "dl4j");
    private static final Pattern TYPE = Pattern.compile(
            "org\\.deeplearning4j\\.nn\\.(?:conf\\.layers|conf\\.graph|layers)\\.(?:[a-z][a-z0-9]*\\.)*[A-Z]\\w*");

    /** file (relative to src/main/java) → the DL4J types it may name. */
    private static final Map<String, Set<String>> EXCEPTIONS =
            Map.of("dev/heinit/fan/Fans.java", Set.of("org.deeplearning4j.nn.conf.layers.Layer"));

    @Test
    void noLayerOrVertexTypeOutsideDl4j() throws IOException {
        assertTrue(Files.isDirectory(MAIN.resolve(DL4J)), "run from the module directory: " + MAIN.toAbsolutePath());
        List<String> found = new ArrayList<>();
        Set<String> exceptionsUsed = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        for (Path p : files) {
            Path rel = MAIN.relativize(p);
            if (rel.startsWith(DL4J)) {
                continue;
            }
            String key = rel.toString().replace('\\', '/');
            Matcher m = TYPE.matcher(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            while (m.find()) {
                if (EXCEPTIONS.getOrDefault(key, Set.of()).contains(m.group())) {
                    exceptionsUsed.add(key);
                } else {
                    found.add(key + ": " + m.group());
                }
            }
        }
        assertEquals(
                List.of(),
                found,
                "DL4J layer/vertex types named outside dev.heinit.internal.dl4j: teach a rule instead");
        // an exception nobody needs any more is removed from the list
        assertEquals(new TreeSet<>(EXCEPTIONS.keySet()), exceptionsUsed, "unused exceptions");
    }

    @Test
    void thePatternFindsWhatItMustFind() {
        Matcher m = TYPE.matcher("import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;\n"
                + "x instanceof org.deeplearning4j.nn.layers.BaseOutputLayer; org.deeplearning4j.nn.conf.graph"
                + ".rnn.LastTimeStepVertex v; org.deeplearning4j.nn.conf.inputs.InputType t;");
        List<String> hits = new ArrayList<>();
        while (m.find()) {
            hits.add(m.group());
        }
        assertEquals(
                List.of(
                        "org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional",
                        "org.deeplearning4j.nn.layers.BaseOutputLayer",
                        "org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex"),
                hits);
    }
}
