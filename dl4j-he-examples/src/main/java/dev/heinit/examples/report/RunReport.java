package dev.heinit.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an invocation of {@code compare} or {@code validate} writes once its runs have ended (or been interrupted):
 * a function of the results, the signals at initialization and the metrics rows, so that a report can be written
 * (and tested) without any training code.
 */
@FunctionalInterface
public interface RunReport {

    /**
     * @param results     finished runs in the order of the specs, plus interrupted ones reconstructed from their rows
     * @param signals     signal at initialization by run label (runs that got that far)
     * @param notes       each run's prognosis and the early warnings it raised
     * @param rows        every complete metrics row
     * @param retried     attempts that failed and were retried by the runner (Spark), in the order they failed
     * @param interrupted whether Ctrl-C cut the invocation short
     */
    void write(
            Path out,
            List<RunResult> results,
            Map<String, InitSignal> signals,
            RunNotes notes,
            List<MetricsRow> rows,
            List<FailedAttempt> retried,
            boolean interrupted)
            throws IOException;

    /** compare's report: summary.md first (it matters most and needs no AWT), then loss.png and accuracy.png. */
    static RunReport summaryAndCharts(List<String> header, List<String> notApplicable, String title) {
        return (out, results, signals, notes, rows, retried, interrupted) -> {
            Summary.write(out, results, signals, notes, header, notApplicable, retried, interrupted);
            Charts.write(rows, out, title);
        };
    }
}
