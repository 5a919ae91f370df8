package dev.heinit.examples.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.OrthogonalInit;
import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.lsuv.Lsuv;

/**
 * {@code bench lsuv}: LSUV's cost in units of one full forward pass of the same batch through the same network
 * (a plain CNN, default 50 weight layers, batch 64 of the bundled digits). LSUV forwards each layer alone on the
 * cached output of the layers before it, so the ratio stays constant in depth; the target is ≤ 6. Forward passes
 * and LSUV runs are interleaved (a fresh network per LSUV run), medians reported.
 */
@Command(
        name = "lsuv",
        mixinStandardHelpOptions = true,
        description = "LSUV time / one full forward pass of the same batch, on a deep plain CNN (target <= 6).")
final class BenchLsuvCommand implements Callable<Integer> {

    @Option(names = "--depth", defaultValue = "50", description = "weight layers (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--reps", defaultValue = "5", description = "timed repetitions (default: ${DEFAULT-VALUE})")
    int reps;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (depth < 2) {
            throw new CommandLine.ParameterException(cl, "--depth must be >= 2, got " + depth);
        }
        if (batch < 2 || batch > 8000) {
            throw new CommandLine.ParameterException(cl, "--batch must be in [2, 8000], got " + batch);
        }
        if (reps < 1) {
            throw new CommandLine.ParameterException(cl, "--reps must be >= 1, got " + reps);
        }
        INDArray x = Datasets.bundledMnist()
                .train()
                .getFeatures()
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch))
                .dup();
        MultiLayerNetwork warm = fresh();
        for (int i = 0; i < 3; i++) {
            warm.output(x);
        }
        Lsuv.defaults().initialize(fresh(), x);
        long[] forward = new long[reps];
        long[] lsuv = new long[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            warm.output(x);
            forward[i] = System.nanoTime() - t;
            MultiLayerNetwork n = fresh();
            t = System.nanoTime();
            Lsuv.defaults().initialize(n, x);
            lsuv[i] = System.nanoTime() - t;
        }
        Arrays.sort(forward);
        Arrays.sort(lsuv);
        double f = forward[reps / 2] / 1e6;
        double l = lsuv[reps / 2] / 1e6;
        PrintWriter out = cl.getOut();
        out.printf(
                Locale.ROOT,
                "plain CNN, %d weight layers, 16 channels, batch %d; median of %d interleaved runs%n",
                depth,
                batch,
                reps);
        out.printf(
                Locale.ROOT, "forward pass %.1f ms, LSUV %.1f ms: LSUV / forward = %.2f (target <= 6)%n", f, l, l / f);
        out.flush();
        return 0;
    }

    private MultiLayerNetwork fresh() {
        MultiLayerNetwork n = new MultiLayerNetwork(Models.plainCnn(
                depth, 16, ImageShape.MNIST, new OrthogonalInit(), new TrainSetup(new Sgd(0.1), 1, CacheMode.NONE)));
        n.init();
        return n;
    }
}
