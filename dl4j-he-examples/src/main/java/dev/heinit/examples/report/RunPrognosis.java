package dev.heinit.examples.report;

import java.util.Locale;
import java.util.stream.Collectors;

import dev.heinit.diagnostics.Evidence;
import dev.heinit.prognosis.Prognosis;

/**
 * A run's prognosis as recorded next to its outcome: the library's prediction ({@code TRAINS | STALLS | DIVERGES |
 * UNSURE}, {@code NOT_MEASURED} if the probe failed, {@code SKIPPED} with {@code --no-probe}), its one sentence, the
 * decisive evidence and the probe's CPU time. Computed inside the run before its first step, on a copy of the run's
 * network and its first batches.
 *
 * @param prediction      the prediction's name
 * @param sentence        the failure mode and what to try, or why nothing was measured
 * @param evidence        the decisive evidence, "; "-joined (no '|' or newline)
 * @param probeCpuSeconds CPU time of the probe, NaN if not measured
 */
public record RunPrognosis(String prediction, String sentence, String evidence, double probeCpuSeconds) {

    /** {@link #prediction()} of a probe that threw. */
    public static final String NOT_MEASURED = "NOT_MEASURED";

    /** {@link #prediction()} of a run started with {@code --no-probe}. */
    public static final String SKIPPED = "SKIPPED";

    /** The record of a library prognosis. */
    public static RunPrognosis of(Prognosis p) {
        return new RunPrognosis(
                p.prediction().name(),
                clean(p.sentence()),
                clean(p.decisive().stream().map(Evidence::toString).collect(Collectors.joining("; "))),
                p.probeCpuSeconds());
    }

    /** A probe that could not run, with the reason. */
    public static RunPrognosis failed(String why) {
        return new RunPrognosis(NOT_MEASURED, clean(why), "", Double.NaN);
    }

    /** A run whose probe was switched off. */
    public static RunPrognosis skipped() {
        return new RunPrognosis(SKIPPED, "not probed (--no-probe)", "", Double.NaN);
    }

    /** Single-line encoding for the parent/child protocol. */
    public String encode() {
        return String.join("|", prediction, String.valueOf(probeCpuSeconds), sentence, evidence);
    }

    /** Inverse of {@link #encode()}. */
    public static RunPrognosis decode(String s) {
        String[] f = s.split("\\|", 4);
        return new RunPrognosis(f[0], f[2], f.length > 3 ? f[3] : "", Double.parseDouble(f[1]));
    }

    /** One line for logs: "TRAINS (probe 1.2 CPU-s): sentence". */
    public String describe() {
        return String.format(
                Locale.ROOT, "%s (probe %s CPU-s): %s", prediction, InitSignal.g(probeCpuSeconds), sentence);
    }

    /** A table cell's text: no pipes, no newlines. */
    static String clean(String s) {
        return s.replace('|', '/').replace('\n', ' ').replace('\r', ' ');
    }
}
