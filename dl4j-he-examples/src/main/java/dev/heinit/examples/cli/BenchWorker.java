package dev.heinit.examples.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.HeInit;
import dev.heinit.examples.bench.BenchNet;
import dev.heinit.examples.bench.PhaseTimer;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.train.Trainer;

/**
 * Hidden: one timed training loop in a child process of {@code bench}; prints examples, wall s, process CPU s,
 * training-thread CPU s (without the JIT compiler, GC and ND4J's deallocator threads), the activation's own
 * milliseconds per step, status.
 */
@Command(name = "worker", hidden = true)
final class BenchWorker implements Callable<Integer> {

    static final String PREFIX = "@@BENCH ";

    /** Prefix of the --profile lines: "ms-per-iteration phase name". */
    static final String PHASE_PREFIX = "@@PHASE ";

    /** Learning rate of the timed Nesterov SGD (momentum 0.9); the PyTorch side uses the same. */
    static final double LR = 1e-3;

    @Option(names = "--net", required = true)
    BenchNet net;

    @Option(names = "--fast", arity = "1", required = true)
    boolean fast;

    @Option(names = "--seconds", required = true)
    double seconds;

    @Option(names = "--batch", required = true)
    int batch;

    @Option(names = "--activation", defaultValue = "relu")
    String activation;

    @Option(names = "--profile")
    boolean profile;

    @Option(names = "--warmup", defaultValue = "1.5")
    double warmup;

    private DataSet[] batches;

    @Override
    public Integer call() {
        FastPath.useHelpers(fast);
        FastPath.Status status = FastPath.check();
        HiddenActivation act = HiddenActivation.parse(activation);
        MultiLayerNetwork n = new MultiLayerNetwork(Models.plainCnn(
                net.depth,
                net.width,
                ImageShape.MNIST,
                HeInit.normal().nonlinearity(act.nonlinearity()),
                new TrainSetup(new Nesterovs(LR, 0.9), 1, FastPath.cacheMode(fast)),
                net.down,
                act));
        n.init();
        List<String> noInputGradient = FastPath.skipInputGradient(n);
        Nd4j.getRandom().setSeed(7);
        batches = new DataSet[4];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = new DataSet(
                    Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28),
                    Nd4j.eye(10)
                            .castTo(DataType.FLOAT)
                            .getRows(Nd4j.getRandom().nextInt(10))
                            .repeat(0, batch));
        }
        // warm-up: JIT, workspaces and oneDNN primitive caches
        long w0 = System.nanoTime();
        int warm = 0;
        while (warm < 3 || (System.nanoTime() - w0) < warmup * 1e9) {
            n.fit(batches[warm++ % batches.length]);
        }
        PhaseTimer phases = new PhaseTimer();
        if (profile) {
            n.addListeners(phases);
        }
        long cpu0 = Trainer.cpuNanos();
        long thread0 = PhaseTimer.now();
        long t0 = System.nanoTime();
        long examples = 0;
        int it = 0;
        while (it < 3 || (System.nanoTime() - t0) < seconds * 1e9) {
            phases.start();
            n.fit(batches[it++ % batches.length]);
            phases.end();
            examples += batch;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (Trainer.cpuNanos() - cpu0) / 1e9;
        double threadCpu = (PhaseTimer.now() - thread0) / 1e9;
        // under oneDNN's verbose mode only the training steps are wanted: no inference passes after them
        boolean onlySteps = System.getenv("DNNL_VERBOSE") != null;
        if (profile) {
            System.out.println(PHASE_PREFIX + "iterations " + (warm + it));
            phases.millisPerIteration().forEach((k, v) -> printPhase(k, v));
            if (!onlySteps) {
                printPhase("data (minibatch assembly)", dataMillisPerIteration());
                printPhase("evaluation (per iteration of an epoch)", evaluationMillisPerIteration(n));
            }
        }
        double actMs = onlySteps ? Double.NaN : activationMillisPerStep(act, n);
        System.out.println(PREFIX
                + String.format(
                        Locale.ROOT,
                        "%d %.4f %.4f %.4f %.4f %s",
                        examples,
                        wall,
                        cpu,
                        threadCpu,
                        actMs,
                        status.describe() + "; without input gradient: layers " + noInputGradient));
        System.out.flush();
        return 0;
    }

    private static void printPhase(String name, double ms) {
        System.out.println(PHASE_PREFIX + String.format(Locale.ROOT, "%.4f %s", ms, name));
    }

    /**
     * CPU milliseconds (this thread) per iteration of what the trainer does to assemble a minibatch: {@link Trainer#rows} of
     * {@code batch} shuffled rows of an epoch's [8000, 784] feature and [8000, 10] label arrays, reshaped to
     * [batch, 1, 28, 28] (median of 7 epochs' worth of 20 batches).
     */
    private double dataMillisPerIteration() {
        int epoch = BenchCommand.EPOCH;
        INDArray x = Nd4j.rand(DataType.FLOAT, epoch, 28 * 28);
        INDArray y = Nd4j.rand(DataType.FLOAT, epoch, 10);
        java.util.Random rnd = new java.util.Random(3);
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long t = PhaseTimer.now();
            for (int b = 0; b < 20; b++) {
                int[] idx = rnd.ints(batch, 0, epoch).toArray();
                DataSet d = new DataSet(Trainer.rows(x, idx).reshape('c', batch, 1, 28, 28), Trainer.rows(y, idx));
            }
            rounds[r] = (PhaseTimer.now() - t) / 1e6 / 20;
        }
        java.util.Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    /**
     * CPU milliseconds (this thread) of the trainer's end-of-epoch test (inference on 2,000 examples in chunks of 500), spread
     * over the 125 iterations of an epoch of 8,000 at batch 64.
     */
    private double evaluationMillisPerIteration(MultiLayerNetwork n) {
        INDArray test = Nd4j.rand(DataType.FLOAT, 500, 1, 28, 28);
        n.output(test, false);
        long t = PhaseTimer.now();
        for (int c = 0; c < 4; c++) {
            Nd4j.argMax(n.output(test, false), 1);
        }
        double perEpoch = (PhaseTimer.now() - t) / 1e6;
        return perEpoch / Math.ceil((double) BenchCommand.EPOCH / batch);
    }

    /**
     * CPU milliseconds (this thread) the hidden layers' activation costs per training step, measured alone: forward
     * ({@code getActivation}, training mode) and {@code backprop} on arrays of each hidden layer's output shape for
     * this batch, one call pair per layer as in a step (median of 5 rounds after a warm-up round).
     */
    private double activationMillisPerStep(HiddenActivation act, MultiLayerNetwork n) {
        Nd4j.getRandom().setSeed(11);
        java.util.List<INDArray> outs = n.feedForward(batches[0].getFeatures(), false);
        java.util.List<INDArray> zs = new java.util.ArrayList<>();
        for (int i = 1; i < outs.size() - 1; i++) {
            zs.add(Nd4j.randn(DataType.FLOAT, outs.get(i).shape()));
        }
        org.nd4j.linalg.activations.IActivation f = act.activation();
        double[] rounds = new double[6];
        for (int r = 0; r < rounds.length; r++) {
            java.util.List<INDArray[]> copies = new java.util.ArrayList<>();
            for (INDArray z : zs) {
                copies.add(new INDArray[] {z.dup(), z.dup(), z.dup()}); // both calls overwrite their input
            }
            long t = PhaseTimer.now();
            for (INDArray[] c : copies) {
                f.getActivation(c[0], true);
                f.backprop(c[1], c[2]);
            }
            rounds[r] = (PhaseTimer.now() - t) / 1e6;
        }
        double[] timed = java.util.Arrays.copyOfRange(rounds, 1, rounds.length);
        java.util.Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
