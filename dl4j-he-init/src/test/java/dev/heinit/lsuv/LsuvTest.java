package dev.heinit.lsuv;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;

import static dev.heinit.lsuv.LsuvTestNets.IN;
import static dev.heinit.lsuv.LsuvTestNets.MIXED;
import static dev.heinit.lsuv.LsuvTestNets.batch;
import static dev.heinit.lsuv.LsuvTestNets.bits;
import static dev.heinit.lsuv.LsuvTestNets.denseVariances;
import static dev.heinit.lsuv.LsuvTestNets.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LsuvTest {

    private static final int BATCH = 256;

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void twentyLayerMixedActivationsWithinToleranceOnTheBatchAndTwentyPercentHeldOut(String type) {
        DataType dt = DataType.valueOf(type);
        MultiLayerNetwork net = LsuvTestNets.dense(1, 19, MIXED, dt);
        INDArray x = batch(10, BATCH, dt);
        INDArray heldOut = batch(20, BATCH, dt);
        double tol = 0.1;
        LsuvReport r = Lsuv.builder().tolerance(tol).build().initialize(net, x);

        assertEquals(20, r.layers().size());
        assertEquals(20, r.adjusted().size());
        assertTrue(r.allConverged(), r.toText());
        double[] used = denseVariances(net, x);
        double[] held = denseVariances(net, heldOut);
        for (int i = 0; i < used.length; i++) {
            assertEquals(1.0, used[i], tol, "layer " + i + " on the batch used\n" + r.toText());
            assertEquals(1.0, held[i], 0.2, "layer " + i + " on the held-out batch\n" + r.toText());
            assertEquals(used[i], r.layers().get(i).varianceAfter(), 1e-4 * used[i], "reported variance, layer " + i);
        }
        // the same check through the library's own dry run on held-out data
        LsuvReport m = Lsuv.builder().tolerance(0.2).build().check(net, heldOut);
        assertTrue(m.allConverged(), m.toText());
        // the activation functions are back in place
        assertTrue(
                ((org.deeplearning4j.nn.conf.layers.BaseLayer)
                                        net.getLayer(0).conf().getLayer())
                                .getActivationFn()
                        instanceof ActivationReLU);
    }

    @Test
    void postActivationDrivesTheLayerOutputsToTheTarget() {
        Activation[] acts = {Activation.RELU, Activation.ELU, Activation.LEAKYRELU, Activation.SWISH, Activation.SELU};
        MultiLayerNetwork net = LsuvTestNets.dense(2, 10, acts, DataType.FLOAT);
        INDArray x = batch(11, BATCH, DataType.FLOAT);
        LsuvReport r = Lsuv.builder()
                .measure(Measure.POST_ACTIVATION)
                .targetVariance(2.0)
                .tolerance(0.05)
                .build()
                .initialize(net, x);
        assertTrue(r.allConverged(), r.toText());
        List<INDArray> acts2 = net.feedForward(x, false);
        for (int i = 0; i < 10; i++) {
            assertEquals(2.0, variance(acts2.get(i + 1)), 0.1, "output of layer " + i + "\n" + r.toText());
            assertEquals(Measure.POST_ACTIVATION, r.layers().get(i).measure());
        }
        // the softmax output layer is measured on its logits
        assertEquals(Measure.PRE_ACTIVATION, r.layers().get(10).measure());
        assertEquals(2.0, denseVariances(net, x)[10], 0.1);
    }

    @Test
    void convolutionsBatchNormAndPoolingInAPlainCnn() {
        // conv layers with identity activation (followed by ActivationLayers) expose their pre-activation in
        // feedForward, an independent check of what LSUV measured; one conv has its ReLU inside.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(8)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(12)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(16)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(200)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(10, 10, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 3, 10, 10).muli(5);
        LsuvReport r = Lsuv.defaults().initialize(net, new DataSet(x, null));
        assertTrue(r.allConverged(), r.toText());
        List<LayerResult> l = r.layers();
        assertEquals(
                Arrays.asList(
                        LayerResult.Status.ADJUSTED,
                        LayerResult.Status.PASS_THROUGH,
                        LayerResult.Status.ADJUSTED,
                        LayerResult.Status.PASS_THROUGH,
                        LayerResult.Status.ADJUSTED,
                        LayerResult.Status.PASS_THROUGH,
                        LayerResult.Status.PASS_THROUGH,
                        LayerResult.Status.ADJUSTED,
                        LayerResult.Status.ADJUSTED),
                l.stream().map(LayerResult::status).collect(java.util.stream.Collectors.toList()));
        assertTrue(l.get(0).orthonormal() && l.get(7).orthonormal() && l.get(8).orthonormal());
        // feedForwardToLayer(i): DL4J's ActivationLayer applies its function in place on its input in inference,
        // so the full feedForward list shows layer 0's output already rectified.
        for (int i : new int[] {0, 4, 7}) {
            INDArray zi = net.feedForwardToLayer(i, x, false).get(i + 1);
            assertEquals(1.0, variance(zi), 0.1, "conv " + i + "\n" + r.toText());
        }
        // the ReLU conv (layer 2) hides its pre-activation from feedForward: compare with a dry run instead.
        assertEquals(
                l.get(2).varianceAfter(),
                Lsuv.defaults().check(net, x).layers().get(2).varianceAfter(),
                1e-6 * l.get(2).varianceAfter());
        // weights were rescaled orthonormal matrices: conv 0 is 8 x 27 (wide), W·Wᵀ = s²·I
        double s = l.get(0).totalScale();
        INDArray w = net.getParam("0_W").castTo(DataType.DOUBLE).reshape('c', new long[] {8, 27});
        INDArray gram = w.mmul(w.transpose()).divi(s * s);
        assertTrue(gram.equalsWithEps(Nd4j.eye(8).castTo(DataType.DOUBLE), 1e-3), gram.toString());
    }

    @Test
    void onTopOfExistingWeightsOnlyRescales() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .weightInit(HeInit.normal())
                .biasInit(0.3)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(IN)
                        .nOut(64)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(64)
                        .nOut(64)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder()
                        .nIn(64)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray before = net.params().dup();
        INDArray x = batch(12, 128, DataType.FLOAT);
        LsuvReport r =
                Lsuv.builder().orthonormal(false).zeroBiases(false).build().initialize(net, x);
        assertTrue(r.allConverged(), r.toText());
        for (int i = 0; i < 3; i++) {
            assertFalse(r.layers().get(i).orthonormal());
            INDArray b = net.getParam(i + "_b");
            assertTrue(b.equalsWithEps(Nd4j.valueArrayOf(b.shape(), 0.3f), 1e-7), "bias kept");
            assertEquals(1.0, denseVariances(net, x)[i], 0.1);
        }
        // proportionality: W_after = totalScale · W_before, element by element
        MultiLayerNetwork orig = new MultiLayerNetwork(conf.clone());
        orig.init(before, true);
        for (int i = 0; i < 3; i++) {
            INDArray w0 = orig.getParam(i + "_W")
                    .castTo(DataType.DOUBLE)
                    .mul(r.layers().get(i).totalScale());
            INDArray w1 = net.getParam(i + "_W").castTo(DataType.DOUBLE);
            assertTrue(w0.equalsWithEps(w1, 1e-5 * w1.amaxNumber().doubleValue()), "layer " + i);
        }
    }

    @Test
    void sameSeedSameResultDifferentSeedDifferentResult() {
        long[][] p = new long[3][];
        LsuvReport[] r = new LsuvReport[3];
        long[] seeds = {7, 7, 8};
        for (int k = 0; k < 3; k++) {
            MultiLayerNetwork net = LsuvTestNets.dense(1, 4, MIXED, DataType.FLOAT);
            INDArray x = batch(13, 64, DataType.FLOAT);
            Nd4j.getRandom().setSeed(seeds[k]);
            r[k] = Lsuv.defaults().initialize(net, x);
            p[k] = bits(net.params());
        }
        assertArrayEquals(p[0], p[1]);
        assertEquals(r[0].layers(), r[1].layers());
        assertFalse(Arrays.equals(p[0], p[2]));
    }

    @Test
    void computationGraphWithMergeAndAddVertices() {
        ComputationGraph g = LsuvTestNets.graph(9);
        INDArray x = batch(14, BATCH, DataType.FLOAT);
        LsuvReport r = Lsuv.builder().tolerance(0.05).build().initialize(g, new DataSet(x, null));
        assertTrue(r.allConverged(), r.toText());
        assertEquals(6, r.adjusted().size(), r.toText());
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {x}, false);
        String[][] edges = {{"a", "in"}, {"b1", "a"}, {"b2", "a"}, {"c", "m"}, {"d", "m"}, {"out", "add"}};
        for (String[] e : edges) {
            INDArray in = acts.get(e[1]).castTo(DataType.DOUBLE);
            INDArray z = in.mmul(g.getParam(e[0] + "_W").castTo(DataType.DOUBLE))
                    .addiRowVector(g.getParam(e[0] + "_b").castTo(DataType.DOUBLE));
            assertEquals(1.0, variance(z), 0.05, "vertex " + e[0] + "\n" + r.toText());
        }
        LayerResult merge = r.layers().stream()
                .filter(l -> l.name().equals("m"))
                .findFirst()
                .orElseThrow();
        assertEquals(LayerResult.Status.PASS_THROUGH, merge.status());
        assertEquals("MergeVertex", merge.type());
        // the MultiDataSet entry point gives the same result from the same seed
        ComputationGraph g2 = LsuvTestNets.graph(9);
        ComputationGraph g3 = LsuvTestNets.graph(9);
        Nd4j.getRandom().setSeed(77);
        Lsuv.defaults().initialize(g2, new org.nd4j.linalg.dataset.MultiDataSet(x, null));
        Nd4j.getRandom().setSeed(77);
        Lsuv.defaults().initialize(g3, x);
        assertArrayEquals(bits(g2.params()), bits(g3.params()));
        // and the held-out batch through the dry run
        assertTrue(Lsuv.builder()
                .tolerance(0.2)
                .build()
                .check(g, batch(15, BATCH, DataType.FLOAT))
                .allConverged());
    }

    @Test
    void sameDiffRecurrentAndFrozenLayersAreReportedByNameAndLeftAlone() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(6)
                .list()
                .layer(new SelfAttentionLayer.Builder()
                        .name("attn")
                        .nIn(8)
                        .nOut(8)
                        .nHeads(2)
                        .projectInput(true)
                        .build())
                .layer(new LSTM.Builder()
                        .name("lstm")
                        .nIn(8)
                        .nOut(8)
                        .activation(Activation.TANH)
                        .build())
                .layer(new FrozenLayer(new DenseLayer.Builder().nIn(8).nOut(8).build()))
                .layer(new RnnOutputLayer.Builder()
                        .name("rnnout")
                        .nIn(8)
                        .nOut(4)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(8, 5))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray attn = net.getLayer(0).params().dup();
        INDArray lstm = net.getLayer(1).params().dup();
        INDArray frozen = net.getLayer(2).params().dup();
        Nd4j.getRandom().setSeed(16);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, 8, 5);
        LsuvReport r = Lsuv.defaults().initialize(net, x);
        assertEquals(
                Arrays.asList("attn", "lstm"),
                r.unsupported().stream().limit(2).map(LayerResult::name).collect(java.util.stream.Collectors.toList()),
                r.toText());
        assertEquals(3, r.unsupported().size(), r.toText());
        assertTrue(r.unsupported().get(0).note().contains("SameDiff"));
        assertEquals(LayerResult.Status.ADJUSTED, r.layers().get(3).status());
        assertArrayEquals(bits(attn), bits(net.getLayer(0).params()));
        assertArrayEquals(bits(lstm), bits(net.getLayer(1).params()));
        assertArrayEquals(bits(frozen), bits(net.getLayer(2).params()));
        assertTrue(r.layers().get(3).converged(), r.toText());
    }

    @Test
    void iteratorInputAndReportRendering() {
        MultiLayerNetwork net = LsuvTestNets.dense(1, 3, MIXED, DataType.FLOAT);
        INDArray x = batch(17, 64, DataType.FLOAT);
        LsuvReport r = Lsuv.defaults().initialize(net, new SingletonDataSetIterator(new DataSet(x, null)));
        assertEquals(64, r.batchSize());
        String[] lines = r.toText().split(System.lineSeparator());
        assertEquals(2 + 4, lines.length, r.toText());
        assertTrue(lines[0].startsWith("LSUV: target variance 1.00000, tolerance 0.100000"), lines[0]);
        int end = lines[1].indexOf("var_after") + "var_after".length();
        for (int i = 2; i < lines.length; i++) {
            assertTrue(
                    Character.isDigit(lines[i].charAt(end - 1)) && lines[i].charAt(end) == ' ',
                    "column var_after right-aligned in\n" + r.toText());
        }
        String[] csv = r.toCsv().split("\n");
        assertEquals(5, csv.length);
        assertEquals(
                "index,name,type,status,measure,orthonormal,iterations,var_before,var_after,total_scale,"
                        + "converged,note",
                csv[0]);
        for (int i = 1; i < csv.length; i++) {
            String[] f = csv[i].split(",", -1);
            assertEquals(12, f.length, csv[i]);
            assertEquals(
                    r.layers().get(i - 1).varianceAfter(),
                    Double.parseDouble(f[8]),
                    1e-5 * r.layers().get(i - 1).varianceAfter());
            assertEquals("layer" + (i - 1), f[1]);
        }
    }

    @Test
    void builderValidatesAndDescribesItself() {
        assertThrows(IllegalArgumentException.class, () -> Lsuv.builder().tolerance(0));
        assertThrows(IllegalArgumentException.class, () -> Lsuv.builder().tolerance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Lsuv.builder().maxIterations(0));
        assertThrows(IllegalArgumentException.class, () -> Lsuv.builder().targetVariance(-1));
        assertThrows(IllegalArgumentException.class, () -> Lsuv.builder().measure(null));
        Lsuv d = Lsuv.defaults();
        assertEquals(0.1, d.tolerance());
        assertEquals(10, d.maxIterations());
        assertEquals(1.0, d.targetVariance());
        assertTrue(d.orthonormal() && d.zeroBiases() && !d.strict());
        assertEquals(Measure.PRE_ACTIVATION, d.measure());
        assertEquals(d, d.toBuilder().build());
        assertNotEquals(d, d.toBuilder().strict(true).build());
        MultiLayerNetwork uninit = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new OutputLayer.Builder().nIn(2).nOut(2).build())
                .build());
        assertThrows(IllegalArgumentException.class, () -> d.initialize(uninit, Nd4j.ones(2, 2)));
    }

    /**
     * {@link Lsuv#smallSignal()} on a 10-layer SiLU (DL4J Swish) MLP lands every hidden layer at the small-signal
     * critical point: Var(z) = 0.01 and σ_w = ‖W‖_F/√fan_out (orthonormal square W scaled by s has σ_w = s) equal to
     * 1/√(E[f(z)²]/q) at q = 0.01, i.e. 1/√(1/4 + 3q/16) = 1.9926 from f(z) = z/2 + z²/4 + O(z⁴) — close to
     * 1/f'(0) = 2 and far from the He gain 1.6765. Bound: LSUV's tolerance 0.02 on the variance is ≤ 1 % of σ_w,
     * and E[f²] is estimated from 256 × 64 values (relative standard error √(2/16384) = 1.1 %, 0.55 % on σ_w), so
     * 0.06 (3 %) is more than 4 standard errors of both together.
     */
    @Test
    void smallSignalPutsSmoothActivationsAtTheirCriticalGain() {
        Activation[] acts = new Activation[10];
        java.util.Arrays.fill(acts, Activation.SWISH);
        MultiLayerNetwork net = LsuvTestNets.dense(5, 10, acts, DataType.FLOAT);
        INDArray x = batch(12, BATCH, DataType.FLOAT);
        Lsuv small = Lsuv.smallSignal().toBuilder().tolerance(0.02).build();
        assertEquals(Lsuv.SMALL_SIGNAL_VARIANCE, Lsuv.smallSignal().targetVariance());
        assertEquals(
                Lsuv.defaults(),
                Lsuv.smallSignal().toBuilder().targetVariance(1).build());
        LsuvReport r = small.initialize(net, x);
        assertTrue(r.allConverged(), r.toText());
        double[] v = denseVariances(net, x);
        double expected = 1 / Math.sqrt(0.25 + 3 * 0.01 / 16);
        for (int i = 1; i < 10; i++) {
            assertEquals(0.01, v[i], 0.01 * 0.025, "Var(z) of layer " + i);
            INDArray w = net.getLayer(i).getParam("W").castTo(DataType.DOUBLE);
            double sigmaW = w.norm2Number().doubleValue() / Math.sqrt(w.size(1));
            assertEquals(expected, sigmaW, 0.06, "sigma_w of layer " + i + "\n" + r.toText());
        }
    }
}
