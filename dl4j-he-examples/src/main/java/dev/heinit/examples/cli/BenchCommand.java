package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.examples.bench.BenchNet;
import dev.heinit.examples.bench.CpuPeak;
import dev.heinit.examples.bench.OneDnnVerbose;
import dev.heinit.examples.bench.PhaseProfile;
import dev.heinit.examples.bench.TorchBench;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.runtime.Versions;

/**
 * {@code bench}: training throughput of the default CNN and a wide one, DL4J's stock CPU path vs the oneDNN fast
 * path, one process using all cores vs one single-threaded process per core, side by side in one invocation.
 * Every configuration runs in fresh child JVMs (OpenMP's thread count is fixed per process).
 *
 * <p>Reported: examples/s (all processes together), CPU-seconds per epoch of 8,000 examples (CPU time of the
 * worker processes per example × 8,000), achieved GFLOP/s ({@link BenchNet#trainFlopsPerExample()} × examples/s)
 * and its fraction of the {@link CpuPeak} estimate.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {
            BenchInitCommand.class,
            BenchLsuvCommand.class,
            BenchUpdaterCommand.class,
            BenchProbeCommand.class,
            BenchWorker.class
        },
        description = "Training throughput: stock vs oneDNN fast path, all cores in one run vs one run per core. "
                + "'bench init' times weight initialization.")
public final class BenchCommand implements Callable<Integer> {

    /** Examples per epoch the CPU-seconds figure is normalized to (the bundled training set). */
    static final int EPOCH = 8000;

    @Option(
            names = "--seconds",
            defaultValue = "8",
            description = "timed seconds per configuration after warm-up (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--warmup",
            defaultValue = "1.5",
            description = "untimed training seconds before timing, per process (default: ${DEFAULT-VALUE}); the JVM's "
                    + "JIT compiler keeps a core busy for the first ~10-20 s of DL4J training, so use 30 for "
                    + "steady-state figures")
    double warmup;

    @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--nets",
            split = ",",
            defaultValue = "default,wide",
            description = "default, wide (default: ${DEFAULT-VALUE})")
    List<String> nets;

    @Option(
            names = "--activation",
            split = ",",
            description = "per-activation cost instead: train each net with these "
                    + "hidden activations (relu, leaky:A, gelu, silu, tanh, elu, selu), fast path, one single-threaded process "
                    + "per core, and time the activation alone")
    List<String> activations;

    @Option(
            names = "--vs-pytorch",
            description = "instead: the fast path vs PyTorch on the same net, one thread each, alternating, "
                    + "--repeats rounds; needs a python3 with torch (exit 2 without)")
    boolean vsPytorch;

    @Option(
            names = "--python",
            description = "Python interpreter for --vs-pytorch (default: /usr/bin/python3, then python3 on PATH, "
                    + "the first that imports torch)")
    String python;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "rounds of --vs-pytorch and --first-conv, each timing both sides (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(
            names = "--profile",
            description = "instead: where one training iteration spends its time, stock vs fast path, one "
                    + "thread: phases (forward, backward, updater, data, evaluation), the activation alone, and "
                    + "oneDNN's primitives (DNNL_VERBOSE) on the fast path")
    boolean profile;

    @Option(
            names = "--first-conv",
            description = "instead: the fast path with and without the first convolution's input gradient "
                    + "(FastPath.skipInputGradient), one thread each, alternating, --repeats rounds, then oneDNN's "
                    + "primitives of both (DNNL_VERBOSE)")
    boolean firstConv;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new CommandLine.ParameterException(cl, "--seconds must be in (0, 3600], got " + seconds);
        }
        if (!(warmup >= 0 && warmup <= 3600)) {
            throw new CommandLine.ParameterException(cl, "--warmup must be in [0, 3600], got " + warmup);
        }
        if (batch < 1) {
            throw new CommandLine.ParameterException(cl, "--batch must be >= 1, got " + batch);
        }
        List<BenchNet> which = new ArrayList<>();
        for (String n : nets) {
            try {
                which.add(BenchNet.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--nets: unknown net '" + n + "'; valid: default, wide");
            }
        }
        List<HiddenActivation> acts = new ArrayList<>();
        if (activations != null) {
            for (String a : activations) {
                try {
                    acts.add(HiddenActivation.parse(a));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, "--activation: " + e.getMessage());
                }
            }
        }
        if (repeats < 1 || repeats > 100) {
            throw new CommandLine.ParameterException(cl, "--repeats must be in [1, 100], got " + repeats);
        }
        PrintWriter out = cl.getOut();
        if (vsPytorch) {
            return versusPytorch(out, cl.getErr(), which);
        }
        if (profile) {
            return profile(out, which);
        }
        if (firstConv) {
            return BenchFirstConv.run(out, runs(), which, repeats, batch);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        CpuPeak peak = CpuPeak.estimate();
        if (!acts.isEmpty()) {
            return perActivation(out, which, acts, cores, peak);
        }
        out.println(Versions.line());
        out.println("fp32 peak estimate: " + peak.derivation());
        out.printf(
                Locale.ROOT,
                "each configuration: warm-up, then >= %.0f s of training steps, batch %d, in fresh JVMs%n",
                seconds,
                batch);
        List<BenchRuns.Row> rows = new ArrayList<>();
        for (BenchNet net : which) {
            out.println(net.describe());
            for (boolean fast : new boolean[] {false, true}) {
                for (boolean perCore : new boolean[] {false, true}) {
                    int procs = perCore ? cores : 1;
                    int threads = perCore ? 1 : cores;
                    BenchRuns.Row r = runs().measure(net, fast, procs, threads, peak, HiddenActivation.RELU);
                    rows.add(r);
                    out.printf(
                            Locale.ROOT,
                            "  %-5s %-12s %8.1f examples/s  %7.2f CPU-s/epoch  %6.2f GFLOP/s  %5.1f %% of peak%n",
                            fast ? "fast" : "stock",
                            procs + "x" + threads + " thr",
                            r.examplesPerSecond(),
                            r.cpuSecondsPerEpoch(),
                            r.gflops(),
                            100 * r.peakFraction());
                    out.flush();
                }
            }
        }
        out.println();
        out.println(
                "| net | path | processes x threads | examples/s | CPU-s per epoch (8,000) | GFLOP/s | % of fp32 peak |");
        out.println("|---|---|---|---:|---:|---:|---:|");
        for (BenchRuns.Row r : rows) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %d x %d | %.1f | %.2f | %.2f | %.1f %% |%n",
                    r.net().name().toLowerCase(Locale.ROOT),
                    r.fast() ? "fast (oneDNN)" : "stock",
                    r.processes(),
                    r.threads(),
                    r.examplesPerSecond(),
                    r.cpuSecondsPerEpoch(),
                    r.gflops(),
                    100 * r.peakFraction());
        }
        out.println();
        for (BenchNet net : which) {
            BenchRuns.Row stock1 = find(rows, net, false, 1);
            BenchRuns.Row fast1 = find(rows, net, true, 1);
            BenchRuns.Row fastN = find(rows, net, true, cores);
            BenchRuns.Row stockN = find(rows, net, false, cores);
            out.printf(
                    Locale.ROOT,
                    "%s: fast/stock throughput %.1fx (one run per core), %.1fx (one run, all cores); "
                            + "one run per core / one run on all cores: %.2fx (fast), %.2fx (stock); CPU-s per epoch, fast: %.2f%n",
                    net.name().toLowerCase(Locale.ROOT),
                    fastN.examplesPerSecond() / stockN.examplesPerSecond(),
                    fast1.examplesPerSecond() / stock1.examplesPerSecond(),
                    fastN.examplesPerSecond() / fast1.examplesPerSecond(),
                    stockN.examplesPerSecond() / stock1.examplesPerSecond(),
                    fastN.cpuSecondsPerEpoch());
        }
        out.println("the same net in PyTorch on this machine: bench --vs-pytorch");
        String status = rows.stream()
                .filter(BenchRuns.Row::fast)
                .map(BenchRuns.Row::fastStatus)
                .findFirst()
                .orElse("");
        out.println("fast path in the workers: " + status);
        out.flush();
        return 0;
    }

    /** bench --activation: per net and activation, the fast path with one single-threaded process per core. */
    private int perActivation(
            PrintWriter out, List<BenchNet> which, List<HiddenActivation> acts, int cores, CpuPeak peak)
            throws IOException, InterruptedException {
        out.println(Versions.line());
        out.printf(
                Locale.ROOT,
                "fast path, %d single-threaded processes at once, warm-up then >= %.0f s of training steps, "
                        + "batch %d; activation alone: forward + backprop on each hidden layer's output shape, per step; "
                        + "activation and step: CPU ms of the training thread%n",
                cores,
                seconds,
                batch);
        for (BenchNet net : which) {
            out.println(net.describe());
            out.println("| activation | examples/s | CPU-s per epoch (8,000) | vs first | activation ms per step | "
                    + "step ms | activation share |");
            out.println("|---|---:|---:|---:|---:|---:|---:|");
            out.flush();
            double base = Double.NaN;
            for (HiddenActivation a : acts) {
                BenchRuns.Row r = runs().measure(net, true, cores, 1, peak, a);
                base = Double.isNaN(base) ? r.cpuSecondsPerEpoch() : base;
                // both in CPU ms of the training thread, so that load from other processes cancels
                double stepMs = 1000.0 * batch * r.threadCpuSecondsPerEpoch() / EPOCH;
                out.printf(
                        Locale.ROOT,
                        "| %s | %.1f | %.2f | %.2fx | %.2f | %.1f | %.0f %% |%n",
                        a.cliName(),
                        r.examplesPerSecond(),
                        r.cpuSecondsPerEpoch(),
                        r.cpuSecondsPerEpoch() / base,
                        r.activationMs(),
                        stepMs,
                        100 * r.activationMs() / stepMs);
                out.flush();
            }
        }
        out.println("activations: "
                + acts.stream().map(HiddenActivation::description).toList());
        return 0;
    }

    /**
     * bench --vs-pytorch: per net, {@code repeats} rounds of the DL4J fast path (one single-threaded process) and
     * PyTorch (one thread), the order alternating between rounds so that drifting load hits both sides alike.
     */
    private int versusPytorch(PrintWriter out, PrintWriter err, List<BenchNet> which)
            throws IOException, InterruptedException {
        java.util.Optional<String> py = TorchBench.findPython(python);
        if (py.isEmpty()) {
            err.println(
                    python == null
                            ? TorchBench.HOW_TO_GET
                            : "--python " + python + " cannot import torch. " + TorchBench.HOW_TO_GET);
            err.flush();
            return 2;
        }
        CpuPeak peak = CpuPeak.estimate();
        out.println(Versions.line());
        out.println("CPU: " + peak.model() + ", " + peak.cores() + " cores; python: " + py.get());
        out.printf(
                Locale.ROOT,
                "DL4J fast path vs PyTorch, one thread each (OMP_NUM_THREADS=1), %d rounds alternating the order, "
                        + "each side %.1f s warm-up then >= %.0f s of training steps, batch %d; CPU-s per epoch of %d examples%n",
                repeats,
                warmup,
                seconds,
                batch,
                EPOCH);
        for (BenchNet net : which) {
            out.println(net.describe());
            out.println("| round | DL4J process | DL4J training thread | PyTorch process | PyTorch main thread | "
                    + "ratio (process) | ratio (thread) |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|");
            out.flush();
            double[][] ratios = new double[2][repeats];
            String version = "";
            for (int r = 0; r < repeats; r++) {
                BenchRuns.Row dl4j = null;
                TorchBench.Result torch = null;
                for (int side = 0; side < 2; side++) {
                    if ((side + r) % 2 == 0) {
                        dl4j = runs().measure(net, true, 1, 1, peak, HiddenActivation.RELU);
                    } else {
                        torch = TorchBench.run(py.get(), net, batch, warmup, seconds, BenchWorker.LR);
                    }
                }
                version = torch.version();
                ratios[0][r] = dl4j.cpuSecondsPerEpoch() / torch.cpuSecondsPerEpoch(EPOCH);
                ratios[1][r] = dl4j.threadCpuSecondsPerEpoch() / torch.threadCpuSecondsPerEpoch(EPOCH);
                out.printf(
                        Locale.ROOT,
                        "| %d | %.2f | %.2f | %.2f | %.2f | %.2fx | %.2fx |%n",
                        r + 1,
                        dl4j.cpuSecondsPerEpoch(),
                        dl4j.threadCpuSecondsPerEpoch(),
                        torch.cpuSecondsPerEpoch(EPOCH),
                        torch.threadCpuSecondsPerEpoch(EPOCH),
                        ratios[0][r],
                        ratios[1][r]);
                out.flush();
            }
            out.printf(
                    Locale.ROOT,
                    "%s: DL4J/PyTorch CPU-s per epoch, median of %d rounds: %s (process), %s (training thread); "
                            + "PyTorch %s%n",
                    net.name().toLowerCase(Locale.ROOT),
                    repeats,
                    medianRange(ratios[0]),
                    medianRange(ratios[1]),
                    version);
        }
        out.println("process: all threads, the JVM's JIT compiler and GC included; training thread: the thread "
                + "that runs the steps (with one OpenMP thread, ND4J's and PyTorch's kernels run on it)");
        out.flush();
        return 0;
    }

    /** bench --profile: phases per iteration (stock and fast path), then oneDNN's primitives on the fast path. */
    private int profile(PrintWriter out, List<BenchNet> which) throws IOException, InterruptedException {
        CpuPeak peak = CpuPeak.estimate();
        out.println(Versions.line());
        out.println("CPU: " + peak.model() + ", " + peak.cores() + " cores");
        out.printf(
                Locale.ROOT,
                "one single-threaded process per path, warm-up then >= %.0f s of training steps, batch %d; CPU ms of the "
                        + "training thread per iteration (no DL4J listeners besides the phase timer)%n",
                seconds,
                batch);
        for (BenchNet net : which) {
            out.println(net.describe());
            BenchRuns.Row stock =
                    runs().measure(net, false, 1, 1, peak, HiddenActivation.RELU, true, java.util.Map.of());
            BenchRuns.Row fast = runs().measure(net, true, 1, 1, peak, HiddenActivation.RELU, true, java.util.Map.of());
            String p = BenchWorker.PHASE_PREFIX;
            java.util.Map<String, Double> s = PhaseProfile.parse(stock.extra(), p);
            java.util.Map<String, Double> f = PhaseProfile.parse(fast.extra(), p);
            out.print(PhaseProfile.table(s, f));
            out.printf(
                    Locale.ROOT,
                    "ReLU alone (forward + backprop on every hidden layer's output, as in a step): %.2f ms "
                            + "(stock run), %.2f ms (fast run); CPU-s per epoch: stock %.2f, fast %.2f%n",
                    stock.activationMs(),
                    fast.activationMs(),
                    stock.cpuSecondsPerEpoch(),
                    fast.cpuSecondsPerEpoch());
            out.flush();
            BenchRuns.Row verbose = runs().measure(
                            net,
                            true,
                            1,
                            1,
                            peak,
                            HiddenActivation.RELU,
                            true,
                            java.util.Map.of("DNNL_VERBOSE", "1", "ONEDNN_VERBOSE", "1"));
            OneDnnVerbose v = new OneDnnVerbose();
            verbose.extra().forEach(v::add);
            int iters = Math.max(1, PhaseProfile.iterations(verbose.extra(), p));
            out.printf(
                    Locale.ROOT,
                    "oneDNN primitives on the fast path (DNNL_VERBOSE=1, %d iterations incl. warm-up): %.2f ms per "
                            + "iteration inside oneDNN, by kind %s%n",
                    iters,
                    v.totalMillis() / iters,
                    v.byKind().entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s %.2f ms", e.getKey(), e.getValue() / iters))
                            .toList());
            out.print(v.table(15, iters));
            out.flush();
        }
        return 0;
    }

    private BenchRuns runs() {
        return new BenchRuns(seconds, warmup, batch);
    }

    static String medianRange(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return String.format(Locale.ROOT, "%.2fx (range %.2f-%.2f)", s[s.length / 2], s[0], s[s.length - 1]);
    }

    private static BenchRuns.Row find(List<BenchRuns.Row> rows, BenchNet net, boolean fast, int processes) {
        return rows.stream()
                .filter(r -> r.net() == net && r.fast() == fast && r.processes() == processes)
                .findFirst()
                .orElseThrow();
    }
}
