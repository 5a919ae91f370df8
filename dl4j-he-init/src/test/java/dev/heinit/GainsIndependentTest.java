package dev.heinit;

import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second moments behind every gain, checked against computations that share nothing with the library:
 * closed forms for ReLU and leaky ReLU, SELU's defining fixed point E[f²] = 1 (Klambauer et al. 2017), the
 * GELU/SiLU gains computed by an independent quadrature (1.53353 and 1.67653), and for the rest a plain composite Simpson rule on a uniform grid
 * with Φ obtained by integrating φ cumulatively on that grid (no erf, no Gauss–Legendre), and every derivative
 * taken numerically from f itself, so a wrong f' in the library cannot be copied into its own check.
 */
class GainsIndependentTest {

    private static final double L = 10;
    private static final int STEPS = 400_000; // h = 5e-5: Simpson's error, even across the kink at 0, is < 1e-8
    private static final double[] Z = new double[STEPS + 1];
    private static final double[] PHI_CDF = new double[STEPS + 1];

    static {
        double h = 2 * L / STEPS;
        for (int i = 0; i <= STEPS; i++) {
            Z[i] = -L + i * h;
        }
        // Φ by the trapezoid rule on the density, starting from Φ(−10) ≈ 7.6e-24.
        for (int i = 1; i <= STEPS; i++) {
            PHI_CDF[i] = PHI_CDF[i - 1] + 0.5 * h * (density(Z[i - 1]) + density(Z[i]));
        }
    }

    private static double density(double z) {
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }

    /** E[g(z)²] by Simpson on the grid; g sees the grid index for access to Φ. */
    private static double secondMomentOnGrid(java.util.function.IntToDoubleFunction g) {
        double h = 2 * L / STEPS;
        double s = 0;
        for (int i = 0; i <= STEPS; i++) {
            double w = (i == 0 || i == STEPS) ? 1 : (i % 2 == 1 ? 4 : 2);
            double v = g.applyAsDouble(i);
            s += w * v * v * density(Z[i]);
        }
        return s * h / 3;
    }

    /** E[g(z)²] as two Simpson integrals, on [−L, 0] and [0, L], so a jump of g at 0 costs nothing. */
    private static double secondMoment(DoubleUnaryOperator g) {
        return secondMomentBySide((z, side) -> g.applyAsDouble(z));
    }

    /**
     * E[f'(z)²] with f' the one-sided second-order difference {@code (−3f(z) + 4f(z+sd) − f(z+2sd))/(2sd)}, s the
     * side of 0 the point is on, d = 1e-4: derived from f alone (error ~d²·f''' ≈ 1e-8), never from a typed-in
     * derivative, and blind to a kink at 0 because it never reaches across it.
     */
    private static double slopeMoment(DoubleUnaryOperator f) {
        double d = 1e-4;
        return secondMomentBySide(
                (z, s) -> (-3 * f.applyAsDouble(z) + 4 * f.applyAsDouble(z + s * d) - f.applyAsDouble(z + 2 * s * d))
                        / (2 * s * d));
    }

    /** A function of z that also knows which side of 0 (−1 or +1) it is evaluated for. */
    private interface SidedFunction {
        double at(double z, int side);
    }

    private static double secondMomentBySide(SidedFunction g) {
        int half = STEPS / 2;
        double h = L / half;
        double s = 0;
        for (int side = -1; side <= 1; side += 2) {
            for (int i = 0; i <= half; i++) {
                double w = (i == 0 || i == half) ? 1 : (i % 2 == 1 ? 4 : 2);
                double z = side * i * h;
                double v = g.at(i == 0 ? side * 1e-300 : z, side);
                s += w * v * v * density(z);
            }
        }
        return s * h / 3;
    }

    /** The central difference of grid values g(Z[i]) (one-sided at the ends, where φ(±10) makes it irrelevant). */
    private static double gridSlope(java.util.function.IntToDoubleFunction g, int i) {
        double h = 2 * L / STEPS;
        int lo = Math.max(0, i - 1);
        int hi = Math.min(STEPS, i + 1);
        return (g.applyAsDouble(hi) - g.applyAsDouble(lo)) / ((hi - lo) * h);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void reluAndLeakyAreClosedForm() {
        assertEquals(Math.sqrt(2), Nonlinearity.RELU.forwardGain(), 1e-15);
        assertEquals(Math.sqrt(2), Nonlinearity.RELU.backwardGain(), 1e-15);
        for (double a : new double[] {0.01, 0.1, 0.3, -0.5, 1.0}) {
            Nonlinearity f = Nonlinearity.leakyRelu(a);
            assertEquals(Math.sqrt(2 / (1 + a * a)), f.forwardGain(), 1e-14, "leaky " + a);
            assertEquals(Math.sqrt(2 / (1 + a * a)), f.backwardGain(), 1e-14, "leaky " + a);
        }
        assertEquals(1.0, Nonlinearity.LINEAR.forwardGain(), 1e-12);
        assertEquals(1.0, Nonlinearity.LINEAR.backwardGain(), 1e-12);
    }

    @Test
    void publishedValues() {
        assertEquals(1.41414, Nonlinearity.leakyRelu(0.01).forwardGain(), 1e-5);
        assertEquals(1.53353, Nonlinearity.GELU.forwardGain(), 1e-5);
        assertEquals(1.67653, Nonlinearity.SILU.forwardGain(), 1e-5);
        // SELU is built so that E[f(z)^2] = 1 at z ~ N(0,1) (its fixed point), to the precision of λ and α.
        assertEquals(1.0, Nonlinearity.SELU.forwardMoment(), 1e-6);
    }

    /** f' is never typed in here: it is the numerical derivative of the same f (see {@link #slopeMoment}). */
    @Test
    void smoothNonlinearitiesAgainstIndependentIntegration() {
        double lambda = 1.0507009873554805;
        double alpha = 1.6732632423543772;
        checkBoth(Nonlinearity.TANH, Math::tanh);
        checkBoth(Nonlinearity.SIGMOID, GainsIndependentTest::sigmoid);
        checkBoth(Nonlinearity.SILU, z -> z * sigmoid(z));
        checkBoth(Nonlinearity.SELU, z -> z > 0 ? lambda * z : lambda * alpha * (Math.exp(z) - 1));
        java.util.function.IntToDoubleFunction gelu = i -> Z[i] * PHI_CDF[i];
        check(Nonlinearity.GELU, secondMomentOnGrid(gelu), secondMomentOnGrid(i -> gridSlope(gelu, i)));
    }

    private static void checkBoth(Nonlinearity f, DoubleUnaryOperator closedForm) {
        check(f, secondMoment(closedForm), slopeMoment(closedForm));
    }

    private static void check(Nonlinearity f, double forward, double backward) {
        assertEquals(forward, f.forwardMoment(), 1e-6 * forward, f + " E[f^2]");
        assertEquals(backward, f.backwardMoment(), 1e-6 * backward, f + " E[f'^2]");
    }

    @Test
    void modesDifferWhereTheMomentsDiffer() {
        // The point of mode-correct gains: for GELU, SiLU and tanh, E[f²] ≠ E[f'²].
        for (Nonlinearity f : new Nonlinearity[] {Nonlinearity.GELU, Nonlinearity.SILU, Nonlinearity.TANH}) {
            assertTrue(Math.abs(f.forwardGain() / f.backwardGain() - 1) > 0.03, f.toString());
        }
    }

    @Test
    void pytorchTable() {
        assertEquals(1.0, Nonlinearity.LINEAR.pytorchGain());
        assertEquals(1.0, Nonlinearity.SIGMOID.pytorchGain());
        assertEquals(5.0 / 3, Nonlinearity.TANH.pytorchGain());
        assertEquals(Math.sqrt(2), Nonlinearity.RELU.pytorchGain());
        assertEquals(Math.sqrt(2 / 1.01), Nonlinearity.leakyRelu(0.1).pytorchGain(), 1e-15);
        assertEquals(0.75, Nonlinearity.SELU.pytorchGain());
        for (Nonlinearity f : new Nonlinearity[] {Nonlinearity.GELU, Nonlinearity.SILU}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::pytorchGain);
            assertTrue(e.getMessage().contains("SECOND_MOMENT"), e.getMessage());
        }
    }

    @Test
    void heInitStdFollowsTheConvention() {
        // PyTorch: std = gain / sqrt(fan), the same gain in every mode.
        HeInit t = HeInit.normal().nonlinearity(Nonlinearity.TANH).gainConvention(GainConvention.PYTORCH);
        assertEquals(5.0 / 3 / Math.sqrt(100), t.std(100, 400), 1e-15);
        assertEquals(5.0 / 3 / Math.sqrt(400), t.fanOut().std(100, 400), 1e-15);
        assertEquals(5.0 / 3 / Math.sqrt(250), t.fanAvg().std(100, 400), 1e-15);
        // Explicit gain overrides the nonlinearity, in both conventions.
        assertEquals(
                0.5 / Math.sqrt(100),
                HeInit.normal().nonlinearity(Nonlinearity.GELU).gain(0.5).std(100, 1),
                1e-15);
        // Default: kaiming_normal_ = sqrt(2 / fan_in).
        assertEquals(Math.sqrt(2.0 / 100), HeInit.normal().std(100, 7), 1e-15);
        assertEquals(Math.sqrt(2.0 / 7), HeInit.normal().fanOut().std(100, 7), 1e-15);
        // GELU via PyTorch's convention fails at construction, pointing to SECOND_MOMENT.
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeInit.normal().nonlinearity(Nonlinearity.GELU).gainConvention(GainConvention.PYTORCH));
        assertTrue(e.getMessage().contains("SECOND_MOMENT"));
    }
}
