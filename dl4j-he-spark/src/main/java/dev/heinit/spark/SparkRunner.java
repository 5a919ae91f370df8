package dev.heinit.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import dev.heinit.examples.Main;
import dev.heinit.examples.report.FailedAttempt;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.runtime.Logging;
import dev.heinit.examples.train.ChildRuns;
import dev.heinit.examples.train.RunListener;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Runner;
import dev.heinit.examples.train.Runners;

/**
 * Runs each {@link RunSpec} as one Spark task ({@link RunTask}), each in a job of its own, so that a run whose task
 * Spark gives up on (after {@code spark.task.maxFailures} attempts) fails alone and the others finish. Results
 * come back to the driver as their jobs end; their protocol lines are replayed into the examples' listener, which
 * writes metrics.csv and the report exactly as for the other runners. A retried task's earlier attempts return
 * nothing, so a run's rows appear once.
 *
 * <p>Threads: every executor gets {@code spark.executorEnv.OMP_NUM_THREADS=1} (unless set), one native thread per
 * task, as {@code --runner process} gives each child. In local mode the tasks are threads of this JVM: executor
 * environment settings do not apply, and ND4J's native thread count is the one this process started with
 * (its {@code OMP_NUM_THREADS}, read when the native library loads): the launcher sets it to 1.
 */
public final class SparkRunner implements Runner {

    /** Spark's master when neither {@code --spark-master} nor spark-submit's {@code --master} gives one. */
    public static final String DEFAULT_MASTER = "local[*]";

    private static final String GROUP = "dl4j-he-runs";
    private static final String JARS = "spark.jars";

    private final String master;
    private final Map<String, String> settings;
    private final PrintStream console;
    private volatile JavaSparkContext sc;
    private volatile ProgressListener progress;
    private List<Path> shipped;

    /**
     * @param master   the master URL, or null for spark-submit's ({@code spark.master}) or {@value #DEFAULT_MASTER}
     * @param settings further Spark settings (e.g. {@code spark.ui.enabled}), applied over the defaults
     */
    public SparkRunner(String master, Map<String, String> settings, PrintStream console) {
        this.master = master != null ? master : System.getProperty("spark.master", DEFAULT_MASTER);
        this.settings = Map.copyOf(settings);
        this.console = console;
    }

    /** The master URL runs go to. */
    public String master() {
        return master;
    }

    /** Whether the tasks run as threads of this JVM. */
    public boolean isLocal() {
        return master.startsWith("local");
    }

    @Override
    public String describe() {
        return "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", master " + master
                + ", one task per run"
                + (isLocal()
                        ? " (threads of this JVM; OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                                + " from this process's environment)"
                        : " (executors: spark.executorEnv.OMP_NUM_THREADS="
                                + settings.getOrDefault("spark.executorEnv.OMP_NUM_THREADS", "1") + ")")
                + (isLocal()
                        ? ""
                        : userJars() != null
                                ? "; spark.jars as given: " + userJars()
                                : "; ships " + ShippedJars.describe(jarsToShip()) + " (spark.jars)");
    }

    /** Attempts that failed and were left to Spark to retry, so far (for tests and the report). */
    @Override
    public List<FailedAttempt> failedAttempts() {
        ProgressListener p = progress;
        return p == null ? List.of() : p.failedAttempts();
    }

    /**
     * Spark's configuration: spark-submit's and {@code -Dspark.*} settings, then {@link #settings}, then this
     * runner's defaults for what is still missing. On a cluster (any master but {@code local}) that includes
     * {@code spark.jars}: the executors need this runner's and the examples' classes, which Spark does not have.
     */
    SparkConf conf() {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("dl4j-he runs");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // executors log like this process (quiet unless --verbose)
        conf.setIfMissing("spark.executor.extraJavaOptions", String.join(" ", Logging.childJvmOptions()));
        List<Path> jars = jarsToShip();
        if (!jars.isEmpty()) {
            conf.set(JARS, ShippedJars.sparkJars(jars));
        }
        return conf;
    }

    /**
     * The jars this runner ships to a cluster's executors ({@code spark.jars}): its own and the examples', from
     * where their classes were loaded; none in local mode or when spark-submit or the user set {@code spark.jars}.
     */
    synchronized List<Path> jarsToShip() {
        if (isLocal() || userJars() != null) {
            return List.of();
        }
        if (shipped == null) {
            shipped = ShippedJars.of(SparkRunner.class, Main.class);
        }
        return shipped;
    }

    /** spark.jars as given by spark-submit, -Dspark.jars or the settings; null if not given. */
    private String userJars() {
        String s = settings.getOrDefault(JARS, System.getProperty(JARS));
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public void run(List<RunSpec> specs, RunListener listener, AtomicBoolean stop) throws InterruptedException {
        if (specs.isEmpty()) {
            return;
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        if (isLocal() && !"1".equals(omp)) {
            console.println(
                    "WARNING: Spark local mode runs the tasks as threads of this JVM, and ND4J's native threads "
                            + "follow this process's OMP_NUM_THREADS (" + omp + "), not spark.executorEnv: start with "
                            + "OMP_NUM_THREADS=1 (dl4j-he-spark.sh does) for one native thread per run");
        }
        quietStartup();
        JavaSparkContext context = new JavaSparkContext(conf());
        sc = context;
        try {
            ProgressListener p = new ProgressListener(specs.size(), console);
            progress = p;
            context.sc().addSparkListener(p);
            if (context.sc().uiWebUrl().isDefined()) {
                console.println("Spark UI: " + context.sc().uiWebUrl().get() + " (while the runs last)");
            }
            console.println(describe() + "; default parallelism " + context.defaultParallelism());
            List<Future<List<RunTask.Output>>> jobs = new ArrayList<>();
            RunTask task = new RunTask();
            for (int i = 0; i < specs.size(); i++) {
                RunSpec s = specs.get(i);
                try {
                    context.setJobGroup(GROUP, s.label(), true);
                    jobs.add(context.parallelize(List.of(new RunTask.Input(i, s.label(), s.toArgs())), 1)
                            .map(task)
                            .collectAsync());
                } catch (IllegalStateException e) {
                    // the application ended while the jobs were being submitted (e.g. the master removed it
                    // because its executors kept failing to start): the runs not submitted fail, not the command
                    jobs.add(CompletableFuture.failedFuture(new IllegalStateException(
                            "the Spark application had ended before the run's task was submitted: "
                                    + firstLine(String.valueOf(e.getMessage())))));
                }
            }
            collect(specs, jobs, listener, stop);
        } finally {
            sc = null;
            context.stop();
        }
    }

    /** Hands each job's result to the listener as the job ends, on this thread, in the order they end. */
    private void collect(
            List<RunSpec> specs, List<Future<List<RunTask.Output>>> jobs, RunListener listener, AtomicBoolean stop)
            throws InterruptedException {
        boolean[] handled = new boolean[jobs.size()];
        int left = jobs.size();
        while (left > 0) {
            if (stop.get()) {
                cancel();
                return;
            }
            boolean any = false;
            for (int i = 0; i < jobs.size(); i++) {
                if (handled[i] || !jobs.get(i).isDone()) {
                    continue;
                }
                handled[i] = true;
                left--;
                any = true;
                RunSpec spec = specs.get(i);
                RunResult result = null;
                try {
                    for (String line : jobs.get(i).get().get(0).lines()) {
                        RunResult r = ChildRuns.replay(spec, line, listener);
                        if (r != null) {
                            result = r;
                        }
                    }
                } catch (ExecutionException e) {
                    if (stop.get()) {
                        return;
                    }
                    result = Runners.failed(spec, "Spark gave up on the task: " + rootMessage(e));
                } catch (CancellationException e) {
                    return;
                }
                listener.finished(spec, result);
            }
            if (!any) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * Two start-up warnings that say nothing about the runs (Hadoop's native library is optional; the host name
     * resolving to loopback is how a laptop looks), kept out of the quiet console unless logging is configured.
     */
    private void quietStartup() {
        if (System.getProperty(Logging.LEVEL) == null
                || System.getProperty(Logging.LEVEL).equals("warn")) {
            System.getProperties()
                    .putIfAbsent("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
            if (isLocal()) {
                System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.apache.spark.util.Utils", "error");
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return firstLine(t.toString()); // with the exception's class: a bare message may be just a class name
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void cancel() {
        JavaSparkContext c = sc;
        if (c != null) {
            try {
                c.cancelJobGroup(GROUP);
            } catch (RuntimeException e) {
                // the context is already stopping (Spark's own shutdown hook)
            }
        }
    }
}
