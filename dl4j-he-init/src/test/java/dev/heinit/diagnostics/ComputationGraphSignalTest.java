package dev.heinit.diagnostics;

import java.util.EnumSet;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.stats.TensorStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputationGraphSignalTest {

    /** The graph form of {@link TestNets#mlp}: same layers, same parameter order. */
    private static ComputationGraph chain(int depth, int width, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .graphBuilder()
                .addInputs("in");
        String prev = "in";
        for (int i = 0; i < depth - 1; i++) {
            g.addLayer(
                    "layer" + i,
                    new DenseLayer.Builder()
                            .nIn(i == 0 ? TestNets.IN : width)
                            .nOut(width)
                            .activation(Activation.RELU)
                            .build(),
                    prev);
            prev = "layer" + i;
        }
        g.addLayer(
                "layer" + (depth - 1),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(width)
                        .nOut(TestNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build(),
                prev);
        ComputationGraph cg =
                new ComputationGraph(g.setOutputs("layer" + (depth - 1)).build());
        cg.init();
        return cg;
    }

    @Test
    void chainGraphReportsWhatTheEquivalentMultiLayerNetworkReports() {
        MultiLayerNetwork net = TestNets.mlp(6, 32, Activation.RELU, TestNets.he(), 0, 21);
        ComputationGraph cg = chain(6, 32, 22);
        cg.setParams(net.params());
        DataSet batch = TestNets.batch(24, 21);
        SignalReport a = SignalPropagation.measure(net, batch);
        SignalReport b = SignalPropagation.measure(cg, batch);
        assertEquals(a.layers().size(), b.layers().size());
        for (int i = 0; i < a.layers().size(); i++) {
            LayerSignal x = a.layer(i);
            LayerSignal y = b.layer(i);
            assertEquals(x.name(), y.name());
            assertClose(x.preActivation().rms(), y.preActivation().rms(), "z " + i);
            assertClose(x.activation().rms(), y.activation().rms(), "a " + i);
            assertClose(x.delta().rms(), y.delta().rms(), "δ " + i);
            assertClose(x.gradientWeightRms(), y.gradientWeightRms(), "gW " + i);
            assertClose(x.gradientBiasRms(), y.gradientBiasRms(), "gb " + i);
            assertClose(x.forwardRatio(), y.forwardRatio(), "fwd " + i);
            if (i + 1 < a.layers().size()) {
                assertClose(x.backwardRatio(), y.backwardRatio(), "bwd " + i);
            }
            assertEquals(x.deadFraction(), y.deadFraction());
        }
        assertClose(a.loss(), b.loss(), "loss");
        assertEquals(a.verdicts(), b.verdicts());
        // features only: the same synthetic targets in both
        assertClose(
                SignalPropagation.measure(net, batch.getFeatures()).loss(),
                SignalPropagation.measure(cg, batch.getFeatures()).loss(),
                "synthetic loss");
    }

    @Test
    void graphForwardHalfIsTheFullMeasurementsForwardHalf() {
        ComputationGraph cg = chain(5, 24, 23);
        DataSet batch = TestNets.batch(16, 23);
        SignalPropagationTest.assertForwardHalf(
                SignalPropagation.measure(cg, batch), SignalPropagation.measureForward(cg, batch));
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-5 * Math.abs(expected), what);
    }

    /** Two inputs, a merge, a residual add that sums two errors in backprop, two output layers. */
    private static ComputationGraph branchy(long seed) {
        ComputationGraph cg = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .graphBuilder()
                .addInputs("a", "b")
                .addLayer(
                        "da",
                        new DenseLayer.Builder()
                                .nIn(8)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "a")
                .addLayer(
                        "db",
                        new DenseLayer.Builder()
                                .nIn(6)
                                .nOut(16)
                                .activation(Activation.TANH)
                                .build(),
                        "b")
                .addVertex("merge", new MergeVertex(), "da", "db")
                .addLayer(
                        "h1",
                        new DenseLayer.Builder()
                                .nIn(32)
                                .nOut(32)
                                .activation(Activation.RELU)
                                .build(),
                        "merge")
                .addLayer(
                        "h2",
                        new DenseLayer.Builder()
                                .nIn(32)
                                .nOut(32)
                                .activation(Activation.RELU)
                                .build(),
                        "h1")
                .addVertex("res", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h1", "h2")
                .addLayer(
                        "out1",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(32)
                                .nOut(4)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "res")
                .addLayer(
                        "out2",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(32)
                                .nOut(3)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "h1")
                .setOutputs("out1", "out2")
                .build());
        cg.init();
        return cg;
    }

    @Test
    void graphGradientsEqualComputeGradientAndScore() {
        ComputationGraph cg = branchy(31);
        Nd4j.getRandom().setSeed(31);
        int mb = 12;
        INDArray y1 = Nd4j.zeros(DataType.FLOAT, mb, 4);
        for (int i = 0; i < mb; i++) {
            y1.putScalar(i, i % 4, 1.0);
        }
        MultiDataSet batch = new MultiDataSet(
                new INDArray[] {Nd4j.randn(DataType.FLOAT, mb, 8), Nd4j.randn(DataType.FLOAT, mb, 6)},
                new INDArray[] {y1, Nd4j.randn(DataType.FLOAT, mb, 3)});
        INDArray before = cg.params().dup();
        SignalReport r = SignalPropagation.measure(cg, batch);
        assertEquals(before, cg.params());
        assertFalse(r.syntheticLabels());
        assertEquals(6, r.layers().size(), "one record per layer vertex, none for merge/add");
        cg.setInputs(batch.getFeatures());
        cg.setLabels(batch.getLabels());
        cg.computeGradientAndScore();
        Map<String, INDArray> g = cg.gradient().gradientForVariable();
        for (String name : new String[] {"da", "db", "h1", "h2", "out1", "out2"}) {
            LayerSignal l = r.layer(name);
            INDArray gw = g.get(name + "_W");
            double rms = gw.castTo(DataType.DOUBLE).norm2Number().doubleValue() / Math.sqrt(gw.length()) / mb;
            assertEquals(rms, l.gradientWeightRms(), 1e-5 * rms, name);
            INDArray gb = g.get(name + "_b");
            assertEquals(
                    gb.castTo(DataType.DOUBLE).meanNumber().doubleValue() / mb,
                    l.delta().mean(),
                    1e-5 * l.delta().rms(),
                    name + " δ");
        }
        assertEquals(cg.score(), r.loss(), 1e-5 * cg.score());
        // h1 feeds res, h2 and out2: its backward gain is against their pooled δ, and is finite
        assertTrue(Double.isFinite(r.layer("h1").backwardRatio()));
        assertTrue(Double.isNaN(r.layer("out1").backwardRatio()));
        // da's input is network input "a"; forward gain = RMS(a_da) / RMS(x_a)
        double xa = TensorStats.of(batch.getFeatures(0)).rms();
        assertEquals(r.layer("da").activation().rms() / xa, r.layer("da").forwardRatio(), 1e-9);

        SignalReport synthetic = SignalPropagation.measure(cg, batch.getFeatures());
        assertTrue(synthetic.syntheticLabels());
        assertEquals(EnumSet.of(Verdict.HEALTHY), synthetic.verdicts(), synthetic::toText);
        assertThrows(IllegalArgumentException.class, () -> SignalPropagation.measure(cg, batch.getFeatures(0)));
    }

    @Test
    void listenerSamplesAGraphDuringTraining() {
        ComputationGraph cg = chain(4, 16, 23);
        DataSet batch = TestNets.batch(16, 23);
        java.io.StringWriter out = new java.io.StringWriter();
        SignalListener listener = SignalListener.builder()
                .every(1)
                .probe(batch.getFeatures())
                .csv(out)
                .build();
        cg.setListeners(listener);
        for (int i = 0; i < 3; i++) {
            cg.fit(batch);
        }
        assertEquals(3, listener.samples());
        assertEquals(1 + 3 * 4, out.toString().split("\n").length);
        assertTrue(listener.lastReport().syntheticLabels());
    }

    /** Measuring must leave the graph's inputs and labels as they were (a listener runs inside fit). */
    @Test
    void measuringRestoresTheGraphsInputsAndLabels() {
        ComputationGraph cg = chain(3, 16, 29);
        DataSet own = TestNets.batch(8, 29);
        DataSet other = TestNets.batch(12, 31);
        cg.setInputs(own.getFeatures());
        cg.setLabels(own.getLabels());
        cg.computeGradientAndScore();
        double before = cg.score();
        SignalPropagation.measure(cg, other.getFeatures());
        cg.computeGradientAndScore();
        assertEquals(before, cg.score(), 1e-6 * before, "after a synthetic-loss measurement");
        SignalPropagation.measure(cg, other);
        cg.computeGradientAndScore();
        assertEquals(before, cg.score(), 1e-6 * before, "after a labelled measurement");
    }

    /**
     * Rows follow DL4J's own topological order, which here differs from {@link dev.heinit.internal.dl4j.NetworkView}'s: DL4J
     * seeds its queue with the network inputs and releases "xa" (fed by the first input) before "zb", while the
     * view releases the vertices fed only by inputs in declaration order ("zb" first).
     */
    @Test
    void rowsFollowDl4jsTopologicalOrder() {
        ComputationGraph cg = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .graphBuilder()
                .addInputs("a", "b")
                .addLayer(
                        "zb",
                        new DenseLayer.Builder()
                                .nIn(6)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "b")
                .addLayer(
                        "xa",
                        new DenseLayer.Builder()
                                .nIn(4)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "a")
                .addVertex("m", new MergeVertex(), "xa", "zb")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(16)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "m")
                .setOutputs("out")
                .build());
        cg.init();
        java.util.List<String> dl4j = new java.util.ArrayList<>();
        for (int idx : cg.topologicalSortOrder()) {
            if (cg.getVertices()[idx].hasLayer()) {
                dl4j.add(cg.getVertices()[idx].getVertexName());
            }
        }
        assertEquals(java.util.List.of("xa", "zb", "out"), dl4j, "DL4J's order, as this test assumes");
        java.util.List<String> view = new java.util.ArrayList<>();
        dev.heinit.internal.dl4j.NetworkView.of(cg).nodes().stream()
                .filter(n -> n.layer() != null)
                .forEach(n -> view.add(n.name()));
        assertEquals(java.util.List.of("zb", "xa", "out"), view, "the view's order differs, as this test assumes");
        Nd4j.getRandom().setSeed(7);
        SignalReport r =
                SignalPropagation.measure(cg, Nd4j.randn(DataType.FLOAT, 16, 4), Nd4j.randn(DataType.FLOAT, 16, 6));
        java.util.List<String> rows = new java.util.ArrayList<>();
        r.layers().forEach(l -> rows.add(l.name()));
        assertEquals(dl4j, rows);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, r.layer(i).index());
        }
    }
}
