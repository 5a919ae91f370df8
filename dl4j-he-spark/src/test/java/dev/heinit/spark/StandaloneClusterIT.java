package dev.heinit.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.SparkExecutorInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.Summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark runner on a real standalone cluster: a master and a worker (2 cores) on loopback, child JVMs started
 * from the module's spark-lib ({@link StandaloneCluster}), the driver in this JVM with the runner's jar and the
 * examples' shaded jar on its class path, as dl4j-he-spark.sh has them. Runs in the {@code integration-test} phase,
 * after {@code package} has built both jars. The comparisons are tiny: depth 6, 256 training examples (4
 * iterations), 1 epoch.
 */
class StandaloneClusterIT {

    private static final List<String> TINY = List.of(
            "compare",
            "--depth",
            "6",
            "--epochs",
            "1",
            "--train-examples",
            "256",
            "--test-examples",
            "128",
            "--inits",
            "he,xavier",
            "--seed",
            "1");

    @TempDir
    static Path tmp;

    private static StandaloneCluster cluster;
    private static Map<String, List<MetricsRow>> local;

    @BeforeAll
    static void startCluster() throws Exception {
        System.setProperty("java.awt.headless", "true");
        cluster = StandaloneCluster.start(
                Path.of(System.getProperty("spark.lib", "target/spark-lib")),
                System.getProperty("spark.opens", ""),
                tmp.resolve("cluster"),
                2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> args(String... more) {
        List<String> a = new ArrayList<>(TINY);
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void sparkProcessesStartedFromSparkLibLogThroughOneBinding() throws Exception {
        String master = cluster.log("master");
        assertTrue(
                master.contains(
                        "INFO org.apache.spark.deploy.master.Master - Starting Spark master at " + cluster.url()),
                master);
        assertFalse(master.contains("SLF4J: "), "no SLF4J complaint (no binding, several bindings):\n" + master);
        assertTrue(cluster.log("worker").contains("INFO org.apache.spark.deploy.worker.Worker"));
    }

    /** The local runner's rows of the comparison (he, xavier; seed 1), computed once. */
    private static synchronized Map<String, List<MetricsRow>> localRows() throws Exception {
        if (local == null) {
            Path dir = tmp.resolve("local");
            Program.Outcome l = Program.run(args("--runner", "local", "--out", dir.toString()));
            assertEquals(0, l.code(), l.out());
            local = Program.byRun(dir.resolve("metrics.csv"));
            assertEquals(List.of("he s1", "xavier s1"), List.copyOf(local.keySet()));
            for (List<MetricsRow> run : local.values()) {
                assertEquals(
                        List.of(1, 2, 3, 4),
                        run.stream().map(MetricsRow::iteration).toList());
            }
            // the two runs differ, so equal rows below are not vacuous
            assertFalse(local.get("he s1").get(3).trainLoss()
                    == local.get("xavier s1").get(3).trainLoss());
        }
        return local;
    }

    @Test
    void onAStandaloneClusterWithNothingButTheMasterUrlTheRowsEqualTheLocalRunners() throws Exception {
        Path spark = tmp.resolve("spark");
        Program.Outcome s =
                Program.run(args("--runner", "spark", "--spark-master", cluster.url(), "--out", spark.toString()));
        assertEquals(0, s.code(), s.out());
        assertEquals(localRows(), Program.byRun(spark.resolve("metrics.csv")));
        assertEquals(List.of("he s1", "xavier s1"), Program.runOrder(spark.resolve("metrics.csv")));
        String summary = Files.readString(spark.resolve(Summary.FILE));
        assertTrue(summary.contains("master " + cluster.url()), summary);
        assertTrue(summary.contains("ships dl4j-he-spark-") && summary.contains("dl4j-he-examples.jar"), summary);
        assertFalse(summary.contains("runs failed") || summary.contains("## Failed attempts"), summary);
    }

    @Test
    void anExecutorKilledWithRunsInFlightIsReplacedEachRunsRowsAppearOnceAndTheSummaryNamesTheRetry() throws Exception {
        Path out = tmp.resolve("killed");
        AtomicReference<Program.Outcome> outcome = new AtomicReference<>();
        Thread driver = new Thread(
                () -> outcome.set(Program.run(
                        args("--runner", "spark", "--spark-master", cluster.url(), "--out", out.toString()))),
                "driver");
        driver.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        ProcessHandle victim = null;
        while (victim == null && System.nanoTime() < end && driver.isAlive()) {
            victim = executorRunningBothRuns().orElse(null);
            if (victim == null) {
                Thread.sleep(100);
            }
        }
        assertTrue(victim != null, "no executor ran both runs within 180 s");
        assertTrue(victim.destroyForcibly(), "SIGKILL to executor " + victim.pid());
        driver.join(TimeUnit.SECONDS.toMillis(300));
        assertFalse(driver.isAlive(), "the comparison did not end within 300 s of the kill");

        Program.Outcome o = outcome.get();
        assertEquals(0, o.code(), o.out());
        // every row once, and the retried runs' rows are the local runner's
        assertEquals(localRows(), Program.byRun(out.resolve("metrics.csv")));
        String summary = Files.readString(out.resolve(Summary.FILE));
        assertTrue(summary.contains("## Failed attempts"), summary);
        for (String run : List.of("he relu d6 s1", "xavier relu d6 s1")) {
            assertTrue(
                    summary.matches("(?s).*\\| " + run + " \\| 1 \\| 0 \\| 127\\.0\\.0\\.1 \\| "
                            + "ExecutorLostFailure \\(executor 0 exited.*"),
                    run + ":\n" + summary);
        }
    }

    /**
     * The executor JVM of this JVM's Spark application once it runs both tasks (the driver's status tracker; the
     * worker has 2 cores, the comparison 2 runs).
     */
    private static Optional<ProcessHandle> executorRunningBothRuns() {
        // Spark's own accessor (private[spark] in Scala, public to Java): the context this JVM drives
        Option<SparkContext> active = SparkContext$.MODULE$.getActive();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        SparkContext sc = active.get();
        int running = 0;
        for (SparkExecutorInfo e : sc.statusTracker().getExecutorInfos()) {
            running += e.numRunningTasks();
        }
        return running == 2 ? cluster.executorOf(sc.applicationId()) : Optional.empty();
    }
}
