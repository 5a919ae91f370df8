package dev.heinit.examples.cli;

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
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.train.Trainer;

/**
 * Hidden: one timed training loop in a child process of {@code bench}; prints examples, wall s, CPU s, the
 * activation's own milliseconds per step, status.
 */
@Command(name = "worker", hidden = true)
final class BenchWorker implements Callable<Integer> {

    static final String PREFIX = "@@BENCH ";

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
                new TrainSetup(new Nesterovs(1e-3, 0.9), 1, FastPath.cacheMode(fast)),
                net.down,
                act));
        n.init();
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
        while (warm < 3 || (System.nanoTime() - w0) < 1.5e9 && warm < 20) {
            n.fit(batches[warm++ % batches.length]);
        }
        long cpu0 = Trainer.cpuNanos();
        long t0 = System.nanoTime();
        long examples = 0;
        int it = 0;
        while (it < 3 || (System.nanoTime() - t0) < seconds * 1e9) {
            n.fit(batches[it++ % batches.length]);
            examples += batch;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (Trainer.cpuNanos() - cpu0) / 1e9;
        double actMs = activationMillisPerStep(act, n);
        System.out.println(PREFIX
                + String.format(Locale.ROOT, "%d %.4f %.4f %.4f %s", examples, wall, cpu, actMs, status.describe()));
        System.out.flush();
        return 0;
    }

    /**
     * Wall milliseconds the hidden layers' activation costs per training step, measured alone: forward
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
            long t = System.nanoTime();
            for (INDArray[] c : copies) {
                f.getActivation(c[0], true);
                f.backprop(c[1], c[2]);
            }
            rounds[r] = (System.nanoTime() - t) / 1e6;
        }
        double[] timed = java.util.Arrays.copyOfRange(rounds, 1, rounds.length);
        java.util.Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
