package dev.heinit.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.examples.bench.BenchNet;
import dev.heinit.examples.bench.CpuPeak;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.runtime.Logging;
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
        subcommands = {BenchInitCommand.class, BenchLsuvCommand.class, BenchWorker.class},
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One measured configuration. */
    record Row(
            BenchNet net,
            boolean fast,
            int processes,
            int threads,
            double examplesPerSecond,
            double cpuSecondsPerEpoch,
            double gflops,
            double peakFraction,
            double activationMs,
            String fastStatus) {}

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new CommandLine.ParameterException(cl, "--seconds must be in (0, 3600], got " + seconds);
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
        PrintWriter out = cl.getOut();
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
        List<Row> rows = new ArrayList<>();
        for (BenchNet net : which) {
            out.println(net.describe());
            for (boolean fast : new boolean[] {false, true}) {
                for (boolean perCore : new boolean[] {false, true}) {
                    int procs = perCore ? cores : 1;
                    int threads = perCore ? 1 : cores;
                    Row r = measure(net, fast, procs, threads, peak, HiddenActivation.RELU);
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
        for (Row r : rows) {
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
            Row stock1 = find(rows, net, false, 1);
            Row fast1 = find(rows, net, true, 1);
            Row fastN = find(rows, net, true, cores);
            Row stockN = find(rows, net, false, cores);
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
        out.println(
                "anchor: PyTorch 1.13, 1 thread, default net: ~1.3 CPU-s per epoch of 8,000 digits, measured on the same net");
        String status =
                rows.stream().filter(Row::fast).map(Row::fastStatus).findFirst().orElse("");
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
                        + "batch %d; activation alone: forward + backprop on each hidden layer's output shape, per step%n",
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
                Row r = measure(net, true, cores, 1, peak, a);
                base = Double.isNaN(base) ? r.cpuSecondsPerEpoch() : base;
                double stepMs = 1000.0 * batch * cores / r.examplesPerSecond();
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

    private static Row find(List<Row> rows, BenchNet net, boolean fast, int processes) {
        return rows.stream()
                .filter(r -> r.net() == net && r.fast() == fast && r.processes() == processes)
                .findFirst()
                .orElseThrow();
    }

    /** Starts {@code processes} workers at once with OMP_NUM_THREADS={@code threads} and sums their throughput. */
    private Row measure(BenchNet net, boolean fast, int processes, int threads, CpuPeak peak, HiddenActivation act)
            throws IOException, InterruptedException {
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
            cmd.addAll(Logging.childJvmOptions());
            cmd.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.heinit.examples.Main",
                    "bench",
                    "worker",
                    "--net",
                    net.name(),
                    "--fast",
                    Boolean.toString(fast),
                    "--seconds",
                    Double.toString(seconds),
                    "--batch",
                    Integer.toString(batch),
                    "--activation",
                    act.cliName()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            // quiet unless --verbose, like this process: the workers' warnings and errors are worth seeing
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            ps.add(pb.start());
        }
        double examples = 0;
        double wallMax = 0;
        double cpu = 0;
        double actMs = 0;
        String status = "";
        for (Process p : ps) {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(BenchWorker.PREFIX)) {
                        String[] f = line.substring(BenchWorker.PREFIX.length()).split(" ", 5);
                        examples += Double.parseDouble(f[0]) / Double.parseDouble(f[1]); // examples/s of this worker
                        wallMax = Math.max(wallMax, Double.parseDouble(f[1]));
                        cpu += Double.parseDouble(f[2]) / (Double.parseDouble(f[0])); // CPU-s per example
                        actMs += Double.parseDouble(f[3]) / processes;
                        status = f[4];
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IOException("bench worker failed with exit code " + p.exitValue());
            }
        }
        double eps = examples;
        double cpuPerEpoch = cpu / processes * EPOCH;
        double gflops = eps * net.trainFlopsPerExample() / 1e9;
        return new Row(
                net, fast, processes, threads, eps, cpuPerEpoch, gflops, gflops / peak.totalGflops(), actMs, status);
    }
}
