package dev.heinit.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.report.Summary;
import dev.heinit.examples.train.ChildRuns;
import dev.heinit.examples.train.ProbeRun;
import dev.heinit.examples.train.RunListener;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Trainer;

/**
 * {@code bench probe}: the prognosis probe's CPU time against the run it predicts, in two fresh JVMs with one native
 * thread each (as a {@code compare} worker). First JVM: the run exactly as {@code compare} runs it (signal at init,
 * probe, training), then the same probe again, warm, on the same freshly built network (both probes must agree).
 * Second JVM: the run with {@code --no-probe}. In both, the CPU time of the run's first k steps (k = the probe's
 * steps) against k steps late in the run: the JVM's warm-up (JIT compiler, oneDNN primitives) lands in whatever
 * trains first, so the first probe's cost holds a warm-up that the run without a probe pays in its own first steps.
 * The probe's marginal cost is then about its warm figure.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = "CPU cost of the prognosis probe against the run it predicts: probe first in its JVM (as in "
                + "compare), again once warm, and where the JVM's warm-up goes without a probe.")
final class BenchProbeCommand implements Callable<Integer> {

    private static final String PROBED = "probed";
    private static final String UNPROBED = "unprobed";

    @Mixin
    TrainOptions train;

    @Option(names = "--init", defaultValue = "he", description = "the run's init (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--depth", defaultValue = "30", description = "weight layers (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--phase", hidden = true)
    String phase;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        train.validate(cl);
        TrainOptions.check(cl, !train.noProbe, "--no-probe: bench probe measures the probe");
        TrainOptions.check(cl, depth >= 2, "--depth must be >= 2, got " + depth);
        TrainOptions.check(
                cl,
                phase == null || phase.equals(PROBED) || phase.equals(UNPROBED),
                "--phase must be " + PROBED + " or " + UNPROBED + ", got '" + phase + "'");
        InitScheme scheme;
        try {
            scheme = InitScheme.byName(init);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--init: " + e.getMessage());
        }
        if (phase == null) {
            // OpenMP fixes its thread count when the native library loads, and each phase needs a cold JVM
            int rc = inChildProcess(cl, PROBED);
            return rc != 0 ? rc : inChildProcess(cl, UNPROBED);
        }
        FastPath.useHelpers(true);
        RunSpec run = train.spec(scheme, depth, seed, true, 0, 0, null);
        ImageData data = train.load();
        PrintWriter out = cl.getOut();
        int k = ProbeRun.steps((long) itersPerEpoch(run, data) * run.epochs());
        if (UNPROBED.equals(phase)) {
            train.noProbe = true;
            Steps s = new Steps(k, itersPerEpoch(run, data) * run.epochs());
            RunResult r = Trainer.run(train.spec(scheme, depth, seed, true, 0, 0, null), data, s, new AtomicBoolean());
            out.printf(
                    Locale.ROOT,
                    "without a probe (fresh JVM): run %.1f CPU-s of training; its first %d steps %.2f CPU-s, %d steps "
                            + "late in the run %.2f: warm-up paid by the run itself %.2f CPU-s%n",
                    r.cpuSeconds(),
                    k,
                    s.first(),
                    k,
                    s.late(),
                    s.first() - s.late());
            return 0;
        }
        out.printf(
                Locale.ROOT,
                "%s, %d epoch(s), %d probe steps, one native thread per JVM, process CPU time%n",
                run.label(),
                run.epochs(),
                k);
        out.flush();
        Steps s = new Steps(k, itersPerEpoch(run, data) * run.epochs());
        RunResult r = Trainer.run(run, data, s, new AtomicBoolean());
        RunPrognosis first = s.prognosis;
        RunPrognosis warm = RunPrognosis.of(ProbeRun.probe(run, data).prognosis());
        if (first == null || Double.isNaN(first.probeCpuSeconds())) {
            throw new IllegalStateException("the run was not probed: " + first);
        }
        double runCpu = r.cpuSeconds();
        out.println("| probe | CPU-s | share of the run's training CPU | prediction |");
        out.println("|---|---:|---:|---|");
        out.printf(
                Locale.ROOT,
                "| first in the JVM (as in compare) | %.2f | %.2f %% | %s |%n",
                first.probeCpuSeconds(),
                100 * first.probeCpuSeconds() / runCpu,
                first.prediction());
        out.printf(
                Locale.ROOT,
                "| again, warm | %.2f | %.2f %% | %s |%n",
                warm.probeCpuSeconds(),
                100 * warm.probeCpuSeconds() / runCpu,
                warm.prediction());
        boolean agree =
                first.prediction().equals(warm.prediction()) && first.evidence().equals(warm.evidence());
        out.printf(
                Locale.ROOT,
                "run: %.1f CPU-s of training (%s); its first %d steps %.2f CPU-s, %d steps late in the run %.2f; "
                        + "warm-up in the first probe %.2f CPU-s; %s%n",
                runCpu,
                Summary.outcome(r),
                k,
                s.first(),
                k,
                s.late(),
                first.probeCpuSeconds() - warm.probeCpuSeconds(),
                agree
                        ? "both probes gave the same prediction and evidence"
                        : "THE PROBES DISAGREE: " + first.describe() + " / " + warm.describe());
        out.flush();
        return agree ? 0 : 1;
    }

    private int itersPerEpoch(RunSpec run, ImageData data) {
        int n = run.trainExamples() > 0
                ? Math.min(run.trainExamples(), data.train().numExamples())
                : data.train().numExamples();
        return (n + run.batch() - 1) / run.batch();
    }

    /** Runs this command's phase in a fresh JVM with {@code OMP_NUM_THREADS=1}, its output copied to ours. */
    private static int inChildProcess(CommandLine cl, String phase) {
        // the JVM of a compare worker
        List<String> cmd = ChildRuns.programCommand();
        cmd.addAll(cl.getParseResult().originalArgs());
        cmd.add("--phase");
        cmd.add(phase);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", "1");
        PrintWriter out = cl.getOut();
        try {
            Process p = pb.start();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.println(line);
                    out.flush();
                }
            }
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * Keeps the run's prognosis and the process CPU time of its first k steps (from the prognosis, the last event
     * before the first step) and of k steps ending one step before the run's last (no epoch end inside when an epoch
     * has more than k steps).
     */
    private static final class Steps implements RunListener {
        private final int k;
        private final int total;
        private final double[] at = new double[4];
        RunPrognosis prognosis;

        Steps(int k, int total) {
            this.k = k;
            this.total = total;
        }

        double first() {
            return at[1] - at[0];
        }

        double late() {
            return total > 2 * k + 1 ? at[3] - at[2] : Double.NaN;
        }

        @Override
        public void prognosis(RunSpec s, RunPrognosis p) {
            prognosis = p;
            at[0] = Trainer.cpuNanos() / 1e9;
        }

        @Override
        public void iteration(RunSpec s, int iteration, double loss) {
            double now = Trainer.cpuNanos() / 1e9;
            if (iteration == k) {
                at[1] = now;
            }
            if (iteration == total - 1 - k) {
                at[2] = now;
            }
            if (iteration == total - 1) {
                at[3] = now;
            }
        }

        @Override
        public void started(RunSpec s, int totalIterations, String fastPath) {}

        @Override
        public void initSignal(RunSpec s, InitSignal signal) {}

        @Override
        public void row(RunSpec s, MetricsRow row) {}

        @Override
        public void log(RunSpec s, String message) {}

        @Override
        public void finished(RunSpec s, RunResult result) {}
    }
}
