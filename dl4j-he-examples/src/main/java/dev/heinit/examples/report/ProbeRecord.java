package dev.heinit.examples.report;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.heinit.diagnostics.Evidence;
import dev.heinit.prognosis.Prognosis;

/**
 * One run's prognosis, with what identifies the run.
 *
 * @param init       init name
 * @param activation hidden activation (CLI form)
 * @param arch       plain or residual
 * @param depth      weight layers
 * @param seed       the run's seed (also the probe's ND4J seed)
 * @param epochs     the training budget the prediction is for
 * @param runSteps   training steps of that budget
 * @param prognosis  the library's prognosis
 */
public record ProbeRecord(
        String init,
        String activation,
        String arch,
        int depth,
        long seed,
        int epochs,
        long runSteps,
        Prognosis prognosis) {

    /** The probe's CPU time over the run's estimated CPU time (its own mean step time × the run's steps). */
    public double costShare() {
        return prognosis.costShare(runSteps);
    }

    /** Console block: run, prediction, sentence, decisive evidence, cost. */
    public String toText() {
        String ev = prognosis.decisive().stream().map(Evidence::toString).collect(Collectors.joining("; "));
        return String.format(
                Locale.ROOT,
                "%-8s %s %s d%d s%d (%d epochs): %s%n  %s%n  evidence: %s%n  probe: %d steps, %.1f CPU-s = %.1f %% of "
                        + "the run's %d steps (%.3f CPU-s/step), ND4J seed %d",
                init,
                activation,
                arch,
                depth,
                seed,
                epochs,
                prognosis.prediction(),
                prognosis.sentence(),
                ev,
                prognosis.steps(),
                prognosis.probeCpuSeconds(),
                100 * costShare(),
                runSteps,
                prognosis.stepCpuSeconds(),
                prognosis.seed());
    }

    /**
     * {@code {"init", "activation", "arch", "depth", "seed", "epochs", "prediction", "sentence", "evidence": [...],
     * "probe_steps", "probe_cpu_s", "step_cpu_s", "run_steps", "cost_share"}}.
     */
    public String toJson() {
        return String.format(
                Locale.ROOT,
                "{\"init\":\"%s\",\"activation\":\"%s\",\"arch\":\"%s\",\"depth\":%d,\"seed\":%d,\"epochs\":%d,"
                        + "\"prediction\":\"%s\",\"sentence\":%s,\"evidence\":%s,\"probe_steps\":%d,\"probe_cpu_s\":%s,"
                        + "\"step_cpu_s\":%s,\"run_steps\":%d,\"cost_share\":%s}",
                init,
                activation,
                arch,
                depth,
                seed,
                epochs,
                prognosis.prediction(),
                jsonString(prognosis.sentence()),
                Prognosis.evidenceJson(prognosis.evidence()),
                prognosis.steps(),
                num(prognosis.probeCpuSeconds()),
                num(prognosis.stepCpuSeconds()),
                runSteps,
                num(costShare()));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.5g", v) : "null";
    }

    /** The records as a JSON array, one per line. */
    public static String toJson(List<ProbeRecord> records) {
        return records.stream().map(ProbeRecord::toJson).collect(Collectors.joining(",\n", "[\n", "\n]\n"));
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
