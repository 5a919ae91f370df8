package dev.heinit.diagnostics;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.stats.TensorStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalPropagationTest {

    private static final int DEPTH = 30;
    private static final int WIDTH = 256;
    private static final int BATCH = 128;

    // Expected log10 forward ratio over 29 transitions: Xavier on ReLU ×(1/√2) per layer ⇒ −4.4; He ⇒ 0, with
    // a per-network log-SD ≈ 0.2–0.5 at this width, so ±1 decade is several SD away. Three seeds each.
    @Test
    void thirtyLayerReluXavierVanishesHeIsHealthy() {
        for (long seed = 11; seed <= 13; seed++) {
            DataSet batch = TestNets.batch(BATCH, seed);
            SignalReport he = SignalPropagation.measure(
                    TestNets.mlp(DEPTH, WIDTH, Activation.RELU, TestNets.he(), 0, seed), batch);
            assertEquals(EnumSet.of(Verdict.HEALTHY), he.verdicts(), () -> he.toText());
            assertTrue(Math.abs(Math.log10(he.forwardRatio())) < 0.5, () -> "He forward " + he.forwardRatio());
            assertTrue(Math.abs(Math.log10(he.backwardRatio())) < 0.5, () -> "He backward " + he.backwardRatio());
            assertTrue(he.layers(Verdict.HEALTHY).isEmpty());

            SignalReport xavier = SignalPropagation.measure(
                    TestNets.mlp(DEPTH, WIDTH, Activation.RELU, TestNets.xavier(), 0, seed), batch);
            assertEquals(EnumSet.of(Verdict.VANISHING), xavier.verdicts(), () -> xavier.toText());
            assertTrue(xavier.forwardRatio() < 1e-3, () -> "Xavier forward " + xavier.forwardRatio());
            assertTrue(xavier.backwardRatio() < 1e-3, () -> "Xavier backward " + xavier.backwardRatio());
            List<LayerSignal> culprits = xavier.layers(Verdict.VANISHING);
            // the forward ratio runs up to the last hidden layer (the output layer's fan ratio is not depth)
            assertTrue(culprits.contains(xavier.layer(DEPTH - 2)), "the last hidden layer's z vanished");
            assertFalse(culprits.contains(xavier.layer(DEPTH - 1)), "the output layer is not judged");
            assertTrue(culprits.contains(xavier.layer(0)), "the first layer's δ vanished");
        }
    }

    @Test
    void standardNormalWeightsExplode() {
        SignalReport r = SignalPropagation.measure(
                TestNets.mlp(DEPTH, WIDTH, Activation.RELU, TestNets.standardNormal(), 0, 5), TestNets.batch(BATCH, 5));
        assertTrue(r.verdicts().contains(Verdict.EXPLODING), r::toText);
        assertFalse(r.verdicts().contains(Verdict.HEALTHY));
        // ×sqrt(256/2) ≈ 11.3 per layer over 29 layers: ~1e30, whose square only double holds
        assertTrue(r.forwardRatio() > 1e20, () -> "forward " + r.forwardRatio());
        assertTrue(Double.isFinite(r.layer(DEPTH - 1).preActivation().secondMoment()));
        assertTrue(r.layer(DEPTH - 1).preActivation().rms() > 1e25);
    }

    @Test
    void nanInInputIsReportedNotThrown() {
        MultiLayerNetwork net = TestNets.mlp(5, 32, Activation.RELU, TestNets.he(), 0, 3);
        DataSet batch = TestNets.batch(16, 3);
        batch.getFeatures().putScalar(3, 7, Double.NaN);
        SignalReport r = SignalPropagation.measure(net, batch);
        assertTrue(r.verdicts().contains(Verdict.NON_FINITE), r::toText);
        assertFalse(r.verdicts().contains(Verdict.HEALTHY));
        assertTrue(r.layers(Verdict.NON_FINITE).contains(r.layer(0)));
        assertTrue(r.layer(0).preActivation().nanCount() > 0);
        assertTrue(r.layer(0).nanCount() > 0);
        // the other 15 examples still give finite moments
        assertTrue(Double.isFinite(r.layer(0).preActivation().rms()));
    }

    @Test
    void largeNegativeBiasKillsUnits() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(4)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .list();
        for (int i = 0; i < 5; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? TestNets.IN : 64)
                    .nOut(64)
                    .activation(Activation.RELU)
                    .biasInit(i == 2 ? -10 : 0)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(64)
                .nOut(TestNets.CLASSES)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        SignalReport r = SignalPropagation.measure(net, TestNets.batch(64, 4));
        assertTrue(r.verdicts().contains(Verdict.DEAD_UNITS), r::toText);
        assertEquals(1.0, r.layer(2).deadFraction());
        List<LayerSignal> dead = r.layers(Verdict.DEAD_UNITS);
        assertTrue(dead.contains(r.layer(2)));
        assertFalse(dead.contains(r.layer(0)));
        assertFalse(dead.contains(r.layer(1)));
        assertTrue(r.layer(0).deadFraction() < 0.5);
    }

    @Test
    void tanhWithHugeWeightsSaturatesAndGlorotDoesNot() {
        SignalReport huge = SignalPropagation.measure(
                TestNets.mlp(6, WIDTH, Activation.TANH, TestNets.standardNormal(), 0, 6), TestNets.batch(64, 6));
        assertTrue(huge.verdicts().contains(Verdict.SATURATED), huge::toText);
        for (int i = 0; i < 5; i++) {
            // layer 0 sees 32 unit inputs (z std ≈ 5.7, P(|z| > 2.3) ≈ 0.69); deeper ones 256 (z std ≈ 15, ≈ 0.88)
            assertTrue(huge.layer(i).saturatedFraction() > (i == 0 ? 0.6 : 0.8), huge::toText);
            assertTrue(huge.layers(Verdict.SATURATED).contains(huge.layer(i)));
        }
        SignalReport glorot = SignalPropagation.measure(
                TestNets.mlp(6, WIDTH, Activation.TANH, TestNets.xavier(), 0, 6), TestNets.batch(64, 6));
        assertFalse(glorot.verdicts().contains(Verdict.SATURATED), glorot::toText);
        // z ~ N(0, ≤1): P(|z| > 2.30) ≤ 2.1 %
        assertTrue(glorot.layer(1).saturatedFraction() < 0.05, glorot::toText);
        // ReLU is unbounded above: no saturation measured
        SignalReport relu = SignalPropagation.measure(
                TestNets.mlp(3, 16, Activation.RELU, TestNets.he(), 0, 6), TestNets.batch(8, 6));
        assertTrue(Double.isNaN(relu.layer(0).saturatedFraction()));
    }

    static MultiLayerNetwork smallCnn(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .updater(new Sgd(0.1))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(6)
                        .activation(Activation.TANH)
                        .biasInit(0.1)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(12)
                        .activation(Activation.LEAKYRELU)
                        .biasInit(0.05)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(TestNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(12, 12, 1))
                .build());
        net.init();
        return net;
    }

    static DataSet cnnBatch(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        DataSet d = TestNets.batch(n, seed);
        return new DataSet(Nd4j.rand(DataType.FLOAT, n, 144), d.getLabels());
    }

    @Test
    void forwardHalfIsTheFullMeasurementsForwardHalfWithoutBackwardFields() {
        MultiLayerNetwork mlp = TestNets.mlp(5, 24, Activation.TANH, TestNets.he(), 0.1, 31);
        DataSet batch = TestNets.batch(20, 31);
        assertForwardHalf(SignalPropagation.measure(mlp, batch), SignalPropagation.measureForward(mlp, batch));
        MultiLayerNetwork cnn = smallCnn(32);
        DataSet images = cnnBatch(12, 32);
        assertForwardHalf(SignalPropagation.measure(cnn, images), SignalPropagation.measureForward(cnn, images));
    }

    /** Every forward statistic bitwise equal, every backward one absent. */
    static void assertForwardHalf(SignalReport full, SignalReport forward) {
        assertEquals(full.layers().size(), forward.layers().size());
        for (int i = 0; i < full.layers().size(); i++) {
            LayerSignal f = full.layer(i);
            LayerSignal h = forward.layer(i);
            String what = "layer " + i + ": " + h;
            assertEquals(f.preActivation(), h.preActivation(), what);
            assertEquals(f.activation(), h.activation(), what);
            assertEquals(f.forwardRatio(), h.forwardRatio(), what);
            assertEquals(f.cosineRaw(), h.cosineRaw(), what);
            assertEquals(f.deadFraction(), h.deadFraction(), what);
            assertTrue(f.delta().present(), "the full measurement has δ: " + f);
            assertFalse(h.delta().present(), what);
            assertFalse(h.gradientWeight().present(), what);
            assertTrue(Double.isNaN(h.backwardRatio()), what);
        }
        assertEquals(full.loss(), forward.loss());
        assertEquals(full.forwardRatio(), forward.forwardRatio());
        assertTrue(Double.isNaN(forward.backwardRatio()), forward::toText);
    }

    @Test
    void gradientStatisticsEqualComputeGradientAndScore() {
        MultiLayerNetwork mlp = TestNets.mlp(4, 24, Activation.RELU, TestNets.he(), 0.1, 8);
        checkAgainstDl4j(mlp, TestNets.batch(20, 8));
        checkAgainstDl4j(smallCnn(9), cnnBatch(20, 9));
        MultiLayerNetwork bn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(15)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TestNets.IN)
                        .nOut(24)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder()
                        .nOut(24)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(24)
                        .nOut(24)
                        .activation(Activation.SIGMOID)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(24)
                        .nOut(24)
                        .activation(Activation.SOFTSIGN)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(24)
                        .nOut(TestNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        bn.init();
        checkAgainstDl4j(bn, TestNets.batch(20, 15));
    }

    private static void checkAgainstDl4j(MultiLayerNetwork net, DataSet batch) {
        INDArray paramsBefore = net.params().dup();
        SignalReport r = SignalPropagation.measure(net, batch);
        assertEquals(paramsBefore, net.params(), "measure must not change parameters");
        // every layer's activation is what DL4J's own training-mode forward pass produces (no dropout here)
        List<INDArray> ff = net.feedForward(batch.getFeatures(), true);
        for (int i = 0; i < net.getnLayers(); i++) {
            TensorStats direct = TensorStats.of(ff.get(i + 1));
            assertEquals(direct.rms(), r.layer(i).activation().rms(), 1e-6 * direct.rms(), "layer " + i + " output");
            assertEquals(direct.mean(), r.layer(i).activation().mean(), 1e-6 * direct.rms(), "layer " + i + " output");
        }
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        Map<String, INDArray> g = net.gradient().gradientForVariable();
        int mb = (int) batch.getFeatures().size(0);
        assertEquals(net.score(), r.loss(), 1e-5 * Math.abs(net.score()));
        int weighted = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            LayerSignal l = r.layer(i);
            INDArray gw = g.get(i + "_W");
            INDArray gb = g.get(i + "_b");
            if (gw == null) {
                assertFalse(l.isWeighted());
                continue;
            }
            weighted++;
            TensorStats direct =
                    TensorStats.of(gw.castTo(DataType.DOUBLE).div(mb).dup('c'));
            assertEquals(direct.rms(), l.gradientWeightRms(), 1e-6 * direct.rms(), "layer " + i + " dL/dW");
            assertEquals(direct.mean(), l.gradientWeight().mean(), 1e-6 * direct.rms(), "layer " + i);
            double gbRms = gb.castTo(DataType.DOUBLE).norm2Number().doubleValue() / Math.sqrt(gb.length()) / mb;
            assertEquals(gbRms, l.gradientBiasRms(), 1e-6 * gbRms, "layer " + i + " dL/db");
            double wRms =
                    net.getParam(i + "_W").castTo(DataType.DOUBLE).norm2Number().doubleValue()
                            / Math.sqrt(net.getParam(i + "_W").length());
            assertEquals(wRms, l.weightRms(), 1e-6 * wRms);
            assertEquals(l.gradientWeightRms() / l.weightRms(), l.updateRatio(), 1e-12);
            // δ by an independent route: DL4J's bias gradient is Σₙ δₙ (summed over positions for conv),
            // so its mean over units equals the mean of δ times the positions per unit.
            long positions = l.delta().count() / mb / gb.length();
            assertEquals(
                    gb.castTo(DataType.DOUBLE).meanNumber().doubleValue() / mb,
                    l.delta().mean() * positions,
                    1e-5 * l.delta().rms() * positions,
                    "layer " + i + " δ");
        }
        assertTrue(weighted >= 4);
        // z of the first layer by hand: x·W + b (dense) — only for the MLP
        if (r.layer(0).type().equals("DenseLayer")) {
            INDArray z = batch.getFeatures().mmul(net.getParam("0_W")).addiRowVector(net.getParam("0_b"));
            TensorStats zs = TensorStats.of(z);
            assertEquals(zs.rms(), r.layer(0).preActivation().rms(), 1e-6 * zs.rms());
            assertEquals(zs.mean(), r.layer(0).preActivation().mean(), 1e-6 * zs.rms());
        }
    }

    @Test
    void syntheticLossIsDeterministicAndLeavesTheNetworkAsItWas() {
        MultiLayerNetwork net = smallCnn(10);
        INDArray x = cnnBatch(8, 10).getFeatures();
        INDArray outBefore = net.output(x);
        INDArray paramsBefore = net.params().dup();
        SignalReport a = SignalPropagation.measure(net, x);
        SignalReport b = SignalPropagation.measure(net, x);
        assertTrue(a.syntheticLabels());
        assertEquals(a.layers(), b.layers());
        assertEquals(a.loss(), b.loss());
        assertTrue(a.layer(net.getnLayers() - 1).delta().present());
        assertEquals(paramsBefore, net.params());
        assertEquals(outBefore, net.output(x), "activation functions restored");
        assertEquals("relu", a.layer(0).activationFunction());
        assertEquals("none", a.layer(1).activationFunction());
        assertFalse(a.layer(1).isWeighted());
        // a pooling layer passes δ through: its pre-activation is its output
        assertEquals(a.layer(1).activation(), a.layer(1).preActivation());
    }

    @Test
    void thresholdsAreNamedValidatedAndReapplicable() {
        SignalReport xavier = SignalPropagation.measure(
                TestNets.mlp(12, 64, Activation.RELU, TestNets.xavier(), 0, 2), TestNets.batch(32, 2));
        assertTrue(xavier.verdicts().contains(Verdict.VANISHING), xavier::toText);
        SignalThresholds lax = SignalThresholds.defaults().withVanishingRatio(1e-9);
        assertEquals(EnumSet.of(Verdict.HEALTHY), xavier.verdicts(lax));
        assertEquals(SignalThresholds.defaults(), xavier.thresholds());
        SignalThresholds d = SignalThresholds.defaults();
        assertEquals(0.1, d.vanishingRatio());
        assertEquals(10, d.explodingRatio());
        assertEquals(0.5, d.deadFraction());
        assertEquals(0.5, d.saturatedFraction());
        assertEquals(0.01, d.saturationMargin());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withVanishingRatio(1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withExplodingRatio(0.5));
        assertThrows(IllegalArgumentException.class, () -> d.withDeadFraction(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withSaturationMargin(0));
        assertThrows(IllegalArgumentException.class, () -> xavier.layer(99));
        assertThrows(IllegalArgumentException.class, () -> xavier.layer("nope"));
        assertEquals(xavier.layer(3), xavier.layer("layer3"));
    }

    @Test
    void networkWithoutOutputLayerGetsTheLinearSyntheticLoss() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(12)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .list();
        for (int i = 0; i < 4; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? TestNets.IN : 48)
                    .nOut(48)
                    .activation(Activation.RELU)
                    .build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        SignalReport r = SignalPropagation.measure(net, TestNets.batch(64, 12).getFeatures());
        assertTrue(r.syntheticLabels());
        assertTrue(Double.isFinite(r.loss()));
        for (LayerSignal l : r.layers()) {
            assertTrue(l.delta().present() && l.gradientWeight().present(), l::toString);
        }
        // ∂L/∂a_top = r ~ N(0,1); δ_top = r ⊙ 1[z > 0]: E[δ²] ≈ P(z > 0) ≈ 1/2 (3072 values, SE ≈ 0.02)
        assertEquals(0.5, r.layer(3).delta().secondMoment(), 0.1);
        assertEquals(EnumSet.of(Verdict.HEALTHY), r.verdicts(), r::toText);
    }

    @Test
    void recurrentBatchNormAndDropoutLayersAreMeasured() {
        MultiLayerNetwork rnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(13)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
                        .nIn(5)
                        .nOut(8)
                        .activation(Activation.TANH)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        rnn.init();
        Nd4j.getRandom().setSeed(13);
        SignalReport r = SignalPropagation.measure(rnn, Nd4j.randn(DataType.FLOAT, 4, 5, 7));
        assertEquals(2, r.layers().size());
        assertTrue(Double.isFinite(r.loss()));
        assertTrue(r.layer(0).delta().present());
        assertTrue(r.layer(0).gradientWeight().present());
        assertFalse(r.verdicts().contains(Verdict.NON_FINITE), r::toText);

        MultiLayerNetwork bn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(14)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TestNets.IN)
                        .nOut(32)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder()
                        .nOut(32)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(32)
                        .nOut(32)
                        .activation(Activation.RELU)
                        .dropOut(0.8)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(32)
                        .nOut(TestNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        bn.init();
        DataSet batch = TestNets.batch(32, 14);
        SignalReport b = SignalPropagation.measure(bn, batch);
        // batch norm in training mode: zero mean, unit variance per feature. DL4J configures its default
        // sigmoid on BatchNormalization but never applies it: the report must not apply it either.
        assertEquals(1.0, b.layer(1).activation().secondMoment(), 0.01, b::toText);
        assertEquals("none", b.layer(1).activationFunction());
        // the ActivationLayer's pre-activation is its input, the BN output
        assertEquals(b.layer(1).activation().rms(), b.layer(2).preActivation().rms(), 1e-6);
        assertEquals("relu", b.layer(2).activationFunction());
        bn.setInput(batch.getFeatures());
        bn.setLabels(batch.getLabels());
        assertTrue(Double.isFinite(b.loss()));
    }

    /**
     * ReLU(max 6) and plain ReLU print alike ("relu"): their bounds must not be shared. The capped layer's
     * saturated fraction counts only outputs near the cap (its zeros are inactive units), so He init is not
     * SATURATED; HardTanh's clipped −1 still counts.
     */
    @Test
    void cappedReluSaturatesOnlyAtItsCapAndDoesNotLeakIntoPlainRelu() {
        org.nd4j.linalg.activations.IActivation capped =
                new org.nd4j.linalg.activations.impl.ActivationReLU(6.0, 0.0, 0.0);
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(47)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .updater(new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(TestNets.IN)
                        .nOut(64)
                        .activation(capped)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(64)
                        .nOut(64)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(64)
                        .nOut(64)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(64)
                        .nOut(64)
                        .activation(Activation.HARDTANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(64)
                        .nOut(TestNets.CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        // scaled input: some capped outputs reach 5.94 = 6 − 0.01·6
        DataSet batch = TestNets.batch(64, 47);
        batch.setFeatures(batch.getFeatures().mul(3));
        SignalReport r = SignalPropagation.measure(net, batch);
        java.util.List<INDArray> acts = net.feedForward(batch.getFeatures(), false);
        assertEquals(fraction(acts.get(1), v -> v >= 6 - 0.06), r.layer(0).saturatedFraction(), 1e-12, r::toText);
        assertTrue(r.layer(0).saturatedFraction() > 0, r::toText);
        assertTrue(Double.isNaN(r.layer(1).saturatedFraction()), r::toText);
        assertTrue(Double.isNaN(r.layer(2).saturatedFraction()), r::toText);
        assertEquals(
                fraction(acts.get(4), v -> Math.abs(v) >= 1 - 0.02), r.layer(3).saturatedFraction(), 1e-12, r::toText);
        assertTrue(r.layer(3).saturatedFraction() > 0, r::toText);
        assertFalse(r.layers(Verdict.SATURATED).contains(r.layer(0)), r::toText);
    }

    private static double fraction(INDArray a, java.util.function.DoublePredicate p) {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = 0;
        for (double x : v) {
            if (p.test(x)) {
                n++;
            }
        }
        return n / (double) v.length;
    }

    /**
     * RnnOutputLayer applies softmax over the classes of each time step (after a reshape to rank 2): its
     * activation statistics must be those of its real output (mean exactly 1/classes), not of softmax applied to
     * the rank-3 z along the wrong dimension (mean 1/time steps).
     */
    @Test
    void rnnOutputSoftmaxActivationIsTheLayersOwnOutput() {
        int classes = 5;
        int steps = 7;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(53)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he())
                .updater(new Sgd(0.1))
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(6)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(6, steps))
                .build());
        net.init();
        Nd4j.getRandom().setSeed(53);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 6, steps);
        SignalReport r = SignalPropagation.measure(net, x);
        INDArray out = net.output(x, false);
        assertEquals(TensorStats.of(out).mean(), r.layer(0).activation().mean(), 1e-6, r::toText);
        assertEquals(1.0 / classes, r.layer(0).activation().mean(), 1e-6, r::toText);
        assertEquals(TensorStats.of(out).rms(), r.layer(0).activation().rms(), 1e-6, r::toText);
    }
}
