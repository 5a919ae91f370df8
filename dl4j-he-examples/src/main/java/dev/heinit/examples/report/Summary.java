package dev.heinit.examples.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        if (r.isFailed()) {
            return r.fastPath();
        }
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
     * @param signals       signal at initialization by run label
     * @param notes         each run's prognosis and early warnings
     * @param header        lines describing the invocation (command line, versions, backend, fast path, data, seeds)
     * @param notApplicable one line per init skipped because it does not apply to the activation
     * @param retried       failed attempts the runner retried (listed after the table)
     */
    public static void write(
            Path dir,
            List<RunResult> results,
            Map<String, InitSignal> signals,
            RunNotes notes,
            List<String> header,
            List<String> notApplicable,
            List<FailedAttempt> retried,
            boolean interrupted)
            throws IOException {
        StringBuilder b = new StringBuilder("# compare: summary\n\n");
        if (interrupted) {
            b.append(
                    "**Interrupted**: the table holds the runs that finished; metrics.csv holds every complete row.\n\n");
        }
        Failures.appendHead(b, results, retried);
        b.append(
                "| init | activation | depth | seed | final loss | final test accuracy | best test accuracy | epochs | time (s) "
                        + "| CPU (s) | forward ratio at init | backward ratio at init | verdicts at init | diverged |\n");
        // CPU (s): CPU time of the process that ran the run (a child JVM with --parallel; the whole JVM otherwise)
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (RunResult r : results) {
            InitSignal sig = signals.getOrDefault(r.label(), InitSignal.failed("no report"));
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d | %s | %s | %s | %d | %.1f | %s | %s | %s | %s | %s |%n",
                    r.init(),
                    r.activation(),
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
                    InitSignal.g(sig.forwardRatio()),
                    InitSignal.g(sig.backwardRatio()),
                    sig.verdicts(),
                    r.diverged()
                            ? "at iteration " + r.divergedAt()
                            : r.isFailed()
                                    ? r.fastPath().replace('|', '/')
                                    : "interrupted".equals(r.fastPath()) ? "no (interrupted)" : "no"));
        }
        for (String n : notApplicable) {
            b.append("\nNot applicable, skipped: ").append(n).append('\n');
        }
        b.append(
                "\nSignal at init: the library's SignalPropagation on " + InitSignal.PROBE_EXAMPLES
                        + " training examples "
                        + "before the first step; forward ratio RMS(z_last)/RMS(z_first) of the pre-activations, backward ratio "
                        + "sqrt(P)*RMS(delta_first)/(sqrt(P)*RMS(delta_last hidden)), P the positions a weight is applied at (H*W of a conv output).\n");
        b.append('\n');
        PrognosisTable.appendRuns(b, results, notes);
        b.append("Charts: [loss.png](loss.png) (training loss vs iteration), [accuracy.png](accuracy.png) "
                + "(test accuracy vs epoch). Rows: [metrics.csv](metrics.csv).\n\n");
        for (String h : header) {
            b.append("- ").append(h).append('\n');
        }
        Failures.appendRetried(b, retried);
        Files.writeString(dir.resolve(FILE), b.toString(), StandardCharsets.UTF_8);
    }
}
