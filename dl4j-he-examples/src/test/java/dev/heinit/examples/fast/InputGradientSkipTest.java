package dev.heinit.examples.fast;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;
import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link FastPath#skipInputGradient}: the first convolution's weight and bias gradients equal DL4J's own (stock and
 * oneDNN helper) to float rounding — all three within the bound below of the exact sums —, the other layers' are
 * bitwise untouched, and training works with the null input gradient.
 *
 * <p>Tolerance: each gradient element is a float sum of N = batch × outH × outW products x·δ. Summed in any order
 * in float, |computed − exact| ≤ γ_N · Σ|x·δ| with γ_N = N·u / (1 − N·u), u = 2⁻²⁴ (Higham, "Accuracy and
 * Stability of Numerical Algorithms", §3.1); the exact sum and Σ|x·δ| are computed here in double (each product of
 * two floats is exact in double). Two results each within that bound differ by at most 2 γ_N Σ|x·δ|.
 */
class InputGradientSkipTest {

    private static final double U = Math.pow(2, -24);

    @BeforeEach
    void fast() {
        FastPath.useHelpers(true);
        assumeTrue(FastPath.check().active(), "needs DL4J's oneDNN helper (nd4j-native's oneDNN build, Linux x86-64)");
    }

    @AfterEach
    void stock() {
        FastPath.useHelpers(false);
    }

    private static MultiLayerNetwork oneConv(int channels, int stride, Activation act) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .stride(stride, stride)
                        .nOut(4)
                        .activation(act)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(10, 10, channels))
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        n.initGradientsView();
        return n;
    }

    /** Layer 0's weight and bias gradient (copies: the views are overwritten by the next backprop). */
    private record Grads(float[] w, float[] b, INDArray eps) {
        static Grads of(Pair<Gradient, INDArray> p) {
            Map<String, INDArray> g = p.getFirst().gradientForVariable();
            return new Grads(
                    g.get("W").ravel().toFloatVector(), g.get("b").ravel().toFloatVector(), p.getSecond());
        }
    }

    /** Exact (double) weight and bias gradients of a Same-mode convolution, and Σ|terms| per element. */
    private record Exact(double[] w, double[] wAbs, double[] b, double[] bAbs, int terms) {
        static Exact of(INDArray xArr, INDArray dArr, int kH, int kW, int stride) {
            long[] xs = xArr.shape();
            long[] ds = dArr.shape();
            int n = (int) xs[0], c = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
            int o = (int) ds[1], oh = (int) ds[2], ow = (int) ds[3];
            int[] pad = ConvolutionUtils.getSameModeTopLeftPadding(
                    new int[] {oh, ow}, new int[] {h, wd}, new int[] {kH, kW}, new int[] {stride, stride}, new int[] {
                        1, 1
                    });
            float[] x = xArr.dup('c').data().asFloat();
            float[] d = dArr.dup('c').data().asFloat();
            double[] w = new double[o * c * kH * kW];
            double[] wAbs = new double[w.length];
            double[] b = new double[o];
            double[] bAbs = new double[o];
            for (int ni = 0; ni < n; ni++) {
                for (int oi = 0; oi < o; oi++) {
                    for (int y = 0; y < oh; y++) {
                        for (int xx = 0; xx < ow; xx++) {
                            double dv = d[((ni * o + oi) * oh + y) * ow + xx];
                            b[oi] += dv;
                            bAbs[oi] += Math.abs(dv);
                            for (int ci = 0; ci < c; ci++) {
                                for (int i = 0; i < kH; i++) {
                                    for (int j = 0; j < kW; j++) {
                                        int r = y * stride + i - pad[0];
                                        int s = xx * stride + j - pad[1];
                                        if (r < 0 || r >= h || s < 0 || s >= wd) {
                                            continue;
                                        }
                                        double t = dv * x[((ni * c + ci) * h + r) * wd + s];
                                        int k = ((oi * c + ci) * kH + i) * kW + j;
                                        w[k] += t;
                                        wAbs[k] += Math.abs(t);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new Exact(w, wAbs, b, bAbs, n * oh * ow);
        }

        double gamma() {
            return terms * U / (1 - terms * U);
        }

        /** Asserts |got − exact| ≤ factor · γ_N · Σ|terms| element by element. */
        void assertWithin(Grads g, double factor, String what) {
            check(g.w, w, wAbs, factor, what + " W");
            check(g.b, b, bAbs, factor, what + " b");
        }

        private void check(float[] got, double[] exact, double[] abs, double factor, String what) {
            for (int k = 0; k < got.length; k++) {
                double tol = factor * gamma() * abs[k];
                assertTrue(
                        Math.abs(got[k] - exact[k]) <= tol,
                        what + "[" + k + "]: " + got[k] + " vs exact " + exact[k] + ", bound " + tol + " (N = " + terms
                                + ")");
            }
        }
    }

    @Test
    void layerGradientsAreExactSumsWithoutTheInputGradient() {
        for (int[] cs : new int[][] {{1, 1}, {2, 2}}) {
            MultiLayerNetwork net = oneConv(cs[0], cs[1], Activation.IDENTITY);
            org.deeplearning4j.nn.layers.convolution.ConvolutionLayer layer =
                    (org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) net.getLayer(0);
            MKLDNNConvHelper oneDnn = (MKLDNNConvHelper) layer.getHelper();
            Nd4j.getRandom().setSeed(11 + cs[0]);
            INDArray x = Nd4j.randn(DataType.FLOAT, 8, cs[0], 10, 10);
            int out = 10 / cs[1];
            INDArray eps = Nd4j.randn(DataType.FLOAT, 8, 4, out, out);
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

            Grads[] g = new Grads[3];
            ConvolutionHelper[] helpers = {oneDnn, new WeightGradientConvHelper(oneDnn), null};
            for (int i = 0; i < helpers.length; i++) {
                InputGradientSkip.setHelper(layer, helpers[i]);
                layer.setInput(x, mgr);
                g[i] = Grads.of(layer.backpropGradient(eps.dup(), mgr));
            }
            String c = "channels " + cs[0] + ", stride " + cs[1] + ": ";
            assertNotNull(g[0].eps, c + "DL4J's oneDNN helper returns the input gradient");
            assertNotNull(g[2].eps, c + "DL4J's stock path returns the input gradient");
            assertNull(g[1].eps, c + "without the input gradient");
            // identity activation: δ = ε in all three, so all three sum the same terms, each in its own order
            Exact e = Exact.of(x, eps, 3, 3, cs[1]);
            e.assertWithin(g[1], 1, c + "without input gradient");
            e.assertWithin(g[0], 1, c + "oneDNN helper");
            e.assertWithin(g[2], 1, c + "stock path");
        }
    }

    /** A proxy of {@code h} that keeps copies of the input and δ its backprop gets: [input, δ]. */
    private static ConvolutionHelper recording(ConvolutionHelper h, INDArray[] seen) {
        return (ConvolutionHelper) java.lang.reflect.Proxy.newProxyInstance(
                InputGradientSkipTest.class.getClassLoader(),
                new Class<?>[] {ConvolutionHelper.class},
                (p, m, args) -> {
                    if (m.getName().equals("backpropGradient")) {
                        try (var ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                            seen[0] = ((INDArray) args[0]).dup();
                            seen[1] = ((INDArray) args[3]).dup();
                        }
                    }
                    try {
                        return m.invoke(h, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static MultiLayerNetwork examplesNet() {
        MultiLayerNetwork n = new MultiLayerNetwork(Models.plainCnn(
                5,
                4,
                ImageShape.MNIST,
                HeInit.normal(),
                new TrainSetup(new Nesterovs(0.01, 0.9), 42, FastPath.cacheMode(true))));
        n.init();
        return n;
    }

    @Test
    void inANetworkOnlyTheFirstLayersGradientChangesAndOnlyInTheLastBits() {
        MultiLayerNetwork stockHelper = examplesNet();
        MultiLayerNetwork skip = examplesNet();
        assertEquals(List.of("0"), InputGradientSkip.skip(skip));
        var layer = (org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) skip.getLayer(0);
        INDArray[] seen = new INDArray[2];
        InputGradientSkip.setHelper(layer, recording((ConvolutionHelper) layer.getHelper(), seen));
        for (int l = 1; l < skip.getnLayers(); l++) {
            if (skip.getLayer(l) instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer c) {
                assertSame(MKLDNNConvHelper.class, c.getHelper().getClass(), "layer " + l + " keeps DL4J's helper");
            }
        }
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
        INDArray y = Nd4j.eye(10).castTo(DataType.FLOAT).getRows(1, 4, 7, 0, 2, 9, 3, 3);
        Map<String, INDArray> a = gradients(stockHelper, x, y);
        Map<String, INDArray> b = gradients(skip, x, y);
        assertEquals(stockHelper.score(), skip.score(), "same forward pass, same loss");
        for (String k : a.keySet()) {
            if (!k.startsWith("0_")) {
                assertArrayEquals(
                        a.get(k).ravel().toFloatVector(), b.get(k).ravel().toFloatVector(), k + " untouched, bitwise");
            }
        }
        // the same δ reaches layer 0 in both networks (layers 1.. are identical); ReLU: δ = ε ⊙ [z > 0]
        Exact e = Exact.of(seen[0], seen[1], 3, 3, 1);
        Grads withSkip = new Grads(
                b.get("0_W").ravel().toFloatVector(), b.get("0_b").ravel().toFloatVector(), null);
        Grads withHelper = new Grads(
                a.get("0_W").ravel().toFloatVector(), a.get("0_b").ravel().toFloatVector(), null);
        e.assertWithin(withSkip, 1, "without input gradient");
        e.assertWithin(withHelper, 1, "DL4J's oneDNN helper");
    }

    private static Map<String, INDArray> gradients(MultiLayerNetwork n, INDArray x, INDArray y) {
        n.setInput(x);
        n.setLabels(y);
        n.computeGradientAndScore();
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        n.gradient().gradientForVariable().forEach((k, v) -> m.put(k, v.dup()));
        return m;
    }

    @Test
    void fitTrainsMultiLayerNetworkAndGraphAsBefore() {
        ImageData d = Datasets.bundledMnist();
        MultiLayerNetwork ref = examplesNet();
        MultiLayerNetwork skip = examplesNet();
        InputGradientSkip.skip(skip);
        ComputationGraph gRef = graph();
        ComputationGraph gSkip = graph();
        assertEquals(List.of("conv0"), InputGradientSkip.skip(gSkip), "the graph's stem convolution");
        INDArray before = skip.params().dup();
        for (int it = 0; it < 4; it++) {
            DataSet b = new DataSet(
                    d.train().getFeatures().get(NDArrayIndex.interval(it * 16, it * 16 + 16)),
                    d.train().getLabels().get(NDArrayIndex.interval(it * 16, it * 16 + 16)));
            ref.fit(b);
            skip.fit(b);
            gRef.fit(b);
            gSkip.fit(b);
            // float32 gradients of layer 0 differ in the last bits (see above): the losses agree to ~1e-6 relative
            assertEquals(ref.score(), skip.score(), 1e-4 * Math.max(1, Math.abs(ref.score())), "chain, it " + it);
            assertEquals(gRef.score(), gSkip.score(), 1e-4 * Math.max(1, Math.abs(gRef.score())), "graph, it " + it);
        }
        assertTrue(skip.params().sub(before).norm2Number().doubleValue() > 0, "parameters moved");
        INDArray w0 = skip.getLayer(0).getParam("W");
        INDArray w0ref = ref.getLayer(0).getParam("W");
        assertTrue(
                w0.sub(w0ref).amaxNumber().doubleValue()
                        < 1e-4 * w0ref.amaxNumber().doubleValue(),
                "layer 0 trains alike");
    }

    private static ComputationGraph graph() {
        ComputationGraph g = new ComputationGraph(Models.residualCnn(
                5,
                4,
                ImageShape.MNIST,
                HeInit.normal(),
                new TrainSetup(new Nesterovs(0.01, 0.9), 42, FastPath.cacheMode(true))));
        g.init();
        return g;
    }

    @Test
    void restoreGivesTheInputGradientBack() {
        MultiLayerNetwork n = examplesNet();
        Object original = ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) n.getLayer(0)).getHelper();
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        INDArray y = Nd4j.eye(10).castTo(DataType.FLOAT).getRows(1, 2, 3, 4);
        InputGradientSkip.skip(n);
        assertNull(n.calculateGradients(x, y, null, null).getSecond(), "documented: no input gradient");
        assertEquals(List.of("0"), FastPath.restoreInputGradient(n));
        assertSame(original, ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) n.getLayer(0)).getHelper());
        assertNotNull(n.calculateGradients(x, y, null, null).getSecond());
    }

    @Test
    void noOpWhereTheInputGradientCannotBeSkipped() {
        // dropout on layer 0: DL4J backpropagates dropout through the returned epsilon
        MultiLayerNetwork dropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).dropOut(0.5).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(6, 6, 1))
                .build());
        dropout.init();
        // flat input: layer 0 has a preprocessor, whose backprop would get the null epsilon
        MultiLayerNetwork flat = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build());
        flat.init();
        // a graph input that also feeds a dense layer: DL4J cannot add a null epsilon to another
        ComputationGraph shared = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                .addLayer("dense", new DenseLayer.Builder().nOut(2).build(), "in")
                .addLayer("out1", new OutputLayer.Builder().nOut(2).build(), "conv")
                .addLayer("out2", new OutputLayer.Builder().nOut(2).build(), "dense")
                .setOutputs("out1", "out2")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .build());
        shared.init();
        assertEquals(List.of(), InputGradientSkip.skip(dropout), "dropout");
        assertEquals(List.of(), InputGradientSkip.skip(flat), "preprocessor");
        assertEquals(List.of(), InputGradientSkip.skip(shared), "shared input");
        // stock path: no helper at all
        FastPath.useHelpers(false);
        MultiLayerNetwork stock = examplesNet();
        assertEquals(List.of(), InputGradientSkip.skip(stock), "stock path");
        assertNull(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) stock.getLayer(0)).getHelper());
    }
}
