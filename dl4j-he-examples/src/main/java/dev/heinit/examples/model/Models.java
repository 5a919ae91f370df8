package dev.heinit.examples.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builders of the networks the examples train and measure. All weight layers take the same {@link IWeightInit};
 * depth counts weight layers (convolutions + output layer), as He et al. 2015 ("Delving deep into rectifiers",
 * §3.2, Fig. 3) count their 22- and 30-layer nets.
 *
 * <p>The plain CNN is the net of the headline result (docs/results/headline.md): {@code depth − 1} 3×3 "same"-padded ReLU convolutions of {@code width}
 * channels, the second, third and fourth of them stride 2 (28→14→7→4 on MNIST, so a deep net works mostly on 4×4
 * maps), then a softmax output layer. No batch norm, no shortcuts, zero biases.
 */
public final class Models {

    private Models() {}

    /**
     * Indices (0-based among the {@code convs} convolutions) that get stride 2: 1, 2 and 3 (those below
     * {@code convs}). The first convolution sees the full 28×28 image, the next three halve it (28→14→7→4), and all
     * further layers work on 4×4 maps — a net whose zero padding keeps only 100 of 144 taps per
     * output on 4×4 maps, the effect the padding-aware fans of a configuration pass correct.
     */
    public static SortedSet<Integer> downsamplePositions(int convs) {
        SortedSet<Integer> s = new TreeSet<>();
        for (int p = 1; p <= 3 && p < convs; p++) {
            s.add(p);
        }
        return s;
    }

    private static void checkDepth(int depth, int width) {
        if (depth < 2) {
            throw new IllegalArgumentException(
                    "depth counts weight layers (convolutions + output) and must be >= 2, got " + depth);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width (channels) must be >= 1, got " + width);
        }
    }

    static NeuralNetConfiguration.Builder base(IWeightInit init, TrainSetup setup) {
        return new NeuralNetConfiguration.Builder()
                .seed(setup.seed())
                .dataType(DataType.FLOAT)
                .updater(setup.updater())
                .weightInit(init)
                .biasInit(0.0)
                .cacheMode(setup.cacheMode())
                .convolutionMode(ConvolutionMode.Same);
    }

    private static ConvolutionLayer conv(int width, int stride, IActivation activation) {
        return new ConvolutionLayer.Builder(3, 3)
                .stride(stride, stride)
                .nOut(width)
                .activation(activation)
                .build();
    }

    private static OutputLayer softmaxOut(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .build();
    }

    /**
     * Plain deep ReLU CNN (no normalization, no shortcuts).
     *
     * @param depth weight layers, convolutions + output (≥ 2)
     * @param width channels of every convolution
     */
    public static MultiLayerConfiguration plainCnn(
            int depth, int width, ImageShape in, IWeightInit init, TrainSetup setup) {
        return plainCnn(depth, width, in, init, setup, downsamplePositions(depth - 1));
    }

    /**
     * Plain deep ReLU CNN with stride 2 at the given convolution indices (0-based), e.g. {@code {0}} for a
     * net whose maps are all 14×14 on MNIST.
     */
    public static MultiLayerConfiguration plainCnn(
            int depth, int width, ImageShape in, IWeightInit init, TrainSetup setup, SortedSet<Integer> down) {
        return plainCnn(depth, width, in, init, setup, down, HiddenActivation.RELU);
    }

    /** {@link #plainCnn(int, int, ImageShape, IWeightInit, TrainSetup)} with {@code act} in every hidden layer. */
    public static MultiLayerConfiguration plainCnn(
            int depth, int width, ImageShape in, IWeightInit init, TrainSetup setup, HiddenActivation act) {
        return plainCnn(depth, width, in, init, setup, downsamplePositions(depth - 1), act);
    }

    /** Plain CNN with stride 2 at {@code down} and {@code act} in every hidden layer. */
    public static MultiLayerConfiguration plainCnn(
            int depth,
            int width,
            ImageShape in,
            IWeightInit init,
            TrainSetup setup,
            SortedSet<Integer> down,
            HiddenActivation act) {
        checkDepth(depth, width);
        int convs = depth - 1;
        NeuralNetConfiguration.ListBuilder b = base(init, setup).list();
        for (int i = 0; i < convs; i++) {
            b.layer(conv(width, down.contains(i) ? 2 : 1, act.activation()));
        }
        b.layer(softmaxOut(in.classes()));
        return UpdaterBlocks.perLayer(b.setInputType(InputType.convolutional(in.height(), in.width(), in.channels()))
                .build());
    }

    /**
     * Residual variant of {@link #plainCnn}: the same {@code depth − 1} convolutions and downsampling positions,
     * but between downsamplings pairs of convolutions form identity-shortcut blocks
     * {@code relu(x + conv(relu(conv(x))))} (He et al. 2016, "Deep residual learning", Fig. 2), built as a
     * {@link ComputationGraphConfiguration}. The stem (first) convolution, the stride-2 convolutions and a
     * convolution left over from pairing stay plain.
     */
    public static ComputationGraphConfiguration residualCnn(
            int depth, int width, ImageShape in, IWeightInit init, TrainSetup setup) {
        return residualCnn(depth, width, in, init, setup, HiddenActivation.RELU);
    }

    /**
     * {@link #residualCnn(int, int, ImageShape, IWeightInit, TrainSetup)} with {@code act} wherever the ReLU
     * version has a ReLU: blocks {@code act(x + conv(act(conv(x))))}.
     */
    public static ComputationGraphConfiguration residualCnn(
            int depth, int width, ImageShape in, IWeightInit init, TrainSetup setup, HiddenActivation act) {
        checkDepth(depth, width);
        int convs = depth - 1;
        SortedSet<Integer> down = downsamplePositions(convs);
        ComputationGraphConfiguration.GraphBuilder g =
                base(init, setup).graphBuilder().addInputs("in");
        String prev = "in";
        int i = 0;
        while (i < convs) {
            boolean pair = i > 0 && !down.contains(i) && i + 1 < convs && !down.contains(i + 1);
            if (pair) {
                String a = "conv" + i;
                String c = "conv" + (i + 1);
                g.addLayer(a, conv(width, 1, act.activation()), prev);
                g.addLayer(c, conv(width, 1, new ActivationIdentity()), a);
                g.addVertex("add" + (i + 1), new ElementWiseVertex(ElementWiseVertex.Op.Add), c, prev);
                g.addLayer(
                        "relu" + (i + 1),
                        new ActivationLayer.Builder()
                                .activation(act.activation())
                                .build(),
                        "add" + (i + 1));
                prev = "relu" + (i + 1);
                i += 2;
            } else {
                String a = "conv" + i;
                g.addLayer(a, conv(width, down.contains(i) ? 2 : 1, act.activation()), prev);
                prev = a;
                i++;
            }
        }
        g.addLayer("out", softmaxOut(in.classes()), prev);
        return UpdaterBlocks.perLayer(g.setOutputs("out")
                .setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()))
                .build());
    }

    /**
     * Deep plain MLP: {@code depth} dense layers of {@code width} units with {@code activation}, then a linear
     * output of {@code nOut} units (MSE), for signal-propagation measurements.
     */
    public static MultiLayerConfiguration mlp(
            int depth, int width, int nIn, int nOut, IActivation activation, IWeightInit init, TrainSetup setup) {
        if (depth < 1 || width < 1 || nIn < 1 || nOut < 1) {
            throw new IllegalArgumentException(
                    "mlp needs depth, width, nIn, nOut >= 1, got " + depth + ", " + width + ", " + nIn + ", " + nOut);
        }
        NeuralNetConfiguration.ListBuilder b = base(init, setup).list();
        for (int i = 0; i < depth; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? nIn : width)
                    .nOut(width)
                    .activation(activation)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(width)
                .nOut(nOut)
                .activation(Activation.IDENTITY)
                .build());
        return b.build();
    }

    /** Stacked LSTM ({@code layers} × {@code hidden} units, tanh) with a softmax RNN output, for sequence examples. */
    public static MultiLayerConfiguration lstmNet(
            int nIn, int hidden, int layers, int nOut, IWeightInit init, TrainSetup setup) {
        if (nIn < 1 || hidden < 1 || layers < 1 || nOut < 1) {
            throw new IllegalArgumentException("lstmNet needs nIn, hidden, layers, nOut >= 1, got " + nIn + ", "
                    + hidden + ", " + layers + ", " + nOut);
        }
        NeuralNetConfiguration.ListBuilder b = base(init, setup).list();
        for (int i = 0; i < layers; i++) {
            b.layer(new LSTM.Builder()
                    .nIn(i == 0 ? nIn : hidden)
                    .nOut(hidden)
                    .activation(Activation.TANH)
                    .weightInitRecurrent(init)
                    .build());
        }
        b.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(hidden)
                .nOut(nOut)
                .activation(Activation.SOFTMAX)
                .build());
        return b.build();
    }

    /**
     * Per-layer multiply-accumulate counts of one forward pass of {@link #plainCnn} (or {@link #residualCnn}: the
     * same convolutions) for one example: conv {@code H_out·W_out·C_out·C_in·9}, dense {@code n_in·n_out}.
     * A training step costs about 3× this in multiply-adds (forward, input gradient, weight gradient), i.e.
     * 6× in FLOPs.
     */
    public static List<Long> forwardMacs(int depth, int width, ImageShape in) {
        return forwardMacs(depth, width, in, downsamplePositions(depth - 1));
    }

    /** {@link #forwardMacs(int, int, ImageShape)} for explicit downsampling positions. */
    public static List<Long> forwardMacs(int depth, int width, ImageShape in, SortedSet<Integer> down) {
        checkDepth(depth, width);
        int convs = depth - 1;
        List<Long> macs = new ArrayList<>();
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        for (int i = 0; i < convs; i++) {
            if (down.contains(i)) {
                h = (h + 1) / 2;
                w = (w + 1) / 2;
            }
            macs.add((long) h * w * width * c * 9);
            c = width;
        }
        macs.add((long) h * w * c * in.classes());
        return macs;
    }
}
