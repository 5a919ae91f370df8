package dev.heinit.examples.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.Net;
import dev.heinit.examples.report.ProbeRecord;
import dev.heinit.prognosis.Prognosis;
import dev.heinit.prognosis.TrainingProbe;

/**
 * The prognosis of one {@link RunSpec} before it trains: builds the run's network exactly as {@link Trainer} does
 * (same seed, same init) and lets the library's {@link TrainingProbe} train a copy on the run's own first batches
 * (the first epoch's shuffle), for a number of steps that keeps the probe within {@value #MAX_SHARE_PERCENT} % of
 * the run's training steps.
 */
public final class ProbeRun {

    /** Upper bound of the probe's cost as a share of the run's steps, in percent (the budget). */
    public static final int MAX_SHARE_PERCENT = 5;
    /**
     * Probe training steps per run step: 35 of the 1,250 steps of the 10-epoch default run, 2.8 %. The two
     * forward-only measurements cost 1–7 steps each on the 30-layer CNN (measured in a warm JVM: 0.06–0.35 CPU-s
     * against 0.05 CPU-s per step, AMD EPYC, one thread). Fewer steps predict worse: re-probed at 25 steps the
     * validation matrix gave 43 / 44 with the fitted thresholds and 40 / 44 leaving one activation out (44 / 44 and
     * 44 / 44 at 35).
     */
    static final double STEPS_PER_RUN_STEP = 0.028;
    /** Fewest probe steps: below about 10 a diverging run (GELU he-critical: NaN at step 9) is not seen. */
    static final int MIN_STEPS = 10;

    private ProbeRun() {}

    /** Probe steps for a run of {@code runSteps} training steps: 2.8 % of them, at least 10, at most 40. */
    public static int steps(long runSteps) {
        long k = Math.round(STEPS_PER_RUN_STEP * runSteps);
        return (int) Math.max(MIN_STEPS, Math.min(TrainingProbe.DEFAULT_STEPS, k));
    }

    /**
     * The prognosis of {@code net}, the run's freshly built network, on the run's first batches of {@code d} (the
     * run's data, already limited and transformed; {@code x} its flattened training features). The probe trains a
     * copy: {@code net}, its parameters and updater state are unchanged, so {@link Trainer} can probe the very
     * network it then trains.
     */
    static Prognosis prognosis(RunSpec spec, ImageData d, Net net, INDArray x) {
        int n = d.train().numExamples();
        int itersPerEpoch = (n + spec.batch() - 1) / spec.batch();
        int k = steps((long) itersPerEpoch * spec.epochs());
        INDArray y = d.train().getLabels();
        int[] perm = Trainer.permutation(n, Trainer.shuffle(spec));
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < Math.min(k, itersPerEpoch); b++) {
            int from = b * spec.batch();
            batches.add(Trainer.batch(x, y, Arrays.copyOfRange(perm, from, Math.min(n, from + spec.batch())), d));
        }
        return TrainingProbe.builder().steps(k).seed(spec.seed()).build().run(net.model(), batches);
    }

    /** Probes the run {@code spec} would train on {@code data}; the seed of the probe is the run's. */
    public static ProbeRecord probe(RunSpec spec, ImageData data) {
        FastPath.useHelpers(spec.fast());
        ImageData d = spec.input().apply(data.limit(spec.trainExamples(), spec.testExamples()));
        int n = d.train().numExamples();
        if (n < 1) {
            throw new IllegalArgumentException("no training examples");
        }
        long runSteps = (long) ((n + spec.batch() - 1) / spec.batch()) * spec.epochs();
        INDArray x = Trainer.flat(d);
        Prognosis p = prognosis(spec, d, Trainer.build(spec, d, x), x);
        return new ProbeRecord(
                spec.init().cliName(),
                spec.activation().cliName(),
                spec.arch().cliName(),
                spec.depth(),
                spec.seed(),
                spec.epochs(),
                runSteps,
                p);
    }
}
