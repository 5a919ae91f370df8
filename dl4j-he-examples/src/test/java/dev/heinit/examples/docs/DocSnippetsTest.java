package dev.heinit.examples.docs;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every ```java block of README.md, the other top-level pages and docs/**.md, and every code block of the
 * library's javadoc overview page, compiles against the library and DL4J (this module's test class path). The convention, also in CONTRIBUTING.md:
 *
 * <ul>
 *   <li>a block that declares a top-level class, interface, enum or record (at the start of a line) is a complete
 *       compilation unit, compiled as it is: its package and imports are its own;
 *   <li>any other block is a fragment: the body of a method {@code void snippet() throws Exception} of a class
 *       that extends {@link SnippetContext} (whose fields {@code conf}, {@code net}, {@code batch}, … are in
 *       scope), with {@link #IMPORTS} and wildcard imports of the library's public packages; a fragment's own
 *       {@code import} lines are moved to the top of its unit.
 * </ul>
 *
 * Blocks are compiled, not run. A block that does not compile fails this test with its page and line.
 */
class DocSnippetsTest {

    /** The library's packages a snippet sees (those that exist: a package that became internal is skipped). */
    private static final List<String> LIBRARY_PACKAGES = List.of(
            "dev.heinit",
            "dev.heinit.activation",
            "dev.heinit.config",
            "dev.heinit.diagnostics",
            "dev.heinit.fan",
            "dev.heinit.gain",
            "dev.heinit.keras",
            "dev.heinit.lsuv",
            "dev.heinit.prognosis",
            "dev.heinit.stats");

    /** The imports every snippet gets; single-type imports settle the names two wildcards share. */
    static final List<String> IMPORTS = List.of(
            "java.io.*",
            "java.nio.file.*",
            "java.util.*",
            "org.deeplearning4j.nn.conf.*",
            "org.deeplearning4j.nn.conf.inputs.InputType",
            "org.deeplearning4j.nn.conf.layers.*",
            "org.deeplearning4j.nn.api.Layer",
            "org.deeplearning4j.nn.graph.ComputationGraph",
            "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
            "org.deeplearning4j.nn.weights.IWeightInit",
            "org.deeplearning4j.nn.weights.WeightInit",
            "org.deeplearning4j.util.ModelSerializer",
            "org.deeplearning4j.nn.modelimport.keras.KerasModelImport",
            "org.nd4j.linalg.activations.Activation",
            "org.nd4j.linalg.activations.IActivation",
            "org.nd4j.linalg.activations.impl.*",
            "org.nd4j.linalg.api.buffer.DataType",
            "org.nd4j.linalg.api.ndarray.INDArray",
            "org.nd4j.linalg.dataset.DataSet",
            "org.nd4j.linalg.dataset.api.iterator.DataSetIterator",
            "org.nd4j.linalg.factory.Nd4j",
            "org.nd4j.linalg.learning.config.*",
            "org.nd4j.linalg.lossfunctions.LossFunctions");

    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(public\\s+|final\\s+|abstract\\s+)*(class|interface|enum|record)\\s+(\\w+)", Pattern.MULTILINE);
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(final\\s+|abstract\\s+)*(class|interface|enum|record)\\s+(\\w+)", Pattern.MULTILINE);

    /** One block turned into a compilation unit, and where its lines came from. */
    record Unit(String className, String source, Path page, int firstLine, int headerLines, int blockLines) {}

    @Test
    void everyJavaBlockCompiles() throws IOException {
        Path root = DocFiles.root();
        List<Unit> units = new ArrayList<>();
        for (Path page : DocFiles.pages(root)) {
            for (DocFiles.Block b : DocFiles.blocks(DocFiles.lines(page))) {
                if (b.info().toLowerCase(Locale.ROOT).split("\\s+")[0].equals("java")) {
                    units.add(unit(root, page, b, units.size()));
                }
            }
        }
        Path overview = root.resolve(OVERVIEW);
        for (DocFiles.Block b : overviewBlocks(DocFiles.lines(overview))) {
            units.add(unit(root, overview, b, units.size()));
        }
        assertTrue(units.size() >= 10, "found only " + units.size() + " java blocks under " + root);
        List<String> errors = compile(units);
        if (!errors.isEmpty()) {
            fail(errors.size() + " documentation snippet error(s):\n" + String.join("\n", errors));
        }
    }

    /** The test's own check: a broken fragment fails, naming its page and line. */
    @Test
    void aBrokenSnippetIsReportedAtItsPageAndLine() throws IOException {
        Path page = Path.of("docs/example.md");
        DocFiles.Block ok = new DocFiles.Block("java", 3, List.of("IWeightInit w = HeInit.normal();"));
        DocFiles.Block broken =
                new DocFiles.Block("java", 10, List.of("IWeightInit w = HeInit.normal();", "HeInit.noSuchMethod();"));
        Path root = Path.of("").toAbsolutePath();
        List<String> errors =
                compile(List.of(unit(root, root.resolve(page), ok, 0), unit(root, root.resolve(page), broken, 1)));
        assertEquals(1, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).startsWith("docs/example.md:11: "), errors.get(0));
    }

    /** The library's javadoc overview page, whose {@code <pre>{@code …}</pre>} blocks are fragments too. */
    static final String OVERVIEW = "dl4j-he-init/src/main/javadoc/overview.html";

    /** The {@code <pre>{@code …}</pre>} blocks of an HTML page, each starting on the line after its opening tag. */
    static List<DocFiles.Block> overviewBlocks(List<String> lines) {
        List<DocFiles.Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("<pre>{@code")) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("}</pre>")) {
                    end++;
                }
                blocks.add(new DocFiles.Block("java", i + 2, lines.subList(i + 1, end)));
                i = end;
            }
        }
        return blocks;
    }

    private static Unit unit(Path root, Path page, DocFiles.Block b, int index) {
        String text = String.join("\n", b.lines());
        Path relative = root.relativize(page);
        Matcher type = TYPE_DECLARATION.matcher(text);
        if (type.find()) {
            Matcher pub = PUBLIC_TYPE.matcher(text);
            String className = pub.find() ? pub.group(3) : type.group(3);
            return new Unit(
                    className,
                    text + "\n",
                    relative,
                    b.firstLine(),
                    0,
                    b.lines().size());
        }
        StringBuilder head = new StringBuilder();
        List<String> body = new ArrayList<>();
        for (String line : b.lines()) {
            if (line.startsWith("import ")) {
                head.append(line).append('\n');
                body.add(""); // keeps the block's line numbers
            } else {
                body.add(line);
            }
        }
        for (String pkg : LIBRARY_PACKAGES) {
            if (exists(pkg)) {
                head.append("import ").append(pkg).append(".*;\n");
            }
        }
        IMPORTS.forEach(i -> head.append("import ").append(i).append(";\n"));
        String className = "DocSnippet" + index;
        head.append("class ")
                .append(className)
                .append(" extends ")
                .append(SnippetContext.class.getName())
                .append(" { void snippet() throws Exception {\n");
        int headerLines = (int) head.chars().filter(c -> c == '\n').count();
        return new Unit(
                className,
                head + String.join("\n", body) + "\n}}\n",
                relative,
                b.firstLine(),
                headerLines,
                b.lines().size());
    }

    private static boolean exists(String pkg) {
        return DocSnippetsTest.class.getClassLoader().getResource(pkg.replace('.', '/') + "/package-info.class") != null
                || DocSnippetsTest.class.getClassLoader().getResource(pkg.replace('.', '/')) != null;
    }

    /** Compiles all units in one javac run; each error as "page:line: message". */
    private static List<String> compile(List<Unit> units) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "needs a JDK (javax.tools.JavaCompiler)");
        Path out = Files.createTempDirectory("doc-snippets");
        Map<URI, Unit> byUri = new TreeMap<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Unit u : units) {
            URI uri = URI.create("string:///" + u.className() + ".java");
            byUri.put(uri, u);
            sources.add(new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return u.source();
                }
            });
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> errors = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of(
                    "-classpath", classPath, "-d", out.toString(), "-proc:none", "-encoding", "UTF-8", "-nowarn");
            javac.getTask(new StringWriter(), files, diagnostics, options, null, sources)
                    .call();
        } finally {
            deleteTree(out);
        }
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Unit u = d.getSource() == null ? null : byUri.get(d.getSource().toUri());
            if (u == null) {
                errors.add("(no source): " + d.getMessage(Locale.ROOT));
                continue;
            }
            long line = d.getLineNumber() - u.headerLines(); // 1-based within the block
            long pageLine = u.firstLine() + Math.max(0, Math.min(line, u.blockLines()) - 1);
            String where = line < 1 ? " (in the standard imports or wrapper)" : "";
            errors.add(
                    u.page().toString().replace('\\', '/') + ":" + pageLine + ": " + d.getMessage(Locale.ROOT) + where);
        }
        return errors;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
