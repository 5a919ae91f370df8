package dev.heinit.examples.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.heinit.prognosis.Prediction;

/**
 * Each run's prognosis next to its outcome, for summary.md and validation.md, and (for validate) the confusion
 * table prediction × outcome with the agreement k / n and every miss with its evidence.
 *
 * <p>Outcome of a run with a result: {@code DIVERGES} if its loss became NaN/∞, {@code TRAINS} if its best test
 * accuracy reached {@value #TRAINS_ACCURACY} within its epochs, {@code STALLS} otherwise. A run without a result
 * (failed, or interrupted before it trained or diverged) has no outcome and is left out of the confusion table.
 * A prediction agrees when it names the outcome; {@code UNSURE} and a probe that was not measured count as misses.
 */
public final class PrognosisTable {

    /** Best test accuracy from which a run counts as trained (the definition). */
    public static final double TRAINS_ACCURACY = 0.85;

    /** The outcomes, in the confusion table's column order. */
    public static final List<String> OUTCOMES =
            List.of(Prediction.TRAINS.name(), Prediction.STALLS.name(), Prediction.DIVERGES.name());

    private PrognosisTable() {}

    /** The run's outcome as defined above, or null if it has none. */
    public static String outcome(RunResult r) {
        if (r.diverged()) {
            return Prediction.DIVERGES.name();
        }
        if (r.bestAccuracy() >= TRAINS_ACCURACY) {
            return Prediction.TRAINS.name();
        }
        if (r.isFailed() || "interrupted".equals(r.fastPath())) {
            return null;
        }
        return Prediction.STALLS.name();
    }

    /** "## Prognosis and early warnings": one row per run, prediction next to outcome. */
    public static void appendRuns(StringBuilder b, List<RunResult> results, RunNotes notes) {
        b.append("## Prognosis and early warnings\n\n")
                .append("| run | prognosis | outcome | best test accuracy | probe CPU (s) | probe / run CPU | sentence "
                        + "| early warnings |\n")
                .append("|---|---|---|---:|---:|---:|---|---|\n");
        for (RunResult r : results) {
            RunPrognosis p = notes.prognosis(r.label());
            String o = outcome(r);
            List<String> w = notes.warnings(r.label());
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.label(),
                    p.prediction(),
                    o == null ? "–" : o,
                    Summary.pct(r.bestAccuracy()),
                    InitSignal.g(p.probeCpuSeconds()),
                    Summary.pct(r.cpuSeconds() > 0 ? p.probeCpuSeconds() / r.cpuSeconds() : Double.NaN),
                    p.sentence(),
                    w.isEmpty() ? "none" : RunPrognosis.clean(String.join("; ", w))));
        }
        b.append("\nPrognosis: the library's TrainingProbe on a copy of the run's network and its first batches, "
                        + "before the first step (the run trains the untouched original). Outcome: TRAINS if the best "
                        + "test accuracy reached ")
                .append(Summary.pct(TRAINS_ACCURACY))
                .append(", DIVERGES if the loss became NaN/inf, STALLS otherwise. Probe / run CPU: the probe's CPU "
                        + "time over the run's training CPU time (the probe goes first in its process and pays the JIT "
                        + "compiler's warm-up for the run). Early warnings: the training listener's, at most one per "
                        + "failure mode, in the order they fired.\n\n");
    }

    /** The predictions × outcomes counts (rows: every prediction seen, enum order first), runs with an outcome. */
    public static Map<String, Map<String, Integer>> confusion(List<RunResult> results, RunNotes notes) {
        Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
        for (Prediction p : Prediction.values()) {
            m.put(p.name(), zeros());
        }
        for (RunResult r : results) {
            String o = outcome(r);
            if (o != null) {
                m.computeIfAbsent(notes.prognosis(r.label()).prediction(), k -> zeros())
                        .merge(o, 1, Integer::sum);
            }
        }
        return m;
    }

    private static Map<String, Integer> zeros() {
        Map<String, Integer> z = new LinkedHashMap<>();
        OUTCOMES.forEach(o -> z.put(o, 0));
        return z;
    }

    /** "## Does the prognosis predict the outcome?": the confusion table, "agreement k / n", every miss. */
    public static void appendConfusion(StringBuilder b, List<RunResult> results, RunNotes notes) {
        Map<String, Map<String, Integer>> m = confusion(results, notes);
        int n = 0;
        int k = 0;
        b.append("## Does the prognosis predict the outcome?\n\n| prediction \\ outcome |");
        OUTCOMES.forEach(o -> b.append(' ').append(o).append(" |"));
        b.append(" total |\n|---|");
        OUTCOMES.forEach(o -> b.append("---:|"));
        b.append("---:|\n");
        for (Map.Entry<String, Map<String, Integer>> row : m.entrySet()) {
            int total =
                    row.getValue().values().stream().mapToInt(Integer::intValue).sum();
            b.append("| ").append(row.getKey()).append(" |");
            row.getValue().values().forEach(c -> b.append(' ').append(c).append(" |"));
            b.append(' ').append(total).append(" |\n");
            n += total;
            k += row.getValue().getOrDefault(row.getKey(), 0);
        }
        b.append(String.format(
                Locale.ROOT,
                "%nAgreement: **%d / %d**%s (UNSURE and not measured count as misses; runs without an outcome are "
                        + "left out).%n%n",
                k,
                n,
                n == 0 ? "" : String.format(Locale.ROOT, " (%.0f %%)", 100.0 * k / n)));
        List<RunResult> misses = new ArrayList<>();
        for (RunResult r : results) {
            String o = outcome(r);
            if (o != null && !o.equals(notes.prognosis(r.label()).prediction())) {
                misses.add(r);
            }
        }
        b.append("### Misses (").append(misses.size()).append(")\n\n");
        if (misses.isEmpty()) {
            b.append("None.\n");
        }
        for (RunResult r : misses) {
            RunPrognosis p = notes.prognosis(r.label());
            b.append("- ")
                    .append(r.label())
                    .append(": predicted ")
                    .append(p.prediction())
                    .append(", outcome ")
                    .append(outcome(r))
                    .append(" (best ")
                    .append(Summary.pct(r.bestAccuracy()))
                    .append(r.diverged() ? ", diverged at iteration " + r.divergedAt() : "")
                    .append("). ")
                    .append(p.sentence())
                    .append(" Evidence: ")
                    .append(p.evidence().isEmpty() ? "none recorded" : p.evidence())
                    .append('\n');
        }
        b.append('\n');
    }
}
