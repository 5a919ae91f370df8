package dev.heinit.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import dev.heinit.examples.cli.RunSpecArgs;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.train.ChildRuns;
import dev.heinit.examples.train.RunListener;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Runners;
import dev.heinit.examples.train.Trainer;

/**
 * One run on an executor: trains the spec with the examples' {@link Trainer} and returns its events as the child
 * protocol's lines ({@link ChildRuns#protocolWriter(java.util.function.Consumer)}), which the driver replays; the
 * per-iteration lines are dropped (the driver shows finished runs, not iterations).
 *
 * <p>A run that throws returns a {@link Runners#failed failed result} instead of failing the task: the error is
 * the run's, a retry would repeat it. What Spark retries is a lost task (executor death) or one that fails
 * outside training, such as the test hook {@value #FAIL_FIRST_ATTEMPT}.
 */
final class RunTask implements Function<RunTask.Input, RunTask.Output> {

    private static final long serialVersionUID = 1L;

    /**
     * Test hook (Spark configuration key): the label of a run whose first attempt fails after training, before
     * returning its rows, so that Spark retries it.
     */
    static final String FAIL_FIRST_ATTEMPT = "spark.dl4jhe.test.failFirstAttempt";

    /** The data sets loaded in this JVM, by data folder ("" = bundled MNIST-10k): loaded once per executor. */
    private static final Map<String, ImageData> DATA = new ConcurrentHashMap<>();

    /** A run to do: its label (for Spark's job description) and {@link RunSpec#toArgs()}. */
    record Input(int index, String label, List<String> args) implements Serializable {
        Input {
            args = List.copyOf(args);
        }
    }

    /**
     * What a run sends back: protocol lines (with {@link ChildRuns#P}), where and in which attempt it ran.
     */
    record Output(int index, List<String> lines, String executor, String host, int attempt, double seconds)
            implements Serializable {
        Output {
            lines = List.copyOf(lines);
        }
    }

    @Override
    public Output call(Input in) {
        long t0 = System.nanoTime();
        TaskContext ctx = TaskContext.get();
        RunSpecArgs parsed = RunSpecArgs.parse(in.args());
        RunSpec spec = parsed.spec();
        List<String> lines = new ArrayList<>();
        RunListener writer = ChildRuns.protocolWriter(line -> {
            if (!line.startsWith("IT ")) {
                lines.add(ChildRuns.P + line);
            }
        });
        // a cancelled job (Ctrl-C) marks its tasks interrupted: end the run after its current iteration
        AtomicBoolean stop = new AtomicBoolean();
        Thread watch = new Thread(
                () -> {
                    while (!stop.get() && ctx != null) {
                        if (ctx.isInterrupted()) {
                            stop.set(true);
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "dl4j-he-cancel-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            ImageData data = DATA.computeIfAbsent(spec.data() == null ? "" : spec.data(), k -> parsed.loadData());
            Trainer.run(spec, data, writer, stop);
        } catch (RuntimeException e) {
            writer.finished(spec, Runners.failed(spec, e.toString()));
        } finally {
            watch.interrupt();
        }
        if (ctx != null) {
            ctx.killTaskIfInterrupted();
            String failFirst = SparkEnv.get().conf().get(FAIL_FIRST_ATTEMPT, "");
            if (ctx.attemptNumber() == 0 && failFirst.equals(spec.label())) {
                throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": first attempt of '"
                        + spec.label() + "' fails after training");
            }
        }
        boolean done = lines.stream().anyMatch(l -> l.startsWith(ChildRuns.P + "DONE "));
        if (!done) {
            RunResult r = Runners.failed(spec, "the run ended without a result");
            lines.add(ChildRuns.P + "DONE " + r.encode());
        }
        return new Output(
                in.index(),
                lines,
                ctx == null ? "?" : SparkEnv.get().executorId(),
                hostName(),
                ctx == null ? 0 : ctx.attemptNumber(),
                (System.nanoTime() - t0) / 1e9);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }
}
