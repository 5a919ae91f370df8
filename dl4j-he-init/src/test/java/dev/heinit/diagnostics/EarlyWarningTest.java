package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SignalListener}'s early warnings on constructed runs: one that diverges (a learning rate far too large
 * for plain SGD) is warned before its loss is NaN, one that stalls (a 16-layer sigmoid stack at Xavier: σ′ ≤ 1/4, so the
 * first layer's gradient is below 4^−15 of the last's) is warned STALLED, and a healthy shallow run gets no warning.
 */
class EarlyWarningTest {

    static MultiLayerNetwork net(int depth, int width, IWeightInit init, double lr, long seed) {
        return net(depth, width, Activation.RELU, init, lr, seed);
    }

    static MultiLayerNetwork net(int depth, int width, Activation act, IWeightInit init, double lr, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(lr))
                .weightInit(init)
                .biasInit(0)
                .list();
        for (int i = 0; i < depth - 1; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? TestNets.IN : width)
                    .nOut(width)
                    .activation(act)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(width)
                .nOut(TestNets.CLASSES)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork n = new MultiLayerNetwork(b.build());
        n.init();
        return n;
    }

    /** Trains until {@code iterations} or the first non-finite loss; returns the 1-based iteration of that, or 0. */
    static int train(MultiLayerNetwork net, SignalListener l, DataSet batch, int iterations) {
        return train(net, l, batch, iterations, new ArrayList<>());
    }

    static int train(MultiLayerNetwork net, SignalListener l, DataSet batch, int iterations, List<Double> losses) {
        return train(net, l, List.of(batch), iterations, losses);
    }

    /** Fits the batches in turn. */
    static int train(
            MultiLayerNetwork net, SignalListener l, List<DataSet> batches, int iterations, List<Double> losses) {
        net.setListeners(l);
        for (int i = 0; i < iterations; i++) {
            net.fit(batches.get(i % batches.size()));
            losses.add(net.score());
            if (!Double.isFinite(net.score())) {
                return i + 1;
            }
        }
        return 0;
    }

    @Test
    void divergingRunIsWarnedBeforeItsLossIsNaN() {
        MultiLayerNetwork net = net(
                4,
                64,
                new org.deeplearning4j.nn.weights.WeightInitDistribution(
                        new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 2)),
                0.5,
                11);
        List<EarlyWarning> seen = new ArrayList<>();
        SignalListener l =
                SignalListener.builder().warningsOnly().onWarning(seen::add).build();
        List<Double> losses = new ArrayList<>();
        int nanAt = train(net, l, TestNets.batch(32, 11), 60, losses);
        assertTrue(nanAt > 0, "the constructed run does diverge: " + losses);
        assertEquals(1, seen.size(), seen.toString());
        EarlyWarning w = seen.get(0);
        assertEquals(EarlyWarning.Mode.DIVERGING, w.mode());
        // iterationDone's count is 0-based: iteration k is the (k+1)-th fit
        assertTrue(
                w.iteration() + 1 < nanAt,
                "warned at iteration " + w.iteration() + ", NaN at fit " + nanAt + ": " + w + " " + losses);
        assertEquals(seen, l.earlyWarnings());
        assertEquals(0, l.samples(), "warningsOnly takes no signal samples");
    }

    @Test
    void vanishingRunIsWarnedStalledOnce() {
        MultiLayerNetwork net = net(16, 8, Activation.SIGMOID, TestNets.xavier(), 0.01, 12);
        SignalListener l = SignalListener.builder().warningsOnly().build();
        // random labels in four batches: nothing to learn but the class frequencies, so the loss is flat
        List<DataSet> batches =
                List.of(TestNets.batch(32, 12), TestNets.batch(32, 13), TestNets.batch(32, 14), TestNets.batch(32, 15));
        List<Double> losses = new ArrayList<>();
        train(net, l, batches, 2 * EarlyWarnings.STALL_WINDOW + 2, losses);
        assertEquals(1, l.earlyWarnings().size(), l.earlyWarnings() + " " + losses);
        EarlyWarning w = l.earlyWarnings().get(0);
        assertEquals(EarlyWarning.Mode.STALLED, w.mode());
        assertEquals(2 * EarlyWarnings.STALL_WINDOW, w.iteration(), w.toString());
        assertTrue(w.evidence().get(1).value() < EarlyWarnings.STALL_MOVE, w.toString());
    }

    @Test
    void healthyRunIsNotWarned() {
        MultiLayerNetwork net = net(3, 64, TestNets.he(), 0.05, 13);
        SignalListener l = SignalListener.builder().warningsOnly().build();
        assertEquals(0, train(net, l, TestNets.batch(32, 13), EarlyWarnings.STALL_WINDOW + 2));
        assertTrue(l.earlyWarnings().isEmpty(), l.earlyWarnings().toString());
    }
}
