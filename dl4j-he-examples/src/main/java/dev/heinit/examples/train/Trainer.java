package dev.heinit.examples.train;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.diagnostics.SignalListener;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Net;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;

/**
 * Trains one {@link RunSpec} in this JVM: minibatch SGD over a per-epoch shuffle (seeded by the run's seed),
 * a metrics row every {@code logEvery} iterations and at each epoch's end (with test accuracy), stopping at the
 * first NaN/∞ loss.
 */
public final class Trainer {

    private Trainer() {}

    /** Start of the log message of an early warning of the training listener (the report collects them by it). */
    public static final String EARLY_WARNING = "early warning: ";

    /** Rows per epoch the automatic logging interval aims for (at least). */
    public static final int ROWS_PER_EPOCH = 20;

    /** Iterations between rows: the spec's, or ⌊itersPerEpoch / 20⌋ (≥ 1) so an epoch has at least 20 rows. */
    public static int logEvery(RunSpec spec, int itersPerEpoch) {
        return spec.logEvery() > 0 ? spec.logEvery() : Math.max(1, itersPerEpoch / ROWS_PER_EPOCH);
    }

    /**
     * Runs the spec. The helper setting ({@link FastPath#useHelpers}) is applied before the network is built.
     *
     * @param stop set from outside (e.g. a shutdown hook) to end the run after the current iteration
     */
    public static RunResult run(RunSpec spec, ImageData data, RunListener listener, AtomicBoolean stop) {
        FastPath.useHelpers(spec.fast());
        FastPath.Status status = FastPath.check();
        ImageData d = spec.input().apply(data.limit(spec.trainExamples(), spec.testExamples()));
        int n = d.train().numExamples();
        if (n < 1) {
            throw new IllegalArgumentException("no training examples");
        }
        int itersPerEpoch = (n + spec.batch() - 1) / spec.batch();
        int every = logEvery(spec, itersPerEpoch);
        listener.started(spec, itersPerEpoch * spec.epochs(), status.describe());

        INDArray x = flat(d);
        INDArray y = d.train().getLabels();
        Net net = build(spec, d, x);
        FastPath.skipInputGradient(net.model());
        net.initLog().forEach(m -> listener.log(spec, m));
        listener.initSignal(spec, InitProbe.measure(net, batch(x, y, probeIndices(n, spec.batch()), d)));
        listener.prognosis(spec, spec.probe() ? prognosis(spec, d, net, x) : RunPrognosis.skipped());
        // Always attached: its early warnings (diverging, stalled) cost a few reductions per iteration; the signal
        // samples and their CSV only with --signal-every.
        SignalListener.Builder sb = SignalListener.builder().onWarning(w -> listener.log(spec, EARLY_WARNING + w));
        SignalListener signal = spec.signalEvery() > 0
                ? sb.every(spec.signalEvery())
                        .csv(java.nio.file.Path.of(spec.signalDir(), spec.signalFile()))
                        .build()
                : sb.warningsOnly().build();
        if (net.multiLayer().isPresent()) {
            net.multiLayer().get().addListeners(signal);
        } else {
            net.graph().orElseThrow().addListeners(signal);
        }

        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        double trainNanosWindow = 0;
        int examplesWindow = 0;
        double lossSum = 0;
        int lossCount = 0;
        double lastLoss = Double.NaN;
        double lastAcc = Double.NaN;
        double bestAcc = Double.NaN;
        int epochsDone = 0;
        int divergedAt = 0;
        int it = 0;
        Random shuffle = shuffle(spec);
        outer:
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            int[] perm = permutation(n, shuffle);
            for (int b = 0; b < itersPerEpoch; b++) {
                if (stop.get()) {
                    break outer;
                }
                int from = b * spec.batch();
                int to = Math.min(n, from + spec.batch());
                int[] idx = java.util.Arrays.copyOfRange(perm, from, to);
                DataSet mb = batch(x, y, idx, d);
                long s = System.nanoTime();
                net.fit(mb);
                double loss = net.score();
                trainNanosWindow += System.nanoTime() - s;
                examplesWindow += idx.length;
                it++;
                listener.iteration(spec, it, loss);
                boolean bad = !Double.isFinite(loss);
                if (!bad) {
                    lossSum += loss;
                    lossCount++;
                }
                boolean epochEnd = b == itersPerEpoch - 1;
                if (bad || epochEnd || it % every == 0) {
                    double acc = Double.NaN;
                    if (epochEnd && !bad) {
                        acc = net.accuracy(d.test(), 500);
                        lastAcc = acc;
                        bestAcc = Double.isNaN(bestAcc) ? acc : Math.max(bestAcc, acc);
                        epochsDone = epoch;
                    }
                    double rowLoss = bad ? loss : lossSum / Math.max(1, lossCount);
                    lastLoss = rowLoss;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    double eps = trainNanosWindow > 0 ? examplesWindow / (trainNanosWindow / 1e9) : 0;
                    listener.row(
                            spec,
                            new MetricsRow(
                                    spec.init().cliName(),
                                    spec.activation().cliName(),
                                    spec.depth(),
                                    spec.seed(),
                                    epoch,
                                    it,
                                    rowLoss,
                                    acc,
                                    secs,
                                    eps));
                    trainNanosWindow = 0;
                    examplesWindow = 0;
                    lossSum = 0;
                    lossCount = 0;
                    if (bad) {
                        divergedAt = it;
                        listener.log(
                                spec,
                                "diverged: loss " + loss + " at iteration " + it + " (epoch " + epoch
                                        + "); run stopped");
                        break outer;
                    }
                    if (epochEnd) {
                        listener.log(
                                spec,
                                String.format(
                                        java.util.Locale.ROOT,
                                        "epoch %d/%d  iteration %d  loss %.4f  test accuracy %.2f %%  (%.0f s)",
                                        epoch,
                                        spec.epochs(),
                                        it,
                                        rowLoss,
                                        100 * acc,
                                        secs));
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (spec.signalEvery() > 0) {
            try {
                signal.close();
                if (signal.firstAlarmIteration() >= 0) {
                    listener.log(
                            spec,
                            "signal: first alarm " + signal.firstAlarmVerdicts() + " at iteration "
                                    + signal.firstAlarmIteration());
                }
            } catch (java.io.IOException e) {
                listener.log(spec, "signal: could not write " + spec.signalFile() + ": " + e.getMessage());
            }
        }
        RunResult r = new RunResult(
                spec.label(),
                spec.init().cliName(),
                spec.activation().cliName(),
                spec.depth(),
                spec.seed(),
                lastLoss,
                lastAcc,
                bestAcc,
                epochsDone,
                secs,
                (cpuNanos() - cpu0) / 1e9,
                divergedAt,
                status.describe());
        listener.finished(spec, r);
        return r;
    }

    /**
     * The run's prognosis before its first step, on a copy of {@code net}; a probe that throws is recorded, not
     * rethrown: the run itself may still train.
     */
    private static RunPrognosis prognosis(RunSpec spec, ImageData d, Net net, INDArray x) {
        try {
            return RunPrognosis.of(ProbeRun.prognosis(spec, d, net, x));
        } catch (RuntimeException e) {
            return RunPrognosis.failed(e.toString());
        }
    }

    /** The training features as rows of pixels, so that batches are row selections. */
    static INDArray flat(ImageData d) {
        return d.train()
                .getFeatures()
                .reshape('c', d.train().numExamples(), (long) d.channels() * d.height() * d.width());
    }

    /**
     * Seeds ND4J's RNG with the run's seed and builds the run's initialized network (a data-driven init fitted on
     * the first batch), as every run and its probe do.
     */
    static Net build(RunSpec spec, ImageData d, INDArray x) {
        Nd4j.getRandom().setSeed(spec.seed());
        int n = d.train().numExamples();
        ImageShape shape = new ImageShape(d.channels(), d.height(), d.width(), d.classes());
        TrainSetup setup = new TrainSetup(spec.iupdater(), spec.seed(), FastPath.cacheMode(spec.fast()));
        DataSet sample = spec.init().needsData()
                ? batch(x, d.train().getLabels(), firstIndices(Math.min(n, spec.batch())), d)
                : null;
        return Net.create(
                spec.arch(), spec.depth(), spec.width(), shape, spec.init(), spec.activation(), setup, sample);
    }

    /** Examples measured at init: up to {@value InitSignal#PROBE_EXAMPLES}, after the batch a data-driven init was fitted on. */
    static int[] probeIndices(int n, int batch) {
        int m = Math.min(n, InitSignal.PROBE_EXAMPLES);
        int from = Math.max(0, Math.min(batch, n - m));
        int[] a = new int[m];
        for (int i = 0; i < m; i++) {
            a[i] = from + i;
        }
        return a;
    }

    private static int[] firstIndices(int k) {
        int[] a = new int[k];
        for (int i = 0; i < k; i++) {
            a[i] = i;
        }
        return a;
    }

    /** The data-order RNG of a run (seeded by the run's seed; the probe replays its first batches). */
    static Random shuffle(RunSpec spec) {
        return new Random(spec.seed() * 0x9E3779B97F4A7C15L + 1);
    }

    static int[] permutation(int n, Random rnd) {
        int[] p = firstIndices(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static DataSet batch(INDArray x, INDArray y, int[] idx, ImageData d) {
        INDArray f = rows(x, idx).reshape('c', idx.length, d.channels(), d.height(), d.width());
        return new DataSet(f, rows(y, idx));
    }

    /**
     * The rows {@code idx} of a matrix, as a new array. {@code Nd4j.pullRows} is one native gather; {@code getRows}
     * copies row by row and cost 5–8 ms per minibatch of 64 (about a tenth of a fast-path iteration; {@code bench
     * --profile}). Same values.
     */
    public static INDArray rows(INDArray matrix, int[] idx) {
        return Nd4j.pullRows(matrix, 1, idx);
    }

    /** CPU time of this process (all threads, native ones included), in ns; -1 if unavailable. */
    public static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
