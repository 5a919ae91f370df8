package dev.heinit.gain;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PoolingMoments} against checks that share nothing with it: Monte Carlo with closed-form activations typed
 * here (not DL4J's), closed forms of normal order statistics, and DL4J's own pooling layer for the backward factor.
 */
class PoolingMomentsTest {

    private static final int DRAWS = 150_000;
    private static final int[] WINDOWS = {4, 9, 16};
    private static final int EXAMPLES = 64;
    private static final int CHANNELS = 8;

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** DL4J's activations (what the library evaluates) and the same functions typed here (what the oracle uses). */
    private static final IActivation[] ACTIVATIONS = {
        new ActivationReLU(),
        new ActivationTanH(),
        new ActivationGELU(),
        new ActivationSwish(),
        new ActivationIdentity()
    };

    private static final DoubleUnaryOperator[] TYPED = {
        z -> Math.max(0, z),
        Math::tanh,
        z -> z * sigmoid(1.702f * z), // DL4J's GELU: the sigmoid approximation, constant 1.702 as a float
        z -> z * sigmoid(z),
        z -> z
    };

    /**
     * For each q, {@code DRAWS} windows of 16 independent N(0, q) values (seeded); windows of 4, 9, 16 are their
     * first n entries. Every (activation, n) pair: the max's and the average's second moment within 5 standard
     * errors of the sample, the standard error computed from the sample's own fourth moment.
     */
    @Test
    void monteCarloAgreesWithinFiveStandardErrors() {
        for (double q : new double[] {0.5, 1, 2}) {
            double s = Math.sqrt(q);
            int a = ACTIVATIONS.length;
            int w = WINDOWS.length;
            double[][] maxSum = new double[a][w];
            double[][] maxSumSq = new double[a][w];
            double[][] avgSum = new double[a][w];
            double[][] avgSumSq = new double[a][w];
            Random rng = new Random(20261207L + Math.round(10 * q));
            double[] z = new double[16];
            for (int d = 0; d < DRAWS; d++) {
                for (int i = 0; i < 16; i++) {
                    z[i] = s * rng.nextGaussian();
                }
                for (int k = 0; k < a; k++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    int next = 0;
                    for (int i = 0; i < 16; i++) {
                        double y = TYPED[k].applyAsDouble(z[i]);
                        max = Math.max(max, y);
                        sum += y;
                        if (i + 1 == WINDOWS[next]) {
                            double m2 = max * max;
                            double mean = sum / (i + 1);
                            double a2 = mean * mean;
                            maxSum[k][next] += m2;
                            maxSumSq[k][next] += m2 * m2;
                            avgSum[k][next] += a2;
                            avgSumSq[k][next] += a2 * a2;
                            next++;
                        }
                    }
                }
            }
            for (int k = 0; k < a; k++) {
                for (int j = 0; j < w; j++) {
                    int n = WINDOWS[j];
                    String what = ACTIVATIONS[k] + " n " + n + " q " + q;
                    assertWithinFiveSe(
                            PoolingMoments.max(ACTIVATIONS[k], q, n).secondMoment(),
                            maxSum[k][j],
                            maxSumSq[k][j],
                            "max " + what);
                    assertWithinFiveSe(
                            PoolingMoments.average(ACTIVATIONS[k], q, n).secondMoment(),
                            avgSum[k][j],
                            avgSumSq[k][j],
                            "average " + what);
                }
            }
        }
    }

    private static void assertWithinFiveSe(double model, double sum, double sumSq, String what) {
        double mean = sum / DRAWS;
        double var = (sumSq / DRAWS - mean * mean) * DRAWS / (DRAWS - 1);
        double se = Math.sqrt(var / DRAWS);
        assertTrue(
                Math.abs(model - mean) <= 5 * se,
                what + ": model " + model + ", Monte Carlo " + mean + " ± " + se + " (standard error)");
    }

    /**
     * GELU and SiLU dip below zero for negative z, so {@code max f(z_i)} is not {@code f(max z_i)}; with two inputs
     * the two differ by 0.06–0.12 % (SiLU at q = 1, 2), more than the Monte Carlo can resolve. The oracle is the
     * two-dimensional integral {@code E[max(f(z₁), f(z₂))²]} by the trapezoid rule on a 0.005 grid over [−8√q, 8√q]²
     * (its error, from the kink along f(z₁) = f(z₂), is below 1e-5 relative).
     */
    @Test
    void nonMonotoneActivationsUseTheDistributionOfTheValues() {
        for (int k : new int[] {2, 3}) {
            for (double q : new double[] {1, 2}) {
                double model = PoolingMoments.max(ACTIVATIONS[k], q, 2).secondMoment();
                double grid = maxOfTwoOnGrid(TYPED[k], q);
                assertEquals(grid, model, 1e-5 * grid, ACTIVATIONS[k] + " q " + q);
            }
        }
    }

    private static double maxOfTwoOnGrid(DoubleUnaryOperator f, double q) {
        double s = Math.sqrt(q);
        double h = 0.005;
        int m = (int) Math.round(16 / h);
        double[] y = new double[m + 1];
        double[] w = new double[m + 1];
        for (int i = 0; i <= m; i++) {
            double z = -8 + i * h;
            y[i] = f.applyAsDouble(s * z);
            w[i] = (i == 0 || i == m ? 0.5 : 1) * h * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        }
        double sum = 0;
        for (int i = 0; i <= m; i++) {
            double row = 0;
            for (int j = 0; j <= m; j++) {
                double v = Math.max(y[i], y[j]);
                row += w[j] * v * v;
            }
            sum += w[i] * row;
        }
        return sum;
    }

    /**
     * Closed forms for the identity: {@code max² + min² = z₁² + z₂²} and symmetry give {@code E[max(z₁,z₂)²] = q}
     * exactly; {@code E[max²]} of 3 and 4 standard normals is {@code 1 + √3/(2π)} and {@code 1 + √3/π}; ReLU with
     * n = 1 is {@code q/2}.
     */
    @Test
    void closedForms() {
        for (double q : new double[] {0.5, 1, 2}) {
            IActivation id = new ActivationIdentity();
            assertEquals(q, PoolingMoments.max(id, q, 2).secondMoment(), 1e-9 * q);
            assertEquals(
                    q * (1 + Math.sqrt(3) / (2 * Math.PI)),
                    PoolingMoments.max(id, q, 3).secondMoment(),
                    1e-7 * q);
            assertEquals(
                    q * (1 + Math.sqrt(3) / Math.PI),
                    PoolingMoments.max(id, q, 4).secondMoment(),
                    1e-7 * q);
            assertEquals(q / 2, PoolingMoments.max(new ActivationReLU(), q, 1).secondMoment(), 1e-9 * q);
            assertEquals(
                    q / 2, PoolingMoments.average(new ActivationReLU(), q, 1).secondMoment(), 1e-9 * q);
            // average of n ReLUs: E[f²]/n + (1 − 1/n)·E[f]², E[f²] = q/2, E[f] = √(q/(2π))
            assertEquals(
                    q / 8 + 0.75 * q / (2 * Math.PI),
                    PoolingMoments.average(new ActivationReLU(), q, 4).secondMoment(),
                    1e-9 * q);
            assertEquals(q / 9, PoolingMoments.average(id, q, 9).secondMoment(), 1e-9 * q);
        }
    }

    /**
     * Expected maximum of n standard normals: 1/√π for n = 2, and 1.0294 (n = 4), 1.4850 (n = 9) from the table of
     * Harter (1961), "Expected values of normal order statistics", Biometrika 48, 151–165 (also Teichroew 1956).
     */
    @Test
    void expectedMaximumOfNormals() {
        IActivation id = new ActivationIdentity();
        assertEquals(1 / Math.sqrt(Math.PI), PoolingMoments.max(id, 1, 2).mean(), 1e-8);
        assertEquals(1.0294, PoolingMoments.max(id, 1, 4).mean(), 5e-5);
        assertEquals(1.4850, PoolingMoments.max(id, 1, 9).mean(), 5e-5);
        // scale: max of N(0, q) is √q times the standard one
        assertEquals(Math.sqrt(2) * 1.4850, PoolingMoments.max(id, 2, 9).mean(), 1e-4);
    }

    @Test
    void backwardFactorsMatchDl4jPoolingLayers() {
        assertEquals(1.0, PoolingMoments.windowsPerInput(2, 2, 2, 2));
        assertEquals(2.25, PoolingMoments.windowsPerInput(3, 3, 2, 2));
        assertEquals(0.25, PoolingMoments.maxGradientFactor(4, 1.0));
        assertEquals(1.0 / 16, PoolingMoments.averageGradientFactor(4, 1.0));
        // Overlapping 3×3 windows, stride 2, on 33×33 maps (truncate: 16×16 outputs, no padding): n·N_out/N_in
        // windows per input on average, borders included. Tolerance: 5 standard errors of the denominator's mean
        // square, √(2/N_out) relative (the numerator reuses the same δ_out, so the ratio varies less).
        double c = 9.0 * 16 * 16 / (33 * 33);
        double tol = 5 * Math.sqrt(2.0 / (EXAMPLES * CHANNELS * 16 * 16));
        double max = PoolingMoments.maxGradientFactor(9, c);
        assertEquals(max, measuredGradientFactor(SubsamplingLayer.PoolingType.MAX, 3, 2, 33), tol * max);
        double avg = PoolingMoments.averageGradientFactor(9, c);
        assertEquals(avg, measuredGradientFactor(SubsamplingLayer.PoolingType.AVG, 3, 2, 33), tol * avg);
        assertEquals(0.25, measuredGradientFactor(SubsamplingLayer.PoolingType.MAX, 2, 2, 32), tol * 0.25);
    }

    /**
     * E[δ_in²]/E[δ_out²] through DL4J's SubsamplingLayer: Gaussian input, independent unit Gaussian δ_out, 64
     * examples × 8 channels.
     */
    private static double measuredGradientFactor(SubsamplingLayer.PoolingType type, int k, int stride, int size) {
        SubsamplingLayer conf = new SubsamplingLayer.Builder(type)
                .kernelSize(k, k)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Truncate)
                .build();
        NeuralNetConfiguration nnc =
                new NeuralNetConfiguration.Builder().layer(conf).build();
        conf.setNIn(InputType.convolutional(size, size, CHANNELS), true);
        org.deeplearning4j.nn.api.Layer layer = conf.instantiate(nnc, null, 0, null, false, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, EXAMPLES, CHANNELS, size, size);
        ((AbstractLayer<?>) layer).setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray out = layer.activate(false, LayerWorkspaceMgr.noWorkspaces());
        INDArray delta = Nd4j.randn(DataType.DOUBLE, out.shape());
        Pair<Gradient, INDArray> back = layer.backpropGradient(delta, LayerWorkspaceMgr.noWorkspaces());
        return meanSquare(back.getSecond()) / meanSquare(delta);
    }

    private static double meanSquare(INDArray a) {
        return a.mul(a).meanNumber().doubleValue();
    }

    @Test
    void badInputIsRejectedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PoolingMoments.max(new ActivationReLU(), 0, 4));
        assertTrue(e.getMessage().contains("q") && e.getMessage().contains("0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolingMoments.max(new ActivationReLU(), 1, 0));
        assertTrue(e.getMessage().contains("n must be >= 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolingMoments.average(null, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> PoolingMoments.max(new ActivationSoftmax(), 1, 4));
        e = assertThrows(IllegalArgumentException.class, () -> PoolingMoments.windowsPerInput(3, 3, 0, 2));
        assertTrue(e.getMessage().contains("stride 0x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolingMoments.maxGradientFactor(4, Double.NaN));
    }
}
