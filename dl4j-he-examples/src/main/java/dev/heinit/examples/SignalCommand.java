package dev.heinit.examples;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signal}: per-layer activation RMS of a deep plain MLP on one Gaussian batch, DL4J XAVIER next to HeInit.
 *
 * <p>He's init keeps {@code E[h²]} constant through depth ({@code fan_in·Var(W)·E[f(z)²] = 1}); Xavier's
 * {@code Var(W) = 2/(fan_in+fan_out) = 1/width} halves it per ReLU layer, so its RMS column decays by √2 per layer
 * (He et al. 2015, §2.2).
 */
@Command(name = "signal", mixinStandardHelpOptions = true,
        description = "Per-layer activation RMS of a deep plain MLP on one Gaussian batch: DL4J XAVIER vs HeInit.")
public final class SignalCommand implements Callable<Integer> {

    @Option(names = "--depth", defaultValue = "30", description = "hidden layers (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--width", defaultValue = "256", description = "units per layer (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--nonlinearity", defaultValue = "relu",
            description = "relu | leaky:SLOPE (e.g. leaky:0.1) | gelu | silu | tanh (default: ${DEFAULT-VALUE})")
    String nonlinearity;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Gaussian input rows (default: ${DEFAULT-VALUE})")
    int batch;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A DL4J activation and the HeInit nonlinearity that matches it. */
    record Pair(IActivation activation, Nonlinearity nonlinearity, String note) {
    }

    /**
     * Parses a --nonlinearity value.
     *
     * @throws IllegalArgumentException naming the value and the valid forms
     */
    static Pair parse(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "relu":
                return new Pair(new ActivationReLU(), Nonlinearity.RELU, "");
            case "gelu":
                return new Pair(new ActivationGELU(), Nonlinearity.GELU,
                        "DL4J's GELU is the sigmoid approximation x*sigmoid(1.702x); HeInit's gain is for exact GELU "
                                + "(0.4 % apart per layer)");
            case "silu":
                return new Pair(new ActivationSwish(), Nonlinearity.SILU, "");
            case "tanh":
                return new Pair(new ActivationTanH(), Nonlinearity.TANH, "");
            default:
                if (s.startsWith("leaky:")) {
                    double a;
                    try {
                        a = Double.parseDouble(s.substring(6));
                    } catch (NumberFormatException e) {
                        a = Double.NaN;
                    }
                    if (!Double.isFinite(a) || a < 0 || a >= 1) {
                        throw new IllegalArgumentException("leaky slope must be a number in [0, 1), got '"
                                + s.substring(6) + "' in --nonlinearity " + v);
                    }
                    return new Pair(new ActivationLReLU(a), Nonlinearity.leakyRelu(a), "");
                }
                throw new IllegalArgumentException("--nonlinearity must be relu, leaky:SLOPE, gelu, silu or tanh, got '"
                        + v + "'");
        }
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        TrainOptions.check(cl, depth >= 1, "--depth must be >= 1, got " + depth);
        TrainOptions.check(cl, width >= 1, "--width must be >= 1, got " + width);
        TrainOptions.check(cl, batch >= 2, "--batch must be >= 2, got " + batch);
        Pair p;
        try {
            p = parse(nonlinearity);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        // A seed of its own for the inputs: DL4J re-seeds ND4J's RNG with the configuration seed before drawing
        // weights, so inputs drawn from the same seed would repeat the weights' numbers and correlate with them.
        Nd4j.getRandom().setSeed(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, width);
        List<Double> xavier = rms(p, WeightInit.XAVIER.getWeightInitFunction(), x);
        List<Double> he = rms(p, HeInit.normal().nonlinearity(p.nonlinearity()), x);
        PrintWriter out = cl.getOut();
        out.printf(Locale.ROOT, "Deep plain MLP: %d hidden layers x %d units, %s, one batch of %d N(0,1) inputs, seed %d%n",
                depth, width, nonlinearity, batch, seed);
        if (!p.note().isEmpty()) {
            out.println("note: " + p.note());
        }
        out.printf(Locale.ROOT, "%5s  %14s  %14s%n", "layer", "RMS XAVIER", "RMS HeInit");
        out.printf(Locale.ROOT, "%5s  %14.6g  %14.6g%n", "input", xavier.get(0), he.get(0));
        for (int i = 1; i < xavier.size(); i++) {
            out.printf(Locale.ROOT, "%5d  %14.6g  %14.6g%n", i, xavier.get(i), he.get(i));
        }
        out.printf(Locale.ROOT, "ratio last/first hidden layer: XAVIER %.3g, HeInit %.3g%n",
                xavier.get(xavier.size() - 1) / xavier.get(1), he.get(he.size() - 1) / he.get(1));
        out.flush();
        return 0;
    }

    /** RMS of the input and of each hidden layer's activations. */
    private List<Double> rms(Pair p, IWeightInit init, INDArray x) {
        MultiLayerNetwork net = new MultiLayerNetwork(Models.mlp(depth, width, width, 1, p.activation(), init,
                new TrainSetup(new Sgd(0.0), seed, CacheMode.NONE)));
        net.init();
        List<INDArray> acts = net.feedForward(x, false);
        // acts: input, then one per layer; the last is the linear output layer, not reported
        return acts.subList(0, depth + 1).stream()
                .map(a -> Math.sqrt(a.castTo(DataType.DOUBLE).norm2Number().doubleValue()
                        * a.castTo(DataType.DOUBLE).norm2Number().doubleValue() / a.length()))
                .toList();
    }
}
