package dev.heinit.diagnostics;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;

/** Small deterministic networks and batches shared by the diagnostics tests. */
final class TestNets {

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
    static MultiLayerNetwork mlp(int depth, int width, Activation act, IWeightInit init, double bias, long seed) {
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

    static HeInit he() {
        return HeInit.normal();
    }
}
