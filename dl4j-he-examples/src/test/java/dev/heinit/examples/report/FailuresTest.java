package dev.heinit.examples.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failed runs and retried attempts in summary.md, and metrics.csv rewritten in run order (no training). */
class FailuresTest {

    @TempDir
    Path tmp;

    private static final RunResult OK =
            new RunResult("he relu d6 s1", "he", "relu", 6, 1, 2.3, 0.1, 0.1, 1, 5, 2, 0, "fast path active");
    private static final RunResult DIVERGED =
            new RunResult("he relu d6 s3", "he", "relu", 6, 3, Double.NaN, 0.1, 0.1, 1, 5, 2, 7, "fast path active");
    private static final RunResult FAILED =
            RunResult.failed("xavier relu d6 s1", "xavier", "relu", 6, 1, "Spark gave up on the task: boom");
    private static final FailedAttempt LOST = new FailedAttempt(
            "xavier relu d6 s1", 1, "0", "127.0.0.1", "ExecutorLostFailure (executor 0 exited) Reason: code 137");

    @Test
    void theSummarysFirstLinesSayHowManyRunsFailedAndWhyAndItsEndListsEveryFailedAttempt() throws Exception {
        Summary.write(
                tmp,
                List.of(OK, DIVERGED, FAILED),
                Map.of(),
                RunNotes.none(),
                List.of("h"),
                List.of(),
                List.of(LOST),
                false);
        String s = Files.readString(tmp.resolve(Summary.FILE));
        assertTrue(
                s.startsWith("# compare: summary\n\n**1 of 3 runs failed** (no result; the command exits with code "
                        + Failures.EXIT_CODE + "):\n\n- xavier relu d6 s1: Spark gave up on the task: boom\n\n"
                        + "1 attempt failed and went back to Spark"),
                s);
        assertTrue(
                s.endsWith("| run | attempt | executor | host | reason |\n|---|---:|---|---|---|\n"
                        + "| xavier relu d6 s1 | 1 | 0 | 127.0.0.1 | ExecutorLostFailure (executor 0 exited) Reason: "
                        + "code 137 |\n"),
                s);
        assertEquals(List.of(FAILED), Failures.failed(List.of(OK, DIVERGED, FAILED)), "a diverged run is a result");
    }

    @Test
    void validationMdSaysTheSameFirstAndListsTheAttemptsAtTheEnd() {
        ValidationCell he = new ValidationCell(Arch.PLAIN, 6, HiddenActivation.RELU, InitScheme.HE, 1);
        ValidationCell xavier = new ValidationCell(Arch.PLAIN, 6, HiddenActivation.RELU, InitScheme.XAVIER, 1);
        String md = new ValidationReport(List.of(he, xavier), Map.of(), List.of(1L), List.of("h"))
                .markdown(List.of(OK, FAILED), Map.of(), RunNotes.none(), List.of(), List.of(LOST), false);
        assertTrue(
                md.startsWith("# validate: does the signal at initialization predict who trains?\n\n**1 of 2 runs "
                        + "failed** (no result; the command exits with code 3):\n\n- xavier relu d6 s1: Spark gave up"),
                md);
        assertTrue(
                md.endsWith("| xavier relu d6 s1 | 1 | 0 | 127.0.0.1 | ExecutorLostFailure (executor 0 exited) "
                        + "Reason: code 137 |\n"),
                md);
    }

    @Test
    void aSummaryWithoutFailuresSaysNothingAboutThem() throws Exception {
        Summary.write(tmp, List.of(OK, DIVERGED), Map.of(), RunNotes.none(), List.of("h"), List.of(), List.of(), false);
        String s = Files.readString(tmp.resolve(Summary.FILE));
        assertTrue(s.startsWith("# compare: summary\n\n| init |"), s);
        assertFalse(s.contains("failed") || s.contains("attempt"), s);
    }

    @Test
    void metricsCsvIsRewrittenInTheGivenOrderKeepingEachRunsRowOrder() throws Exception {
        Path f = tmp.resolve("metrics.csv");
        MetricsCsv csv = new MetricsCsv(f);
        // two runs interleaved, as parallel runs deliver them; seed 2 is the first run
        for (int it = 1; it <= 3; it++) {
            csv.add(new MetricsRow("he", "relu", 6, 1, 1, it, 2.0 + it, Double.NaN, it, 10));
            csv.add(new MetricsRow("he", "relu", 6, 2, 1, it, 3.0 + it, Double.NaN, it, 10));
        }
        assertThrows(IllegalStateException.class, () -> csv.reorder(Comparator.comparingLong(MetricsRow::seed)));
        csv.close();
        csv.reorder(Comparator.comparingLong(r -> r.seed() == 2 ? 0 : 1));
        List<MetricsRow> back = MetricsCsv.read(f);
        assertEquals(
                List.of("2/1", "2/2", "2/3", "1/1", "1/2", "1/3"),
                back.stream().map(r -> r.seed() + "/" + r.iteration()).toList());
        assertEquals(back, csv.rows());
        assertFalse(Files.exists(tmp.resolve("metrics.csv.tmp")));
    }
}
