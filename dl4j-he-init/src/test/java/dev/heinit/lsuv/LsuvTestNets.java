package dev.heinit.lsuv;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and independent (test-side, plain Java) variance measurements for the LSUV tests. */
final class LsuvTestNets {

    static final int IN = 32;
    static final int WIDTH = 64;

    /** Activations whose pre-activation LSUV must handle; the mix of the 20-layer test. */
    static final Activation[] MIXED = {
        Activation.RELU,
        Activation.TANH,
        Activation.LEAKYRELU,
        Activation.ELU,
        Activation.SELU,
        Activation.SOFTSIGN,
        Activation.SWISH,
        Activation.HARDTANH,
        Activation.SIGMOID,
        Activation.GELU,
        Activation.IDENTITY,
        Activation.SOFTPLUS
    };

    private LsuvTestNets() {}

    /** {@code hidden} dense layers cycling through {@code acts}, then a softmax output: hidden + 1 layers. */
    static MultiLayerNetwork dense(long seed, int hidden, Activation[] acts, DataType dt) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dt)
                .weightInit(WeightInit.XAVIER)
                .list();
        for (int i = 0; i < hidden; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? IN : WIDTH)
                    .nOut(WIDTH)
                    .activation(acts[i % acts.length])
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(WIDTH)
                .nOut(10)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** A batch far from unit variance and zero mean: N(0.5, 3²), so that LSUV has something to do. */
    static INDArray batch(long seed, int n, DataType dt) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, n, IN).muli(3).addi(0.5).castTo(dt);
    }

    /** Population variance in plain Java double arithmetic (independent of the library's TensorStats). */
    static double variance(INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double s = 0;
        for (double x : v) {
            s += x;
        }
        double mean = s / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return ss / v.length;
    }

    /** Pre-activation variances x_l·W_l + b_l of every dense layer, from DL4J's own feed-forward activations. */
    static double[] denseVariances(MultiLayerNetwork net, INDArray x) {
        List<INDArray> acts = net.feedForward(x, false);
        int n = net.getnLayers();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            INDArray in = acts.get(i).castTo(DataType.DOUBLE);
            INDArray w = net.getParam(i + "_W").castTo(DataType.DOUBLE);
            INDArray b = net.getParam(i + "_b").castTo(DataType.DOUBLE);
            out[i] = variance(in.mmul(w).addiRowVector(b));
        }
        return out;
    }

    /**
     * in(32) → a (relu, 48) → b1 (tanh, 32) and b2 (elu, 32) → merge → c (leaky relu, 40); d (identity, 40) from
     * the merge; add(c, d) → out (softmax, 5).
     */
    static ComputationGraph graph(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(IN)
                                .nOut(48)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "b1",
                        new DenseLayer.Builder()
                                .nIn(48)
                                .nOut(32)
                                .activation(Activation.TANH)
                                .build(),
                        "a")
                .addLayer(
                        "b2",
                        new DenseLayer.Builder()
                                .nIn(48)
                                .nOut(32)
                                .activation(Activation.ELU)
                                .build(),
                        "a")
                .addVertex("m", new MergeVertex(), "b1", "b2")
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(64)
                                .nOut(40)
                                .activation(Activation.LEAKYRELU)
                                .build(),
                        "m")
                .addLayer(
                        "d",
                        new DenseLayer.Builder()
                                .nIn(64)
                                .nOut(40)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "m")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c", "d")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(40)
                                .nOut(5)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "add")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(IN))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Bitwise copy of all parameters. */
    static long[] bits(INDArray params) {
        double[] d = params.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Double.doubleToRawLongBits(d[i]);
        }
        return out;
    }
}
