package dev.heinit.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need for {@link RunTask}, found where the classes were loaded from (their
 * {@link CodeSource}): the runner's jar and the examples' jar (the program with DL4J and ND4J's native binaries).
 * Spark's own classes are not shipped: the cluster has them. A class loaded from a directory (an IDE, or a build
 * before {@code package}) is packed into a temporary jar, deleted when this JVM exits; a directory of examples'
 * classes does not bring DL4J along, so from there the cluster must provide it.
 */
final class ShippedJars {

    private ShippedJars() {}

    /** The distinct jars holding these classes, in order; directories packed into temporary jars. */
    static List<Path> of(Class<?>... classes) {
        Set<Path> where = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            where.add(location(c));
        }
        List<Path> jars = new ArrayList<>();
        for (Path p : where) {
            jars.add(Files.isDirectory(p) ? pack(p) : p);
        }
        return jars;
    }

    /** The value of {@code spark.jars}: comma-separated absolute paths. */
    static String sparkJars(List<Path> jars) {
        return String.join(
                ",", jars.stream().map(p -> p.toAbsolutePath().toString()).toList());
    }

    /** "dl4j-he-spark-0.1.0.jar (18 kB), dl4j-he-examples.jar (173 MB)". */
    static String describe(List<Path> jars) {
        List<String> s = new ArrayList<>();
        for (Path p : jars) {
            s.add(p.getFileName() + " (" + size(p) + ")");
        }
        return String.join(", ", s);
    }

    private static String size(Path p) {
        try {
            long b = Files.size(p);
            return b >= 1_000_000
                    ? String.format(Locale.ROOT, "%.0f MB", b / 1e6)
                    : String.format(Locale.ROOT, "%.0f kB", Math.max(1, b / 1e3));
        } catch (IOException e) {
            return "size unknown";
        }
    }

    static Path location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IllegalStateException(c.getName() + " has no code source: cannot tell Spark which jar to ship; "
                    + "set spark.jars yourself");
        }
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("code source of " + c.getName() + " is not a file: " + cs.getLocation(), e);
        }
    }

    /** A directory of classes as a temporary jar (entries in a fixed order). */
    static Path pack(Path dir) {
        try {
            Path jar = Files.createTempFile("dl4j-he-" + dir.getParent().getFileName() + "-classes-", ".jar");
            jar.toFile().deleteOnExit();
            List<Path> files;
            try (Stream<Path> w = Files.walk(dir)) {
                files = w.filter(Files::isRegularFile).sorted().toList();
            }
            try (OutputStream os = Files.newOutputStream(jar);
                    JarOutputStream out = new JarOutputStream(os)) {
                for (Path f : files) {
                    out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + dir + " into a jar for spark.jars", e);
        }
    }
}
