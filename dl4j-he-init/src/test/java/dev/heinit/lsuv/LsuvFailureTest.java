package dev.heinit.lsuv;

import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.lsuv.LsuvException.Reason;

import static dev.heinit.lsuv.LsuvTestNets.IN;
import static dev.heinit.lsuv.LsuvTestNets.MIXED;
import static dev.heinit.lsuv.LsuvTestNets.batch;
import static dev.heinit.lsuv.LsuvTestNets.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every failure kind restores the parameters bitwise and names the layer and the reason. */
class LsuvFailureTest {

    /** Runs {@code run}, expects the exception, checks reason, layer and that every parameter bit is unchanged. */
    private static LsuvException assertRestored(
            INDArray params, Reason reason, String layer, Supplier<LsuvReport> run) {
        long[] before = bits(params);
        LsuvException e = assertThrows(LsuvException.class, run::get);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(layer, e.layer(), e.getMessage());
        assertTrue(e.getMessage().contains(layer) && e.getMessage().contains(reason.name()), e.getMessage());
        assertArrayEquals(before, bits(params), "parameters not restored after " + reason);
        assertEquals(null, Nd4j.getMemoryManager().getCurrentWorkspace(), "a workspace was left open");
        return e;
    }

    private static MultiLayerNetwork net() {
        return LsuvTestNets.dense(1, 6, MIXED, DataType.FLOAT);
    }

    @Test
    void emptyBatch() {
        MultiLayerNetwork net = net();
        assertRestored(
                net.params(),
                Reason.EMPTY_BATCH,
                "batch",
                () -> Lsuv.defaults().initialize(net, Nd4j.create(DataType.FLOAT, 0, IN)));
    }

    @Test
    void nanOrInfinityInTheBatch() {
        MultiLayerNetwork net = net();
        INDArray x = batch(1, 32, DataType.FLOAT);
        x.putScalar(5, 3, Float.NaN);
        assertRestored(
                net.params(),
                Reason.NON_FINITE_BATCH,
                "batch",
                () -> Lsuv.defaults().initialize(net, x));
        INDArray y = batch(1, 32, DataType.FLOAT);
        y.putScalar(31, 0, Float.NEGATIVE_INFINITY);
        assertRestored(
                net.params(),
                Reason.NON_FINITE_BATCH,
                "batch",
                () -> Lsuv.defaults().initialize(net, y));
    }

    @Test
    void batchThatDoesNotFitTheNetwork() {
        MultiLayerNetwork net = net();
        LsuvException e = assertRestored(
                net.params(),
                Reason.INCOMPATIBLE_BATCH,
                "layer0",
                () -> Lsuv.defaults().initialize(net, Nd4j.ones(DataType.FLOAT, 16, IN - 1)));
        assertTrue(e.getCause() != null);
    }

    @Test
    void nanInALayersOutputAfterEarlierLayersWereChanged() {
        MultiLayerNetwork net = net();
        net.getParam("3_b").putScalar(7, Float.NaN); // kept: zeroBiases(false)
        INDArray x = batch(2, 64, DataType.FLOAT);
        assertRestored(
                net.params(),
                Reason.NON_FINITE_OUTPUT,
                "layer3",
                () -> Lsuv.builder().zeroBiases(false).build().initialize(net, x));
    }

    @Test
    void infinityInAKeptWeight() {
        MultiLayerNetwork net = net();
        net.getParam("2_W").putScalar(3, 5, Float.POSITIVE_INFINITY); // orthonormal(false): the weight stays
        INDArray x = batch(3, 64, DataType.FLOAT);
        assertRestored(
                net.params(),
                Reason.NON_FINITE_OUTPUT,
                "layer2",
                () -> Lsuv.builder().orthonormal(false).build().initialize(net, x));
    }

    /** Huge weights are not a failure: the first rescaling fixes them (Var is accumulated in double). */
    @Test
    void hugeButFiniteWeightsAreRescaled() {
        MultiLayerNetwork net = net();
        net.getParam("2_W").muli(1e30f);
        LsuvReport r = Lsuv.builder().orthonormal(false).build().initialize(net, batch(3, 64, DataType.FLOAT));
        assertTrue(r.allConverged(), r.toText());
        assertTrue(r.layers().get(2).varianceBefore() > 1e50, r.toText());
    }

    @Test
    void deadLayerHasZeroVariance() {
        MultiLayerNetwork net = net();
        net.getParam("4_W").assign(0);
        INDArray x = batch(4, 64, DataType.FLOAT);
        LsuvException e = assertRestored(
                net.params(),
                Reason.ZERO_VARIANCE,
                "layer4",
                () -> Lsuv.builder().orthonormal(false).build().initialize(net, x));
        assertTrue(e.getMessage().contains("dead"), e.getMessage());
    }

    /** A sigmoid's output variance is below 1/4: a post-activation target of 1 is unreachable. */
    private static MultiLayerNetwork sigmoidNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(8)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(IN)
                        .nOut(32)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(32)
                        .nOut(32)
                        .activation(Activation.TANH)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("squash")
                        .nIn(32)
                        .nOut(32)
                        .activation(Activation.SIGMOID)
                        .build())
                .layer(new OutputLayer.Builder()
                        .nIn(32)
                        .nOut(4)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    @Test
    void strictNonConvergenceFailsAndRestores() {
        MultiLayerNetwork net = sigmoidNet();
        INDArray x = batch(5, 64, DataType.FLOAT);
        // tanh (layer 1) cannot reach variance 1 either; target 0.5 is reachable for tanh but not for the sigmoid
        Lsuv strict = Lsuv.builder()
                .measure(Measure.POST_ACTIVATION)
                .targetVariance(0.5)
                .strict(true)
                .build();
        LsuvException e = assertRestored(net.params(), Reason.NOT_CONVERGED, "squash", () -> strict.initialize(net, x));
        assertTrue(e.getMessage().contains("10 rescalings"), e.getMessage());
    }

    @Test
    void nonStrictNonConvergenceReturnsWithTheLayerFlagged() {
        MultiLayerNetwork net = sigmoidNet();
        INDArray x = batch(5, 64, DataType.FLOAT);
        LsuvReport r = Lsuv.builder()
                .measure(Measure.POST_ACTIVATION)
                .targetVariance(0.5)
                .build()
                .initialize(net, x);
        assertFalse(r.allConverged());
        assertFalse(r.layers().get(2).converged(), r.toText());
        assertEquals(10, r.layers().get(2).iterations());
        assertTrue(
                r.layers().get(0).converged()
                        && r.layers().get(1).converged()
                        && r.layers().get(3).converged(),
                r.toText());
        assertTrue(r.toText().contains("NOT all converged"));
    }

    @Test
    void computationGraphFailureRestoresBitwise() {
        ComputationGraph g = LsuvTestNets.graph(9);
        g.getParam("c_W").assign(0);
        INDArray x = batch(6, 64, DataType.FLOAT);
        assertRestored(
                g.params(),
                Reason.ZERO_VARIANCE,
                "c",
                () -> Lsuv.builder().orthonormal(false).build().initialize(g, x));
        assertRestored(
                g.params(),
                Reason.INCOMPATIBLE_BATCH,
                "a",
                () -> Lsuv.defaults().initialize(g, Nd4j.ones(DataType.FLOAT, 8, 5)));
        assertThrows(IllegalArgumentException.class, () -> Lsuv.defaults().initialize(g, x, x));
        // and it still works afterwards, from the restored state
        g.getParam("c_W").assign(1);
        assertTrue(Lsuv.defaults().initialize(g, x).allConverged());
    }
}
