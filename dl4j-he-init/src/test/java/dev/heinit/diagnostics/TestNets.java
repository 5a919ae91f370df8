package dev.heinit.diagnostics;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;

/** Small deterministic networks and batches shared by the diagnostics tests. */
public final class TestNets {

    static final int IN = 32;
    static final int CLASSES = 10;

    private TestNets() {}

    static IWeightInit xavier() {
        return WeightInit.XAVIER.getWeightInitFunction();
    }

    static IWeightInit standardNormal() {
        return new WeightInitDistribution(new NormalDistribution(0, 1));
    }

    /** {@code depth} weighted layers: depth − 1 hidden layers of {@code width} plus a softmax output. */
    public static MultiLayerNetwork mlp(
            int depth, int width, Activation act, IWeightInit init, double bias, long seed) {
        return mlp(depth, width, act.getActivationFunction(), init, bias, seed);
    }

    /** As {@link #mlp(int, int, Activation, IWeightInit, double, long)} with any hidden activation. */
    public static MultiLayerNetwork mlp(
            int depth, int width, IActivation act, IWeightInit init, double bias, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01))
                .weightInit(init)
                .biasInit(bias)
                .list();
        for (int i = 0; i < depth - 1; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? IN : width)
                    .nOut(width)
                    .activation(act)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(width)
                .nOut(CLASSES)
                .activation(Activation.SOFTMAX)
                .biasInit(0)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /**
     * The examples' plain CNN on a 28×28×1 input: {@code depth − 1} 3×3 "same" convolutions of {@code channels},
     * the second to fourth of them stride 2 (28→14→7→4), zero biases, then a 10-class softmax output.
     */
    public static MultiLayerNetwork cnn(int depth, int channels, Activation act, IWeightInit init, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01))
                .weightInit(init)
                .biasInit(0)
                .convolutionMode(ConvolutionMode.Same)
                .list();
        for (int i = 0; i < depth - 1; i++) {
            int s = i >= 1 && i <= 3 ? 2 : 1;
            b.layer(new ConvolutionLayer.Builder(3, 3)
                    .stride(s, s)
                    .nOut(channels)
                    .activation(act)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(CLASSES)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(
                b.setInputType(InputType.convolutional(28, 28, 1)).build());
        net.init();
        return net;
    }

    /** N(0, 1) features and uniformly random one-hot labels. */
    static DataSet batch(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, IN);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(CLASSES), 1.0);
        }
        return new DataSet(x, y);
    }

    public static HeInit he() {
        return HeInit.normal();
    }
}
