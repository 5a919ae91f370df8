package dev.heinit.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.train.ChildRuns;
import dev.heinit.examples.train.RunListener;
import dev.heinit.examples.train.RunSpec;

/**
 * {@code bench probe}: what the prognosis probe adds to a run, side by side. Each pair starts two fresh worker JVMs at
 * once (one native thread each) on the same run, one with the probe and one with {@code --no-probe}, and compares
 * the CPU time of the whole processes: marginal cost = CPU(with) − CPU(without), as a share of the run's training
 * CPU in the process without the probe. The probe's own CPU time (what {@code compare} prints) also holds the JIT
 * compiler's and oneDNN's warm-up, which the run then does not pay; the marginal cost does not. Pairs alternate
 * which process starts first.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = "CPU cost of the prognosis probe: the same run in two processes side by side, with and without "
                + "the probe; marginal and self-measured cost as a share of the run's training CPU.")
final class BenchProbeCommand implements Callable<Integer> {

    @Mixin
    TrainOptions train;

    @Option(names = "--init", defaultValue = "he", description = "the run's init (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--depth", defaultValue = "30", description = "weight layers (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--pairs", defaultValue = "2", description = "side-by-side pairs (default: ${DEFAULT-VALUE})")
    int pairs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One process's figures. */
    record Side(double processCpu, double runCpu, double probeCpu, String prediction) {}

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        train.validate(cl);
        TrainOptions.check(cl, !train.noProbe, "--no-probe: bench probe runs each run with and without the probe");
        TrainOptions.check(cl, pairs >= 1, "--pairs must be >= 1, got " + pairs);
        TrainOptions.check(cl, depth >= 2, "--depth must be >= 2, got " + depth);
        InitScheme scheme;
        try {
            scheme = InitScheme.byName(init);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--init: " + e.getMessage());
        }
        RunSpec with = train.spec(scheme, depth, seed, true, 0, 0, null);
        RunSpec without = with.withoutProbe();
        PrintWriter out = cl.getOut();
        out.printf(
                Locale.ROOT,
                "%s, %d epoch(s); each pair: two worker JVMs at once, OMP_NUM_THREADS=1, with and without the probe%n",
                with.label(),
                with.epochs());
        out.println("| pair | process CPU-s with | without | marginal CPU-s | run CPU-s (without) | marginal / run "
                + "| probe CPU-s (self) | probe (self) / run | prediction |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        List<Double> marginal = new ArrayList<>();
        List<Double> self = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 1; i <= pairs; i++) {
                boolean probeFirst = i % 2 == 1;
                Future<Side> first = pool.submit(() -> side(probeFirst ? with : without));
                Thread.sleep(200);
                Future<Side> second = pool.submit(() -> side(probeFirst ? without : with));
                Side a = probeFirst ? first.get() : second.get();
                Side b = probeFirst ? second.get() : first.get();
                double m = (a.processCpu() - b.processCpu()) / b.runCpu();
                double s = a.probeCpu() / b.runCpu();
                marginal.add(m);
                self.add(s);
                out.printf(
                        Locale.ROOT,
                        "| %d | %.1f | %.1f | %.1f | %.1f | %.2f %% | %.1f | %.2f %% | %s |%n",
                        i,
                        a.processCpu(),
                        b.processCpu(),
                        a.processCpu() - b.processCpu(),
                        b.runCpu(),
                        100 * m,
                        a.probeCpu(),
                        100 * s,
                        a.prediction());
                out.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        out.printf(
                Locale.ROOT,
                "median over %d pair(s): marginal %.2f %%, self-measured %.2f %% of the run's training CPU%n",
                pairs,
                100 * median(marginal),
                100 * median(self));
        return 0;
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Runs {@code run} in a worker JVM and collects its process CPU, training CPU and probe. */
    private static Side side(RunSpec run) throws Exception {
        double[] processCpu = {Double.NaN};
        RunPrognosis[] prognosis = {RunPrognosis.skipped()};
        RunResult r = ChildRuns.run(
                run,
                new RunListener() {
                    @Override
                    public void started(RunSpec s, int total, String fastPath) {}

                    @Override
                    public void initSignal(RunSpec s, InitSignal signal) {}

                    @Override
                    public void prognosis(RunSpec s, RunPrognosis p) {
                        prognosis[0] = p;
                    }

                    @Override
                    public void iteration(RunSpec s, int iteration, double loss) {}

                    @Override
                    public void row(RunSpec s, MetricsRow row) {}

                    @Override
                    public void log(RunSpec s, String message) {
                        if (message.startsWith(ChildRuns.PROCESS_CPU)) {
                            processCpu[0] = Double.parseDouble(message.substring(ChildRuns.PROCESS_CPU.length()));
                        }
                    }

                    @Override
                    public void finished(RunSpec s, RunResult result) {}
                },
                List.of(ChildRuns.REPORT_PROCESS_CPU));
        if (r == null || r.isFailed() || Double.isNaN(processCpu[0])) {
            throw new IllegalStateException("the worker did not finish its run: " + (r == null ? "interrupted" : r));
        }
        return new Side(processCpu[0], r.cpuSeconds(), prognosis[0].probeCpuSeconds(), prognosis[0].prediction());
    }
}
