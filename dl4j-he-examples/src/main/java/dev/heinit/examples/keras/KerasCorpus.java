package dev.heinit.examples.keras;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every Keras model file under a directory ({@code *.json}, {@code *.h5}, {@code *.hdf5}, {@code *.keras}, sorted by
 * path) through {@link KerasSource}, {@link KerasImport} and {@link WeightCheck}, one line each: how far it got —
 * skipped (why), imported by DL4J (then refused by the re-initialization), planned (then the network could not be
 * initialized) or re-initialized (n weights, each checked against Keras's formula) — and the counts at the end.
 */
public final class KerasCorpus {

    /** How far one file got. */
    public enum Outcome {
        /** Not a model, weights only, or refused by the translation or by DL4J's import. */
        SKIPPED,
        /** DL4J imported it; the re-initialization refused it. */
        IMPORTED,
        /** Planned; the re-initialized network could not be initialized. */
        PLANNED,
        /** Re-initialized and checked. */
        REINITIALIZED
    }

    /** The counts of a run. */
    public static final class Summary {
        /** Files per outcome. */
        public final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        /** Weights re-initialized, over all files. */
        public int weights;
        /** Outcome per file (path relative to the directory). */
        public final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        /** The printed line per file. */
        public final Map<String, String> lines = new LinkedHashMap<>();
        /** Weights whose check failed, with their file. */
        public final List<String> failures = new ArrayList<>();

        Summary() {
            for (Outcome o : Outcome.values()) {
                counts.put(o, 0);
            }
        }

        @Override
        public String toString() {
            int files = counts.values().stream().mapToInt(Integer::intValue).sum();
            return String.format(
                    Locale.ROOT,
                    "%d files: %d re-initialized (%d weights, %d failed the check), %d planned only, %d imported by"
                            + " DL4J only, %d skipped",
                    files,
                    counts.get(Outcome.REINITIALIZED),
                    weights,
                    failures.size(),
                    counts.get(Outcome.PLANNED),
                    counts.get(Outcome.IMPORTED),
                    counts.get(Outcome.SKIPPED));
        }
    }

    private KerasCorpus() {}

    /** The files under dir whose extension (lower case, without the dot) is one of {@code extensions}, sorted. */
    public static List<Path> files(Path dir, List<String> extensions) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return extensions.contains(n.substring(n.lastIndexOf('.') + 1));
                    })
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /**
     * Runs every model file under dir with one of the extensions ({@code json}, {@code h5}, {@code hdf5},
     * {@code keras}), printing one line per file and the summary.
     */
    public static Summary run(Path dir, List<String> extensions, PrintWriter out, long seed) throws IOException {
        Summary sum = new Summary();
        for (Path f : files(dir, extensions)) {
            String name = dir.relativize(f).toString();
            Outcome o;
            String line;
            try {
                KerasImport.Result r = KerasImport.run(KerasSource.read(f), null);
                o = Outcome.PLANNED;
                try {
                    WeightCheck.Summary c = WeightCheck.check(r, seed);
                    o = Outcome.REINITIALIZED;
                    sum.weights += c.weights;
                    c.failures.forEach(x -> sum.failures.add(name + ": " + x));
                    line = "re-initialized (" + c + ")" + (r.translation.keras3() ? " [Keras 3, translated]" : "");
                } catch (RuntimeException e) {
                    line = "planned; not re-initialized (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
                }
            } catch (KerasImport.Failure e) {
                o = e.refuser() == KerasImport.Refuser.REINIT ? Outcome.IMPORTED : Outcome.SKIPPED;
                line = (o == Outcome.IMPORTED ? "imported by DL4J; not planned (" : "skipped (") + oneLine(e) + ")";
            } catch (IllegalArgumentException | IOException e) {
                o = Outcome.SKIPPED;
                line = "skipped (" + oneLine(e) + ")";
            } catch (RuntimeException | LinkageError e) {
                // one file never ends the run
                o = Outcome.SKIPPED;
                line = "skipped (unexpected " + e.getClass().getSimpleName() + ": " + oneLine(e) + ")";
            }
            sum.counts.merge(o, 1, Integer::sum);
            sum.outcomes.put(name, o);
            sum.lines.put(name, line);
            out.println(name + ": " + line);
            out.flush();
        }
        out.println(sum);
        sum.failures.forEach(x -> out.println("FAILED " + x));
        out.flush();
        return sum;
    }

    private static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
