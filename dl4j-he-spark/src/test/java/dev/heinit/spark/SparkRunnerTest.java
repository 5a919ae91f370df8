package dev.heinit.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.examples.cli.RunSpecArgs;
import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunReport;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.report.Summary;
import dev.heinit.examples.train.Compare;
import dev.heinit.examples.train.RunSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark runner against the sequential one on a tiny comparison (2 inits x 2 seeds, a 4-layer net, 1 epoch
 * of 192 examples = 3 iterations, a row each): the same numbers row for row, a retried task's rows once, a run
 * that throws reported while the others finish.
 */
class SparkRunnerTest {

    private static final List<String> TINY = List.of(
            "--inits",
            "he,xavier",
            "--seeds",
            "1,2",
            "--depth",
            "4",
            "--width",
            "4",
            "--train-examples",
            "192",
            "--test-examples",
            "100",
            "--epochs",
            "1");

    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static String main(List<String> args) {
        Program.Outcome o = Program.run(args);
        assertEquals(0, o.code(), o.out());
        return o.out();
    }

    @Test
    void sparkLocal2GivesTheSequentialRunnersRowsRowForRow() throws Exception {
        Path seq = tmp.resolve("seq");
        Path spark = tmp.resolve("spark");
        List<String> a = new ArrayList<>(List.of("compare"));
        a.addAll(TINY);
        List<String> s = new ArrayList<>(a);
        s.addAll(List.of("--runner", "local", "--out", seq.toString()));
        main(s);
        List<String> k = new ArrayList<>(a);
        k.addAll(List.of("--runner", "spark", "--spark-master", "local[2]", "--out", spark.toString()));
        String out = main(k);

        Map<String, List<MetricsRow>> expected = Program.byRun(seq.resolve("metrics.csv"));
        Map<String, List<MetricsRow>> actual = Program.byRun(spark.resolve("metrics.csv"));
        assertEquals(List.of("he s1", "he s2", "xavier s1", "xavier s2"), List.copyOf(expected.keySet()));
        for (List<MetricsRow> run : expected.values()) {
            assertEquals(
                    List.of(1, 2, 3), run.stream().map(MetricsRow::iteration).toList());
        }
        assertEquals(expected, actual);
        // run order (seed, then init), whatever order the tasks finished in
        assertEquals(
                List.of("he s1", "xavier s1", "he s2", "xavier s2"), Program.runOrder(spark.resolve("metrics.csv")));
        // the losses differ between the runs, so equality above is not vacuous
        assertEquals(
                4,
                expected.values().stream()
                        .map(r -> r.get(2).trainLoss())
                        .distinct()
                        .count());

        String summary = Files.readString(spark.resolve(Summary.FILE));
        assertTrue(summary.contains("Execution: Spark 3.5.9, master local[2]"), summary);
        assertTrue(Files.size(spark.resolve("loss.png")) > 0 && Files.size(spark.resolve("accuracy.png")) > 0);
        assertTrue(out.contains("4/4 runs finished"), out);
        assertTrue(out.contains("Spark UI: http://"), out);
        // each run's prognosis travels back from the executor: the same predictions as the local runner's
        Map<String, String> seqPrognoses = prognoses(Files.readString(seq.resolve(Summary.FILE)));
        assertEquals(4, seqPrognoses.size(), seqPrognoses.toString());
        assertTrue(!seqPrognoses.containsValue(RunPrognosis.NOT_MEASURED), seqPrognoses.toString());
        assertEquals(seqPrognoses, prognoses(summary));
    }

    /** Prediction by run label, from summary.md's "Prognosis and early warnings" table. */
    private static Map<String, String> prognoses(String summary) {
        List<String> lines = summary.lines().toList();
        int h = lines.indexOf("## Prognosis and early warnings");
        assertTrue(h >= 0, summary);
        Map<String, String> m = new java.util.TreeMap<>();
        lines.subList(h + 4, lines.size()).stream()
                .takeWhile(l -> l.startsWith("| "))
                .forEach(l -> {
                    String[] c = l.split("\\|");
                    m.put(c[1].trim(), c[2].trim());
                });
        return m;
    }

    @Test
    void aTaskFailingItsFirstAttemptIsRetriedAndItsRowsAppearOnceAndARunThatThrowsIsReported() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("no-data"));
        List<String> base = new ArrayList<>(List.of("--init", "he", "--seed", "1"));
        base.addAll(TINY.subList(4, TINY.size()));
        RunSpec good = RunSpecArgs.parse(base).spec();
        base.set(3, "2");
        RunSpec retried = RunSpecArgs.parse(base).spec();
        base.addAll(List.of("--data", empty.toString()));
        base.set(3, "3");
        RunSpec broken = RunSpecArgs.parse(base).spec();

        // local[2,2]: two threads, two attempts per task (local mode's default is one)
        SparkRunner runner = new SparkRunner(
                "local[2,2]",
                Map.of(RunTask.FAIL_FIRST_ATTEMPT, retried.label(), "spark.ui.enabled", "false"),
                System.out);
        Path out = tmp.resolve("faults");
        List<RunResult> results = Compare.run(
                List.of(good, retried, broken),
                runner,
                out,
                RunReport.summaryAndCharts(List.of("test"), List.of(), "faults"),
                false,
                System.out);

        assertEquals(1, runner.failedAttempts().size(), "the hook's attempt failed once and was retried");
        assertEquals(3, results.size());
        List<MetricsRow> rows = MetricsCsv.read(out.resolve("metrics.csv"));
        for (long seed : List.of(1L, 2L)) {
            assertEquals(
                    List.of(1, 2, 3),
                    rows.stream()
                            .filter(r -> r.seed() == seed)
                            .map(MetricsRow::iteration)
                            .toList(),
                    "seed " + seed + ": every row once");
        }
        assertTrue(rows.stream().noneMatch(r -> r.seed() == 3), "the broken run has no rows");
        assertTrue(!results.get(0).isFailed() && !results.get(1).isFailed(), results.toString());
        RunResult b = results.get(2);
        assertTrue(b.isFailed(), b.toString());
        assertTrue(
                b.fastPath().contains(empty.getFileName().toString())
                        || b.fastPath().contains("Exception"),
                b.fastPath());
        String summary = Files.readString(out.resolve(Summary.FILE));
        assertTrue(summary.contains(RunResult.FAILED), summary);
    }

    @Test
    void aRunSparkGivesUpOnMakesCompareExit3AndTheSummarySaysWhichAndWhy() throws Exception {
        Path out = tmp.resolve("gave-up");
        List<String> a = new ArrayList<>(List.of("compare"));
        a.addAll(TINY);
        a.set(a.indexOf("1,2"), "1");
        a.addAll(List.of("--runner", "spark", "--spark-master", "local[2]", "--out", out.toString()));
        // local mode tries a task once: the hook's failure is the run's end
        System.setProperty(RunTask.FAIL_FIRST_ATTEMPT, "he relu d4 s1");
        Program.Outcome o;
        try {
            o = Program.run(a);
        } finally {
            System.clearProperty(RunTask.FAIL_FIRST_ATTEMPT);
        }
        assertEquals(3, o.code(), o.out());
        assertTrue(o.out().contains("1 of 2 runs failed without a result: exit code 3"), o.out());
        String summary = Files.readString(out.resolve(Summary.FILE));
        assertTrue(
                summary.startsWith("# compare: summary\n\n**1 of 2 runs failed** (no result; the command exits with "
                        + "code 3):\n\n- he relu d4 s1: Spark gave up on the task: "),
                summary);
        assertTrue(summary.contains("| he relu d4 s1 | 1 | driver |"), summary);
        assertEquals(List.of("xavier s1"), Program.runOrder(out.resolve("metrics.csv")));
    }
}
