package dev.heinit.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.heinit.examples.bench.BenchNet;
import dev.heinit.examples.bench.CpuPeak;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.runtime.Logging;

/**
 * Runs {@code bench}'s timed training loops in fresh child JVMs ({@link BenchWorker}; OpenMP's thread count is
 * fixed per process) and sums what they report: examples/s of all processes together, CPU-seconds per epoch =
 * CPU time per example × {@value BenchCommand#EPOCH} (process, and training thread alone), GFLOP/s =
 * {@link BenchNet#trainFlopsPerExample()} × examples/s.
 */
final class BenchRuns {

    private final double seconds;
    private final double warmup;
    private final int batch;

    BenchRuns(double seconds, double warmup, int batch) {
        this.seconds = seconds;
        this.warmup = warmup;
        this.batch = batch;
    }

    /** One measured configuration. */
    record Row(
            BenchNet net,
            boolean fast,
            int processes,
            int threads,
            double examplesPerSecond,
            double cpuSecondsPerEpoch,
            double threadCpuSecondsPerEpoch,
            double gflops,
            double peakFraction,
            double activationMs,
            String fastStatus,
            List<String> extra) {}

    /** Starts {@code processes} workers at once with OMP_NUM_THREADS={@code threads} and sums their throughput. */
    Row measure(BenchNet net, boolean fast, int processes, int threads, CpuPeak peak, HiddenActivation act)
            throws IOException, InterruptedException {
        return measure(net, fast, processes, threads, peak, act, false, java.util.Map.of());
    }

    /**
     * {@link #measure(BenchNet, boolean, int, int, CpuPeak, HiddenActivation)} with the worker's --profile lines
     * and extra environment (e.g. DNNL_VERBOSE); {@link Row#extra()} holds the workers' profile and oneDNN lines.
     */
    Row measure(
            BenchNet net,
            boolean fast,
            int processes,
            int threads,
            CpuPeak peak,
            HiddenActivation act,
            boolean profile,
            java.util.Map<String, String> env)
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
                    "--warmup",
                    Double.toString(warmup),
                    "--batch",
                    Integer.toString(batch),
                    "--activation",
                    act.cliName()));
            if (profile) {
                cmd.add("--profile");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            // quiet unless --verbose, like this process: the workers' warnings and errors are worth seeing
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            ps.add(pb.start());
        }
        double examples = 0;
        double wallMax = 0;
        double cpu = 0;
        double threadCpu = 0;
        double actMs = 0;
        String status = "";
        List<String> extra = new ArrayList<>();
        for (Process p : ps) {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(BenchWorker.PREFIX)) {
                        String[] f = line.substring(BenchWorker.PREFIX.length()).split(" ", 6);
                        examples += Double.parseDouble(f[0]) / Double.parseDouble(f[1]); // examples/s of this worker
                        wallMax = Math.max(wallMax, Double.parseDouble(f[1]));
                        cpu += Double.parseDouble(f[2]) / (Double.parseDouble(f[0])); // CPU-s per example
                        threadCpu += Double.parseDouble(f[3]) / Double.parseDouble(f[0]);
                        actMs += Double.parseDouble(f[4]) / processes;
                        status = f[5];
                    } else if (line.startsWith(BenchWorker.PHASE_PREFIX) || line.contains("_verbose,exec,")) {
                        extra.add(line);
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IOException("bench worker failed with exit code " + p.exitValue());
            }
        }
        double eps = examples;
        double cpuPerEpoch = cpu / processes * BenchCommand.EPOCH;
        double gflops = eps * net.trainFlopsPerExample() / 1e9;
        return new Row(
                net,
                fast,
                processes,
                threads,
                eps,
                cpuPerEpoch,
                threadCpu / processes * BenchCommand.EPOCH,
                gflops,
                gflops / peak.totalGflops(),
                actMs,
                status,
                extra);
    }
}
