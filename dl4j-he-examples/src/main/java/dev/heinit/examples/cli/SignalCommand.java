package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.diagnostics.LayerSignal;
import dev.heinit.diagnostics.SignalPropagation;
import dev.heinit.diagnostics.SignalReport;
import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.report.Charts;
import dev.heinit.stats.TensorStats;

/**
 * {@code signal}: per-layer activation RMS and backpropagated δ RMS of a deep plain network, DL4J XAVIER next to
 * HeInit, measured by {@link SignalPropagation} (one forward and one backward pass).
 *
 * <p>He's init keeps {@code E[h²]} constant through depth ({@code fan_in·Var(W)·E[f(z)²] = 1}); Xavier's
 * {@code Var(W) = 2/(fan_in+fan_out) = 1/width} halves it per ReLU layer, so its RMS column decays by √2 per layer
 * (He et al. 2015, §2.2), and so does δ going backwards.
 */
@Command(
        name = "signal",
        mixinStandardHelpOptions = true,
        description = "Per-layer activation and gradient (delta) RMS of a deep plain network, DL4J XAVIER vs HeInit, "
                + "with verdicts (VANISHING, EXPLODING, DEAD_UNITS, ...).")
public final class SignalCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            defaultValue = "mlp",
            description = "mlp (dense layers, Gaussian inputs, synthetic loss) | cnn (the compare command's plain CNN "
                    + "on a batch of the bundled MNIST digits) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--depth",
            defaultValue = "30",
            description = "mlp: hidden layers; cnn: weight layers, conv + output (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(
            names = "--width",
            defaultValue = "256",
            description = "mlp: units per layer; cnn: channels (16 if not given) (default: ${DEFAULT-VALUE})")
    int width;

    @Option(
            names = "--nonlinearity",
            defaultValue = "relu",
            description =
                    "relu | leaky:SLOPE (e.g. leaky:0.1) | gelu | silu | tanh | elu | selu (default: ${DEFAULT-VALUE})")
    String nonlinearity;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "examples in the batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--csv", description = "write both reports' per-layer statistics as CSV (column init first)")
    Path csv;

    @Option(names = "--png", description = "write a chart of activation and delta RMS per layer, log scale")
    Path png;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A DL4J activation and the HeInit nonlinearity that matches it. */
    record Pair(IActivation activation, Nonlinearity nonlinearity) {}

    /**
     * Parses a --nonlinearity value (the values of {@code compare --activation}).
     *
     * @throws IllegalArgumentException naming the value and the valid forms
     */
    static Pair parse(String v) {
        HiddenActivation a = HiddenActivation.parse(v);
        return new Pair(a.activation(), a.nonlinearity());
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        TrainOptions.check(
                cl, model.equals("mlp") || model.equals("cnn"), "--model must be mlp or cnn, got '" + model + "'");
        boolean cnn = model.equals("cnn");
        TrainOptions.check(cl, depth >= (cnn ? 2 : 1), "--depth must be >= " + (cnn ? 2 : 1) + ", got " + depth);
        TrainOptions.check(cl, width >= 1, "--width must be >= 1, got " + width);
        TrainOptions.check(cl, batch >= 2, "--batch must be >= 2, got " + batch);
        TrainOptions.check(
                cl, !cnn || batch <= 8000, "--batch must be <= 8000 (the bundled training digits), got " + batch);
        Pair p;
        try {
            p = parse(nonlinearity);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        TrainOptions.check(
                cl,
                !cnn || p.nonlinearity().equals(Nonlinearity.RELU),
                "--model cnn is the compare command's ReLU CNN; --nonlinearity must be relu there, got '" + nonlinearity
                        + "'");
        int channels = cl.getParseResult().hasMatchedOption("--width") ? width : 16;
        DataSet data;
        if (cnn) {
            data = (DataSet) Datasets.bundledMnist().train().getRange(0, batch);
        } else {
            // A seed of its own for the inputs: DL4J re-seeds ND4J's RNG with the configuration seed before drawing
            // weights, so inputs drawn from the same seed would repeat the weights' numbers and correlate with them.
            Nd4j.getRandom().setSeed(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
            data = new DataSet(Nd4j.randn(DataType.FLOAT, batch, width), null);
        }
        SignalReport xavier = measure(p, WeightInit.XAVIER.getWeightInitFunction(), data, cnn, channels);
        SignalReport he = measure(p, HeInit.normal().nonlinearity(p.nonlinearity()), data, cnn, channels);

        PrintWriter out = cl.getOut();
        if (cnn) {
            out.printf(
                    Locale.ROOT,
                    "Plain CNN: %d weight layers (%d convolutions x %d channels, %s), a batch of %d "
                            + "bundled MNIST digits with their labels, seed %d%n",
                    depth,
                    depth - 1,
                    channels,
                    nonlinearity,
                    batch,
                    seed);
        } else {
            out.printf(
                    Locale.ROOT,
                    "Deep plain MLP: %d hidden layers x %d units, %s, one batch of %d N(0,1) inputs "
                            + "(synthetic loss for the backward pass), seed %d%n",
                    depth,
                    width,
                    nonlinearity,
                    batch,
                    seed);
        }
        out.printf(
                Locale.ROOT,
                "%5s  %14s  %14s  %14s  %14s%n",
                "layer",
                "RMS XAVIER",
                "RMS HeInit",
                "delta XAVIER",
                "delta HeInit");
        double inRms = TensorStats.of(data.getFeatures()).rms();
        out.printf(Locale.ROOT, "%5s  %14.6g  %14.6g  %14s  %14s%n", "input", inRms, inRms, "", "");
        List<LayerSignal> hx = hidden(xavier);
        List<LayerSignal> hh = hidden(he);
        for (int i = 0; i < hx.size(); i++) {
            out.printf(
                    Locale.ROOT,
                    "%5d  %14.6g  %14.6g  %14.6g  %14.6g%n",
                    i + 1,
                    hx.get(i).activation().rms(),
                    hh.get(i).activation().rms(),
                    hx.get(i).delta().rms(),
                    hh.get(i).delta().rms());
        }
        out.printf(
                Locale.ROOT,
                "ratio last/first hidden layer: XAVIER %.3g, HeInit %.3g%n",
                hx.get(hx.size() - 1).activation().rms()
                        / hx.get(0).activation().rms(),
                hh.get(hh.size() - 1).activation().rms()
                        / hh.get(0).activation().rms());
        out.printf(Locale.ROOT, "verdicts: XAVIER %s, HeInit %s%n", xavier.verdicts(), he.verdicts());
        if (csv != null) {
            StringBuilder sb =
                    new StringBuilder("init,").append(SignalReport.CSV_HEADER).append('\n');
            xavier.appendCsvRows(sb, "xavier,");
            he.appendCsvRows(sb, "he,");
            Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
            out.println("wrote " + csv);
        }
        if (png != null) {
            writeChart(hx, hh, png);
            out.println("wrote " + png);
        }
        out.flush();
        return 0;
    }

    private SignalReport measure(Pair p, IWeightInit init, DataSet data, boolean cnn, int channels) {
        TrainSetup setup = new TrainSetup(new Sgd(0.0), seed, CacheMode.NONE);
        MultiLayerConfiguration conf = cnn
                ? Models.plainCnn(depth, channels, ImageShape.MNIST, init, setup)
                : Models.mlp(depth, width, width, 1, p.activation(), init, setup);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return data.getLabels() == null
                ? SignalPropagation.measure(net, data.getFeatures())
                : SignalPropagation.measure(net, data);
    }

    /** The layers before the output layer. */
    private static List<LayerSignal> hidden(SignalReport r) {
        List<LayerSignal> out = new ArrayList<>();
        for (LayerSignal l : r.layers()) {
            if (!l.isOutput()) {
                out.add(l);
            }
        }
        return out;
    }

    private static void writeChart(List<LayerSignal> hx, List<LayerSignal> hh, Path file) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("activation RMS, XAVIER", rms(hx, true));
        series.put("activation RMS, HeInit", rms(hh, true));
        series.put("delta RMS, XAVIER", rms(hx, false));
        series.put("delta RMS, HeInit", rms(hh, false));
        Charts.perLayerLog(file, "Signal propagation: XAVIER vs HeInit", "RMS (log scale)", series);
    }

    /** Activation (forward) or δ RMS of each layer, in layer order. */
    private static double[] rms(List<LayerSignal> layers, boolean forward) {
        return layers.stream()
                .mapToDouble(l -> forward ? l.activation().rms() : l.delta().rms())
                .toArray();
    }
}
