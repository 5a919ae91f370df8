package dev.heinit.examples.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** summary.md of a {@code compare} invocation: one table row per run, then how it was run. */
public final class Summary {

    /** File name. */
    public static final String FILE = "summary.md";

    private Summary() {}

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    /** "best 92.3 % after 6 epochs, 41 s" or "diverged at iteration N". */
    public static String outcome(RunResult r) {
        String s = String.format(
                Locale.ROOT,
                "final loss %.4f, test accuracy %s (best %s) after %d epoch(s), %.0f s",
                r.finalLoss(),
                pct(r.finalAccuracy()),
                pct(r.bestAccuracy()),
                r.epochsDone(),
                r.seconds());
        return r.diverged() ? s + ", DIVERGED at iteration " + r.divergedAt() : s;
    }

    /**
     * Writes summary.md.
     *
     * @param header lines describing the invocation (command line, versions, backend, fast path, data, seeds)
     */
    public static void write(Path dir, List<RunResult> results, List<String> header, boolean interrupted)
            throws IOException {
        StringBuilder b = new StringBuilder("# compare: summary\n\n");
        if (interrupted) {
            b.append(
                    "**Interrupted**: the table holds the runs that finished; metrics.csv holds every complete row.\n\n");
        }
        b.append(
                "| init | depth | seed | final loss | final test accuracy | best test accuracy | epochs | time (s) | CPU (s) | diverged |\n");
        // CPU (s): CPU time of the process that ran the run (a child JVM with --parallel; the whole JVM otherwise)
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResult r : results) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %s | %s | %s | %d | %.1f | %s | %s |%n",
                    r.init(),
                    r.depth(),
                    r.seed(),
                    Double.isFinite(r.finalLoss())
                            ? String.format(Locale.ROOT, "%.4f", r.finalLoss())
                            : String.valueOf(r.finalLoss()),
                    pct(r.finalAccuracy()),
                    pct(r.bestAccuracy()),
                    r.epochsDone(),
                    r.seconds(),
                    Double.isNaN(r.cpuSeconds()) ? "–" : String.format(Locale.ROOT, "%.1f", r.cpuSeconds()),
                    r.diverged()
                            ? "at iteration " + r.divergedAt()
                            : "interrupted".equals(r.fastPath()) ? "no (interrupted)" : "no"));
        }
        b.append("\nCharts: [loss.png](loss.png) (training loss vs iteration), [accuracy.png](accuracy.png) "
                + "(test accuracy vs epoch). Rows: [metrics.csv](metrics.csv).\n\n");
        for (String h : header) {
            b.append("- ").append(h).append('\n');
        }
        Files.writeString(dir.resolve(FILE), b.toString(), StandardCharsets.UTF_8);
    }
}
