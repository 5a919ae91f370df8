package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.HeInit;
import dev.heinit.OrthogonalInit;
import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.lsuv.Lsuv;
import dev.heinit.lsuv.LsuvReport;

/**
 * {@code lsuv}: runs {@link Lsuv} (Mishkin &amp; Matas 2016: orthonormal init, then per layer
 * {@code W ← W·√(target/Var z)} until {@code |Var z/target − 1| < tol}) on the compare command's plain CNN with a
 * batch of the bundled MNIST digits, and prints its per-layer report.
 */
@Command(
        name = "lsuv",
        mixinStandardHelpOptions = true,
        description =
                "Run LSUV on the built-in deep CNN with a batch of the bundled MNIST digits and print its report.")
public final class LsuvCommand implements Callable<Integer> {

    @Option(
            names = "--depth",
            defaultValue = "30",
            description = "weight layers, conv + output (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--width", defaultValue = "16", description = "channels (default: ${DEFAULT-VALUE})")
    int width;

    @Option(
            names = "--batch",
            defaultValue = "64",
            description = "digits in the LSUV batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--tolerance",
            defaultValue = "0.1",
            description = "|Var/target - 1| to reach (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(
            names = "--max-iterations",
            defaultValue = "10",
            description = "rescalings per layer (default: ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(
            names = "--on-he",
            description = "start from HeInit weights and only rescale them (he+lsuv) instead of "
                    + "the orthonormal pre-init")
    boolean onHe;

    @Option(
            names = "--target-variance",
            defaultValue = "1",
            description = "pre-activation variance to reach; 0.01 is Lsuv.smallSignal(), the small-signal regime that "
                    + "trains deep GELU/SiLU nets (default: ${DEFAULT-VALUE})")
    double targetVariance;

    @Option(
            names = "--activation",
            defaultValue = "relu",
            converter = TrainOptions.ActivationConverter.class,
            description = "hidden activation: " + HiddenActivation.VALID + " (default: ${DEFAULT-VALUE})")
    HiddenActivation activation;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--csv", description = "also write the report as CSV to this file")
    Path csv;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        TrainOptions.check(cl, depth >= 2, "--depth must be >= 2, got " + depth);
        TrainOptions.check(cl, width >= 1, "--width must be >= 1, got " + width);
        TrainOptions.check(
                cl,
                batch >= 2 && batch <= 8000,
                "--batch must be in [2, 8000] (the bundled training digits), got " + batch);
        TrainOptions.check(cl, tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got " + tolerance);
        TrainOptions.check(cl, maxIterations >= 1, "--max-iterations must be >= 1, got " + maxIterations);
        TrainOptions.check(
                cl,
                targetVariance > 0 && Double.isFinite(targetVariance),
                "--target-variance must be > 0 and finite, got " + targetVariance);
        MultiLayerNetwork net = new MultiLayerNetwork(Models.plainCnn(
                depth,
                width,
                ImageShape.MNIST,
                onHe ? HeInit.normal().nonlinearity(activation.nonlinearity()) : new OrthogonalInit(),
                new TrainSetup(new Sgd(0.1), seed, CacheMode.NONE),
                activation));
        net.init();
        DataSet data = (DataSet) Datasets.bundledMnist().train().getRange(0, batch);
        long t0 = System.nanoTime();
        LsuvReport report = Lsuv.builder()
                .tolerance(tolerance)
                .maxIterations(maxIterations)
                .orthonormal(!onHe)
                .targetVariance(targetVariance)
                .build()
                .initialize(net, data);
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = cl.getOut();
        out.printf(
                Locale.ROOT,
                "LSUV on the plain CNN (%d weight layers, %d channels, %s), %d bundled MNIST digits, "
                        + "target variance %s, tolerance %s, %s, seed %d: %.2f s%n",
                depth,
                width,
                activation.cliName(),
                batch,
                targetVariance,
                tolerance,
                onHe ? "on HeInit weights" : "orthonormal pre-init",
                seed,
                seconds);
        out.print(report.toText());
        if (csv != null) {
            Files.writeString(csv, report.toCsv(), StandardCharsets.UTF_8);
            out.println("wrote " + csv);
        }
        out.flush();
        return 0;
    }
}
