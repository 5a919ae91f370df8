package dev.heinit.examples.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.model.UpdaterBlocks;
import dev.heinit.examples.train.Trainer;

/**
 * {@code bench updater}: the CPU time of one training step of the plain tanh CNN at several depths, with DL4J's
 * single updater block (all layers share one updater configuration) and with the examples' per-layer blocks
 * ({@link UpdaterBlocks}), side by side in one process: two networks from the same configuration and seed, steps
 * interleaved on the same minibatch of 64 bundled digits, median process CPU-seconds per step; and whether the two
 * give bitwise the same losses and parameters.
 */
@Command(
        name = "updater",
        mixinStandardHelpOptions = true,
        description = "CPU-s per training step of the plain tanh CNN: DL4J's one updater block vs the examples'"
                + " per-layer blocks, side by side; bitwise check of the losses.")
final class BenchUpdaterCommand implements Callable<Integer> {

    @Option(
            names = "--depths",
            split = ",",
            defaultValue = "100,330",
            description = "weight layers (default: ${DEFAULT-VALUE})")
    List<Integer> depths;

    @Option(names = "--steps", defaultValue = "3", description = "timed steps per network (default: ${DEFAULT-VALUE})")
    int steps;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        for (int d : depths) {
            if (d < 2) {
                throw new CommandLine.ParameterException(cl, "--depths must be >= 2, got " + d);
            }
        }
        if (steps < 1) {
            throw new CommandLine.ParameterException(cl, "--steps must be >= 1, got " + steps);
        }
        FastPath.useHelpers(true);
        // One native thread, as every training run of the examples: with more, OpenMP's spinning workers on a
        // loaded machine count as process CPU time.
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        ImageData data = Datasets.bundledMnist();
        DataSet batch = new DataSet(
                data.train().getFeatures().get(NDArrayIndex.interval(0, 64)).dup(),
                data.train().getLabels().get(NDArrayIndex.interval(0, 64)).dup());
        PrintWriter out = cl.getOut();
        out.println("plain CNN, tanh, 16 channels, delta-orthogonal init, Nesterov lr 0.001, batch 64, one native"
                + " thread; median process CPU-s per step of " + steps
                + " interleaved steps after one untimed step each; "
                + FastPath.check().describe());
        out.println("| depth | DL4J's blocks | CPU-s per step | per-layer blocks | CPU-s per step | ratio |"
                + " losses and parameters |");
        out.println("|---|---|---|---|---|---|---|");
        for (int d : depths) {
            MultiLayerNetwork one = net(d, true);
            MultiLayerNetwork per = net(d, false);
            double[][] cpu = new double[2][steps];
            double[][] loss = new double[2][steps];
            MultiLayerNetwork[] nets = {one, per};
            for (MultiLayerNetwork n : nets) {
                n.fit(batch);
            }
            for (int s = 0; s < steps; s++) {
                for (int k = 0; k < 2; k++) {
                    long c = Trainer.cpuNanos();
                    nets[k].fit(batch);
                    cpu[k][s] = (Trainer.cpuNanos() - c) / 1e9;
                    loss[k][s] = nets[k].score();
                }
            }
            boolean same = Arrays.equals(loss[0], loss[1])
                    && Arrays.equals(
                            one.params().data().asFloat(), per.params().data().asFloat());
            double a = median(cpu[0]);
            double b = median(cpu[1]);
            out.printf(
                    Locale.ROOT,
                    "| %d | %d | %.3f | %d | %.3f | %.1f× | %s |%n",
                    d,
                    blocks(one),
                    a,
                    blocks(per),
                    b,
                    a / b,
                    same ? "bitwise identical" : "DIFFER");
            out.flush();
        }
        return 0;
    }

    private static MultiLayerNetwork net(int depth, boolean oneBlock) {
        HiddenActivation tanh = HiddenActivation.parse("tanh");
        TrainSetup setup = new TrainSetup(new Nesterovs(0.001, 0.9), 1, FastPath.cacheMode(true));
        MultiLayerConfiguration c = (MultiLayerConfiguration) InitScheme.DELTA_ORTHOGONAL.configure(
                Models.plainCnn(depth, 16, ImageShape.MNIST, InitScheme.DELTA_ORTHOGONAL.layerInit(tanh), setup, tanh),
                ImageShape.MNIST);
        if (oneBlock) {
            UpdaterBlocks.oneBlock(c);
        }
        Nd4j.getRandom().setSeed(1);
        MultiLayerNetwork n = new MultiLayerNetwork(c);
        n.init();
        Nd4j.getRandom().setSeed(2);
        InitScheme.DELTA_ORTHOGONAL.afterInit(n, null);
        return n;
    }

    private static int blocks(MultiLayerNetwork n) {
        return ((BaseMultiLayerUpdater<?>) n.getUpdater()).getUpdaterBlocks().size();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
