package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;
import dev.heinit.activation.SiLU;
import dev.heinit.gain.Gains;
import dev.heinit.stats.ExampleCorrelation;
import dev.heinit.stats.TensorStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Order versus chaos (DECORRELATING, COLLAPSING), measured and predicted χ, like-for-like ratios. */
class OrderChaosTest {

    // ---------------------------------------------------------------- constructed signals

    private static LayerSignal row(int i, double[][] a, boolean output) {
        INDArray x = Nd4j.createFromArray(a);
        ExampleCorrelation c = ExampleCorrelation.of(x);
        TensorStats s = TensorStats.of(x);
        return new LayerSignal(
                i,
                "l" + i,
                "DenseLayer",
                "relu",
                output,
                s,
                s,
                s,
                TensorStats.of(Nd4j.ones(2, 2)),
                TensorStats.ABSENT,
                TensorStats.ABSENT,
                0,
                Double.NaN,
                1,
                1,
                c.raw(),
                c.centred(),
                Double.NaN,
                Double.NaN,
                1);
    }

    private static double[][] identicalRows(int n, int d, Random r) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = r.nextGaussian();
        }
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = v.clone();
        }
        return a;
    }

    /** n ≤ d random orthonormal rows (Gram–Schmidt on Gaussian rows). */
    private static double[][] orthogonalRows(int n, int d, Random r) {
        double[][] a = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = r.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += a[i][j] * a[k][j];
                }
                for (int j = 0; j < d; j++) {
                    a[i][j] -= dot * a[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += a[i][j] * a[i][j];
            }
            for (int j = 0; j < d; j++) {
                a[i][j] /= Math.sqrt(norm);
            }
        }
        return a;
    }

    /** Rows = a shared vector plus 0.3 × independent noise: cosine ≈ 1/1.09 = 0.92. */
    private static double[][] correlatedRows(int n, int d, Random r) {
        double[][] a = identicalRows(n, d, r);
        for (double[] x : a) {
            for (int j = 0; j < d; j++) {
                x[j] += 0.3 * r.nextGaussian();
            }
        }
        return a;
    }

    @Test
    void identicalRowsCollapseOrthogonalRowsDecorrelate() {
        Random r = new Random(3);
        int n = 16;
        int d = 64;
        List<LayerSignal> same = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            same.add(row(i, identicalRows(n, d, r), false));
        }
        same.add(row(4, identicalRows(n, 10, r), true));
        SignalReport collapsed = new SignalReport(same, n, 1.0, false, SignalThresholds.defaults());
        assertEquals(1.0, same.get(3).cosineRaw(), 1e-12);
        assertEquals(EnumSet.of(Verdict.COLLAPSING), collapsed.verdicts(), collapsed::toText);
        assertEquals(same.subList(1, 4), collapsed.layers(Verdict.COLLAPSING), "hidden layers after the first");

        List<LayerSignal> apart = new ArrayList<>();
        apart.add(row(0, correlatedRows(n, d, r), false));
        apart.add(row(1, correlatedRows(n, d, r), false));
        apart.add(row(2, orthogonalRows(n, d, r), false));
        apart.add(row(3, orthogonalRows(n, d, r), false));
        apart.add(row(4, identicalRows(n, 10, r), true)); // the output layer is not judged
        SignalReport chaotic = new SignalReport(apart, n, 1.0, false, SignalThresholds.defaults());
        assertTrue(apart.get(0).cosineRaw() > 0.8, apart.get(0)::toString);
        assertEquals(0.0, apart.get(3).cosineRaw(), 1e-12);
        assertEquals(EnumSet.of(Verdict.DECORRELATING), chaotic.verdicts(), chaotic::toText);
        assertEquals(apart.subList(2, 4), chaotic.layers(Verdict.DECORRELATING));

        List<LayerSignal> steady = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            steady.add(row(i, correlatedRows(n, d, r), false));
        }
        SignalReport neither = new SignalReport(steady, n, 1.0, false, SignalThresholds.defaults());
        assertEquals(EnumSet.of(Verdict.HEALTHY), neither.verdicts(), neither::toText);
        // the thresholds are the ones named: a stricter collapse bound flags the steady cosines (≈ 0.92)
        assertTrue(neither.verdicts(SignalThresholds.defaults().withCollapsedCosine(0.5))
                .contains(Verdict.COLLAPSING));
    }

    @Test
    void identicalInputsAreMappedAlike() {
        DataSet b = TestNets.batch(32, 5);
        INDArray one = b.getFeatures().getRow(0).dup();
        for (int i = 0; i < 32; i++) {
            b.getFeatures().putRow(i, one);
        }
        SignalReport r =
                SignalPropagation.measure(TestNets.mlp(6, 64, Activation.RELU, TestNets.he(), 0, 5), b.getFeatures());
        for (LayerSignal l : r.layers()) {
            assertEquals(1.0, l.cosineRaw(), 1e-6, l::toString);
            assertTrue(Double.isNaN(l.cosineCentred()), "identical rows centre to zero: no direction");
        }
        assertTrue(r.verdicts().contains(Verdict.COLLAPSING), r::toText);
    }

    // ---------------------------------------------------------------- the 30-layer CNN

    private static final int CNN_DEPTH = 30;
    private static final int SEEDS = 4;

    /** What {@link #measureCnns} found over {@link #SEEDS} nets. */
    private static final class CnnResult {
        double lastCosine; // mean over nets of the last hidden layer's raw cosine
        int decorrelating;
        int collapsing;
        int vanishing;
    }

    /**
     * {@link #SEEDS} independently seeded 30-layer CNNs (16 channels, zero biases) on a batch of 32 uniform [0, 1)
     * 28×28 images each (input cosine ≈ 0.75). A single 16-channel net is noisy (last hidden cosine SD ≈ 0.15–0.2
     * between nets), hence the mean.
     */
    private static CnnResult measureCnns(Activation act, IWeightInit init) {
        CnnResult c = new CnnResult();
        for (int s = 0; s < SEEDS; s++) {
            MultiLayerNetwork net = TestNets.cnn(CNN_DEPTH, 16, act, init, 40 + s);
            Nd4j.getRandom().setSeed(400 + s);
            SignalReport r = SignalPropagation.measure(net, Nd4j.rand(DataType.FLOAT, 32, 1, 28, 28));
            c.lastCosine += r.layer(CNN_DEPTH - 2).cosineRaw() / SEEDS;
            c.decorrelating += r.verdicts().contains(Verdict.DECORRELATING) ? 1 : 0;
            c.collapsing += r.verdicts().contains(Verdict.COLLAPSING) ? 1 : 0;
            c.vanishing += r.verdicts().contains(Verdict.VANISHING) ? 1 : 0;
        }
        return c;
    }

    private static IWeightInit heGain(Activation act) {
        return HeInit.normal().gain(Gains.of(act.getActivationFunction()).fanInGain());
    }

    /**
     * As measured (docs/diagnostics.md): ReLU nets, He or Xavier, carry the inputs' cosine up
     * towards 1 (mean last hidden cosine 0.97, 0.95) and are never DECORRELATING; Xavier's signal vanishes in every
     * net; SiLU and GELU at their He gains hold it far lower (0.66, 0.74), and the DECORRELATING verdict fires on one
     * net in four of each: on 16 channels the per-net spread is as large as the effect. The means differ by
     * ≥ 0.2, about 2 standard errors of a 4-net mean (fixed seeds: the test is deterministic).
     */
    @Test
    void thirtyLayerCnnSmoothActivationsHoldInputsApartReluNets() {
        CnnResult relu = measureCnns(Activation.RELU, TestNets.he());
        CnnResult xavier = measureCnns(Activation.RELU, TestNets.xavier());
        CnnResult silu = measureCnns(Activation.SWISH, heGain(Activation.SWISH));
        CnnResult gelu = measureCnns(Activation.GELU, heGain(Activation.GELU));
        assertEquals(0, relu.decorrelating + xavier.decorrelating);
        assertEquals(SEEDS, xavier.vanishing);
        assertTrue(relu.lastCosine > 0.9 && xavier.lastCosine > 0.9, () -> relu.lastCosine + " " + xavier.lastCosine);
        assertTrue(silu.lastCosine < 0.8 && gelu.lastCosine < 0.8, () -> silu.lastCosine + " " + gelu.lastCosine);
        assertTrue(
                silu.decorrelating >= 1 && gelu.decorrelating >= 1,
                () -> silu.decorrelating + " " + gelu.decorrelating);
        assertEquals(0, silu.collapsing + gelu.collapsing);
    }

    // ---------------------------------------------------------------- χ

    @Test
    void predictedChiOfReluHeIsOneAndMeasuredChiAgreesOnAverage() {
        double pred = 0;
        double meas = 0;
        int k = 0;
        for (long seed = 21; seed <= 22; seed++) {
            SignalReport r = SignalPropagation.measure(
                    TestNets.mlp(30, 256, Activation.RELU, TestNets.he(), 0, seed), TestNets.batch(128, seed));
            for (int i = 1; i < 28; i++) { // hidden layers fed by and feeding a 256-wide layer
                LayerSignal l = r.layer(i);
                // fan_out·E[W²]·E[relu'²] = 256·(2/256)·½ = 1, up to the sample variance of 65536 weights (SE 0.6 %)
                assertEquals(1.0, l.predictedChi(), 0.03, l::toString);
                pred += l.predictedChi();
                meas += l.measuredChi();
                k++;
            }
            assertTrue(Double.isNaN(r.layer(29).predictedChi()), "the output layer feeds nothing");
        }
        // measured χ of one layer fluctuates by ~10 % at width 256; the mean over 54 layers by a few percent
        assertEquals(pred / k, meas / k, 0.1);
    }

    // ---------------------------------------------------------------- like with like

    /** 32 inputs, {@code hidden} ReLU layers of 1024, a 2-class softmax output; HeInit in fan_out mode. */
    private static MultiLayerNetwork fanOutClassifier(int hidden, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(TestNets.he().fanOut())
                .biasInit(0)
                .list();
        for (int i = 0; i < hidden; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? TestNets.IN : 1024)
                    .nOut(1024)
                    .activation(Activation.RELU)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(1024)
                .nOut(2)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    @Test
    void fanOutClassifierIsNotExplodingBecauseOfItsOutputLayer() {
        for (long seed = 31; seed <= 32; seed++) {
            MultiLayerNetwork net = fanOutClassifier(5, seed);
            SignalReport r =
                    SignalPropagation.measure(net, TestNets.batch(64, seed).getFeatures());
            double outputJump = r.layer(5).preActivation().rms()
                    / r.layer(0).preActivation().rms();
            // fan_out mode: the 2-class output layer's std is √(1024/2) ≈ 23 times its fan_in value, the hidden
            // layers keep z: z_out/z_first ≈ 23, over the EXPLODING threshold of 10 had the output layer counted
            assertTrue(outputJump > 10, () -> "the trap is there: " + outputJump);
            assertEquals(r.layer(4), r.lastRatioLayer().orElseThrow());
            assertEquals(r.layer(0), r.firstRatioLayer().orElseThrow());
            assertEquals(
                    r.layer(4).preActivation().rms()
                            / r.layer(0).preActivation().rms(),
                    r.forwardRatio(),
                    1e-12);
            assertFalse(r.verdicts().contains(Verdict.EXPLODING), r::toText);
            assertTrue(r.toText().contains("both over layers layer0 .. layer4 (output layer excluded)"), r::toText);
        }
    }

    // ---------------------------------------------------------------- non-finite δ

    @Test
    void nonFiniteDeltaNamesItsFirstLayerAndItsLargestPreActivation() {
        IWeightInit init = heGain(Activation.SWISH);
        MultiLayerNetwork net = TestNets.mlp(30, 256, Activation.SWISH, init, 0, 61);
        DataSet batch = TestNets.batch(64, 61);
        SignalReport r = SignalPropagation.measure(net, batch);
        assertTrue(r.verdicts().contains(Verdict.NON_FINITE), r::toText);
        LayerSignal first = r.firstNonFiniteDelta().orElseThrow(() -> new AssertionError(r.toText()));
        // DL4J's float Swish derivative is NaN from z ≈ 44.4 on; the forward pass stays finite
        assertTrue(
                first.preActivationMaxAbs() >= 44.4 && Double.isFinite(first.preActivationMaxAbs()), first::toString);
        assertEquals(0, first.preActivation().nonFiniteCount());
        int at = r.layers().indexOf(first);
        for (int i = at + 1; i < r.layers().size(); i++) {
            assertEquals(0, r.layer(i).delta().nonFiniteCount(), "δ above the first non-finite one is finite");
            assertTrue(Double.isNaN(r.layer(i).preActivationMaxAbs()));
        }
        assertTrue(r.toText().contains("δ first non-finite (in backprop order) at layer " + first.name()), r::toText);
        assertTrue(r.toJson().contains("\"firstNonFiniteDelta\":\"" + first.name() + "\""));

        // the same network with the library's stable SiLU: same forward signal, every δ finite
        SignalReport rs = SignalPropagation.measure(TestNets.mlp(30, 256, new SiLU(), init, 0, 61), batch);
        assertFalse(rs.firstNonFiniteDelta().isPresent(), rs::toText);
        assertFalse(rs.verdicts().contains(Verdict.NON_FINITE), rs::toText);
        assertEquals(
                r.layer(at).preActivation().rms(),
                rs.layer(at).preActivation().rms(),
                1e-3 * r.layer(at).preActivation().rms(),
                "the same forward signal");
    }
}
