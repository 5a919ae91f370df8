package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.ProbeRecord;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.runtime.Logging;
import dev.heinit.examples.train.ProbeRun;
import dev.heinit.examples.train.RunListener;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Trainer;

/**
 * {@code bench probe}: the prognosis probe's CPU time against the run it predicts, in one process with one native
 * thread (as a {@code compare} worker): the run exactly as {@code compare} runs it — signal at init, the probe, the
 * training — and then the same probe again on the same freshly built network. The first probe is the first training
 * in the JVM and also pays the JIT compiler's and oneDNN's warm-up, which the run after it no longer pays; the
 * second measures the probe's own work. Both are divided by the run's training CPU time; the two probes must give
 * the same prediction and evidence (same seeds).
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = "CPU cost of the prognosis probe against the run it predicts: the probe first in its JVM (as in "
                + "compare) and again once warm, in one process with one native thread.")
final class BenchProbeCommand implements Callable<Integer> {

    @Mixin
    TrainOptions train;

    @Option(names = "--init", defaultValue = "he", description = "the run's init (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--depth", defaultValue = "30", description = "weight layers (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        train.validate(cl);
        TrainOptions.check(cl, !train.noProbe, "--no-probe: bench probe measures the probe");
        TrainOptions.check(cl, depth >= 2, "--depth must be >= 2, got " + depth);
        InitScheme scheme;
        try {
            scheme = InitScheme.byName(init);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--init: " + e.getMessage());
        }
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            // OpenMP fixes its thread count when the native library loads: one native thread, as in every compare
            // worker, needs a fresh process (otherwise spinning OpenMP workers count as CPU time)
            return inChildProcess(cl);
        }
        FastPath.useHelpers(true);
        RunSpec run = train.spec(scheme, depth, seed, true, 0, 0, null);
        ImageData data = train.load();
        PrintWriter out = cl.getOut();
        out.printf(Locale.ROOT, "%s, %d epoch(s), one native thread; training ...%n", run.label(), run.epochs());
        out.flush();
        RunPrognosis[] first = {null};
        RunResult r = Trainer.run(run, data, recorder(first), new AtomicBoolean());
        ProbeRecord warm = ProbeRun.probe(run, data);
        RunPrognosis second = RunPrognosis.of(warm.prognosis());
        if (first[0] == null || Double.isNaN(first[0].probeCpuSeconds())) {
            throw new IllegalStateException("the run was not probed: " + (first[0] == null ? "none" : first[0]));
        }
        double runCpu = r.cpuSeconds();
        out.println("| probe | CPU-s | share of the run's training CPU | prediction |");
        out.println("|---|---:|---:|---|");
        out.printf(
                Locale.ROOT,
                "| first in the JVM (as in compare) | %.2f | %.2f %% | %s |%n",
                first[0].probeCpuSeconds(),
                100 * first[0].probeCpuSeconds() / runCpu,
                first[0].prediction());
        out.printf(
                Locale.ROOT,
                "| again, warm | %.2f | %.2f %% | %s |%n",
                second.probeCpuSeconds(),
                100 * second.probeCpuSeconds() / runCpu,
                second.prediction());
        out.printf(
                Locale.ROOT,
                "run: %.1f CPU-s of training (%s); warm-up paid by the first probe: %.2f CPU-s; %s%n",
                runCpu,
                dev.heinit.examples.report.Summary.outcome(r),
                first[0].probeCpuSeconds() - second.probeCpuSeconds(),
                first[0].prediction().equals(second.prediction())
                                && first[0].evidence().equals(second.evidence())
                        ? "both probes gave the same prediction and evidence"
                        : "THE PROBES DISAGREE: " + first[0].describe() + " / " + second.describe());
        return first[0].prediction().equals(second.prediction()) ? 0 : 1;
    }

    /** Runs this command again in a fresh JVM with {@code OMP_NUM_THREADS=1}, its output passed through. */
    private static int inChildProcess(CommandLine cl) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        cmd.addAll(Logging.childJvmOptions());
        cmd.add("dev.heinit.examples.Main");
        cmd.addAll(cl.getParseResult().originalArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("OMP_NUM_THREADS", "1");
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** A listener that keeps the run's prognosis and prints nothing. */
    private static RunListener recorder(RunPrognosis[] into) {
        return new RunListener() {
            @Override
            public void started(RunSpec s, int total, String fastPath) {}

            @Override
            public void initSignal(RunSpec s, InitSignal signal) {}

            @Override
            public void prognosis(RunSpec s, RunPrognosis p) {
                into[0] = p;
            }

            @Override
            public void iteration(RunSpec s, int iteration, double loss) {}

            @Override
            public void row(RunSpec s, MetricsRow row) {}

            @Override
            public void log(RunSpec s, String message) {}

            @Override
            public void finished(RunSpec s, RunResult result) {}
        };
    }
}
