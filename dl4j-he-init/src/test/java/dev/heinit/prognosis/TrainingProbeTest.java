package dev.heinit.prognosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe on constructed networks whose fate is known without training them to the end: NaN weights diverge, a
 * 50-layer sigmoid stack at Xavier stalls (σ′ ≤ 1/4 per layer: the first layer's gradient is ~4^−49 of the last's),
 * a two-hidden-layer ReLU net at He on a linearly separable task trains; and the probe leaves the network alone.
 */
class TrainingProbeTest {

    static final int IN = 32;
    static final int CLASSES = 10;

    /** A dense net of {@code depth} weighted layers, Nesterov 0.9 at {@code lr}. */
    static MultiLayerNetwork dense(int depth, int width, Activation act, IWeightInit init, double lr, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(lr, 0.9))
                .weightInit(init)
                .biasInit(0)
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
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** Batches of N(0, 1) features labelled by the argmax of a fixed random linear map (learnable by any net). */
    static List<DataSet> separable(int batches, int n, long seed) {
        Random r = new Random(seed);
        double[][] map = new double[CLASSES][IN];
        for (double[] row : map) {
            for (int j = 0; j < IN; j++) {
                row[j] = r.nextGaussian();
            }
        }
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            float[][] x = new float[n][IN];
            float[][] y = new float[n][CLASSES];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < IN; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < CLASSES; c++) {
                    double s = 0;
                    for (int j = 0; j < IN; j++) {
                        s += map[c][j] * x[i][j];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                y[i][best] = 1;
            }
            out.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return out;
    }

    @Test
    void nanWeightsDiverge() {
        MultiLayerNetwork net = dense(3, 32, Activation.RELU, HeInit.normal(), 0.01, 1);
        net.getLayer(1).getParam("W").putScalar(0, 0, Float.NaN);
        Prognosis p = TrainingProbe.builder().steps(10).build().run(net, separable(4, 32, 1));
        assertEquals(Prediction.DIVERGES, p.prediction(), p.toText());
        assertEquals(1, p.steps(), "stops at the first non-finite step");
        assertEquals(ProbeSignals.NON_FINITE_STEP, p.decisive().get(0).signal());
        assertTrue(p.sentence().startsWith("diverges"), p.sentence());
    }

    @Test
    void deepSigmoidStackAtXavierStalls() {
        MultiLayerNetwork net = dense(50, 16, Activation.SIGMOID, WeightInit.XAVIER.getWeightInitFunction(), 0.01, 2);
        Prognosis p = TrainingProbe.builder().steps(10).build().run(net, separable(10, 32, 2));
        assertEquals(Prediction.STALLS, p.prediction(), p.toText());
        assertTrue(p.sentence().startsWith("stalls"), p.sentence());
    }

    @Test
    void shallowReluNetAtHeTrains() {
        MultiLayerNetwork net = dense(3, 64, Activation.RELU, HeInit.normal(), 0.01, 3);
        Prognosis p = TrainingProbe.builder().steps(20).build().run(net, separable(20, 32, 3));
        assertEquals(Prediction.TRAINS, p.prediction(), p.toText());
        assertEquals(ProbeSignals.LOSS_RATIO, p.decisive().get(0).signal());
    }

    @Test
    void networkParametersAndUpdaterStateAreBitwiseUnchanged() {
        MultiLayerNetwork net = dense(4, 32, Activation.RELU, HeInit.normal(), 0.01, 4);
        List<DataSet> data = separable(6, 32, 4);
        for (DataSet d : data) {
            net.fit(d); // momentum state is non-zero before the probe
        }
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();
        int iterations = net.getIterationCount();
        assertTrue(state.norm2Number().doubleValue() > 0, "updater state set before the probe");

        Prognosis p = TrainingProbe.builder().steps(8).seed(77).build().run(net, data);

        assertEquals(77, p.seed());
        assertEquals(8, p.steps());
        assertArrayEquals(params.data().asFloat(), net.params().data().asFloat());
        assertArrayEquals(
                state.data().asFloat(),
                net.getUpdater().getStateViewArray().data().asFloat());
        assertEquals(iterations, net.getIterationCount());
        // the probe did train its copy: its first layer moved
        assertTrue(p.evidence().stream().anyMatch(e -> e.signal().equals(ProbeSignals.FIRST_MOVE) && e.value() > 0));
    }

    @Test
    void rejectsWhatItCannotProbe() {
        MultiLayerNetwork net = dense(3, 8, Activation.RELU, HeInit.normal(), 0.01, 5);
        TrainingProbe probe = TrainingProbe.builder().build();
        assertThrows(IllegalArgumentException.class, () -> probe.run(net, List.of()));
        assertThrows(
                IllegalArgumentException.class, () -> TrainingProbe.builder().steps(0));
    }
}
