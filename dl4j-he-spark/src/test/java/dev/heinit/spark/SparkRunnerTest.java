package dev.heinit.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.examples.Main;
import dev.heinit.examples.cli.RunSpecArgs;
import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;
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

    /** Runs the program in this JVM with stdout captured. */
    private static String main(List<String> args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        return out;
    }

    /** Rows by run, in iteration order, with the time columns (seconds, examples/s) zeroed. */
    private static Map<String, List<MetricsRow>> byRun(Path csv) throws Exception {
        return MetricsCsv.read(csv).stream()
                .map(r -> new MetricsRow(
                        r.init(),
                        r.activation(),
                        r.depth(),
                        r.seed(),
                        r.epoch(),
                        r.iteration(),
                        r.trainLoss(),
                        r.testAccuracy(),
                        0,
                        0))
                .sorted(Comparator.comparingInt(MetricsRow::iteration))
                .collect(Collectors.groupingBy(
                        r -> r.init() + " s" + r.seed(), java.util.TreeMap::new, Collectors.toList()));
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

        Map<String, List<MetricsRow>> expected = byRun(seq.resolve("metrics.csv"));
        Map<String, List<MetricsRow>> actual = byRun(spark.resolve("metrics.csv"));
        assertEquals(List.of("he s1", "he s2", "xavier s1", "xavier s2"), List.copyOf(expected.keySet()));
        for (List<MetricsRow> run : expected.values()) {
            assertEquals(
                    List.of(1, 2, 3), run.stream().map(MetricsRow::iteration).toList());
        }
        assertEquals(expected, actual);
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

        assertEquals(1, runner.failedAttempts(), "the hook's attempt failed once and was retried");
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
}
