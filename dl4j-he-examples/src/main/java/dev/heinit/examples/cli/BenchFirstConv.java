package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.heinit.examples.bench.BenchNet;
import dev.heinit.examples.bench.CpuPeak;
import dev.heinit.examples.bench.OneDnnVerbose;
import dev.heinit.examples.bench.PhaseProfile;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.runtime.Versions;

/**
 * {@code bench --first-conv}: the fast path before and after {@link FastPath#skipInputGradient} (the first
 * convolution computing only its weight and bias gradients), one single-threaded worker each, the order alternating
 * between rounds; then both once more under oneDNN's verbose mode, with the first convolution's primitives listed.
 * Ratio = after / before, in CPU-seconds per epoch (below 1: faster).
 */
final class BenchFirstConv {

    private BenchFirstConv() {}

    /** The worker environment of the "after" side: the skip switched on (it is opt-in). */
    private static final Map<String, String> AFTER = Map.of(FastPath.SKIP_INPUT_GRADIENT_ENV, "true");

    static int run(PrintWriter out, BenchRuns runs, List<BenchNet> which, int repeats, int batch)
            throws IOException, InterruptedException {
        CpuPeak peak = CpuPeak.estimate();
        out.println(Versions.line());
        out.println("CPU: " + peak.model() + ", " + peak.cores() + " cores");
        out.printf(
                Locale.ROOT,
                "fast path, one thread (OMP_NUM_THREADS=1): before = DL4J's oneDNN helper on every convolution, after = "
                        + "the first convolution without input gradient (%s unset vs =true); %d rounds alternating "
                        + "the order, batch %d; CPU-s per epoch of %d examples%n",
                FastPath.SKIP_INPUT_GRADIENT_ENV,
                repeats,
                batch,
                BenchCommand.EPOCH);
        HiddenActivation relu = HiddenActivation.RELU;
        for (BenchNet net : which) {
            out.println(net.describe());
            out.println("| round | before: thread | after: thread | ratio (thread) | before: process | after: process "
                    + "| ratio (process) |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|");
            out.flush();
            double[][] ratios = new double[2][repeats];
            String status = "";
            for (int r = 0; r < repeats; r++) {
                BenchRuns.Row before = null;
                BenchRuns.Row after = null;
                for (int side = 0; side < 2; side++) {
                    if ((side + r) % 2 == 0) {
                        before = runs.measure(net, true, 1, 1, peak, relu, false, Map.of());
                    } else {
                        after = runs.measure(net, true, 1, 1, peak, relu, false, AFTER);
                    }
                }
                status = after.fastStatus();
                ratios[0][r] = after.threadCpuSecondsPerEpoch() / before.threadCpuSecondsPerEpoch();
                ratios[1][r] = after.cpuSecondsPerEpoch() / before.cpuSecondsPerEpoch();
                out.printf(
                        Locale.ROOT,
                        "| %d | %.2f | %.2f | %.3fx | %.2f | %.2f | %.3fx |%n",
                        r + 1,
                        before.threadCpuSecondsPerEpoch(),
                        after.threadCpuSecondsPerEpoch(),
                        ratios[0][r],
                        before.cpuSecondsPerEpoch(),
                        after.cpuSecondsPerEpoch(),
                        ratios[1][r]);
                out.flush();
            }
            out.printf(
                    Locale.ROOT,
                    "%s: after/before CPU-s per epoch, median of %d rounds: %s (training thread), %s (process); "
                            + "after: %s%n",
                    net.name().toLowerCase(Locale.ROOT),
                    repeats,
                    BenchCommand.medianRange(ratios[0]),
                    BenchCommand.medianRange(ratios[1]),
                    status);
            verbose(out, runs, net, peak, "before", Map.of());
            verbose(out, runs, net, peak, "after", AFTER);
        }
        out.flush();
        return 0;
    }

    /** One verbose worker: oneDNN's time per iteration by kind, and the first convolution's primitives. */
    private static void verbose(
            PrintWriter out, BenchRuns runs, BenchNet net, CpuPeak peak, String side, Map<String, String> env)
            throws IOException, InterruptedException {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("DNNL_VERBOSE", "1");
        e.put("ONEDNN_VERBOSE", "1");
        BenchRuns.Row row = runs.measure(net, true, 1, 1, peak, HiddenActivation.RELU, true, e);
        OneDnnVerbose v = new OneDnnVerbose();
        row.extra().forEach(v::add);
        int iters = Math.max(1, PhaseProfile.iterations(row.extra(), BenchWorker.PHASE_PREFIX));
        out.printf(
                Locale.ROOT,
                "%s, DNNL_VERBOSE=1 (%d iterations incl. warm-up): %.2f ms per iteration inside oneDNN, by kind %s; "
                        + "the first convolution's primitives (1 input channel):%n",
                side,
                iters,
                v.totalMillis() / iters,
                v.byKind().entrySet().stream()
                        .map(k -> String.format(Locale.ROOT, "%s %.2f ms", k.getKey(), k.getValue() / iters))
                        .toList());
        for (OneDnnVerbose.Group g : v.groups()) {
            if (g.problem().contains("_ic1oc") || g.problem().matches("\\d+x1x\\d+x\\d+")) {
                out.printf(
                        Locale.ROOT,
                        "  %s %s %s: %.1f calls, %.2f ms per iteration%n",
                        g.kind(),
                        g.what(),
                        g.problem(),
                        (double) g.count() / iters,
                        g.millis() / iters);
            }
        }
        out.flush();
    }
}
