package dev.heinit.gain;

import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Gains#critical}: closed forms, an independent check of the two defining equations at the returned point
 * (trapezoid rule on closed-form functions written here, not the library's Gauss–Legendre quadrature nor DL4J's
 * activations), the reference numbers, a custom activation and bad input.
 */
class CriticalityTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1, 0.3, 2.0})
    void reluFamilyIsScaleInvariantAtEveryBias(double sigmaB) {
        assertScaleInvariant(Gains.critical(new ActivationReLU(), sigmaB), Math.sqrt(2), sigmaB);
        assertScaleInvariant(Gains.critical(new ActivationLReLU(0.1), sigmaB), Math.sqrt(2 / 1.01), sigmaB);
        assertScaleInvariant(Gains.critical(new ActivationIdentity(), sigmaB), 1.0, sigmaB);
        // ActivationReLU with a negative slope is a leaky ReLU by another name: same answer.
        assertScaleInvariant(Gains.critical(new ActivationReLU(null, null, 0.2), sigmaB), Math.sqrt(2 / 1.04), sigmaB);
    }

    private static void assertScaleInvariant(Criticality c, double sigmaW, double sigmaB) {
        assertEquals(Criticality.Kind.SCALE_INVARIANT, c.kind(), c.toString());
        // 1e-9 relative: libnd4j passes a leaky slope as float (0.1f), which moves E[f'²] by ~3e-10
        assertEquals(sigmaW, c.sigmaW(), 1e-9 * sigmaW, c.toString());
        assertEquals(sigmaB, c.sigmaB());
        assertTrue(Double.isNaN(c.fixedPoint()));
        assertEquals(1.0, c.chi(), 1e-12);
        assertEquals(1.0, c.stability(), 1e-9);
    }

    @Test
    void smoothActivationsWithZeroBiasGoToTheSmallSignalLimit() {
        Criticality tanh = Gains.critical(new ActivationTanH(), 0.0);
        assertEquals(Criticality.Kind.SMALL_SIGNAL, tanh.kind());
        assertEquals(1.0, tanh.sigmaW(), 1e-12); // 1/tanh'(0)
        assertEquals(0.0, tanh.fixedPoint());
        assertEquals(2.0, Gains.critical(new ActivationSwish(), 0.0).sigmaW(), 1e-12); // 1/silu'(0) = 1/(1/2)
        assertEquals(1.0, Gains.critical(new ActivationELU(), 0.0).sigmaW(), 1e-12);
        // ReLU6 has a kink at 0 (slopes 0 and 1) and is not scale-invariant (it clips at 6): the small-signal
        // B(0+) is the slopes' mean square, 1/2.
        Criticality relu6 = Gains.critical(new ActivationReLU6(), 0.0);
        assertEquals(Criticality.Kind.SMALL_SIGNAL, relu6.kind());
        assertEquals(Math.sqrt(2), relu6.sigmaW(), 1e-12);
    }

    /**
     * Edge-of-chaos points by an independent PyTorch-side quadrature (σ_b = 0.1 / 0.2 / 0.3): SiLU σ_w 1.8201 / 1.6795
     * / 1.5756 (q* 0.26 / 0.69 / 1.40), tanh 1.1934 / 1.3041 / 1.3956, ELU 1.1761 / 1.2293 / 1.2631, quoted to four
     * decimals. No published table of Hayou, Doucet &amp; Rousseau (2019) or Schoenholz et al. (2017) was at hand
     * (their edge-of-chaos values are curves in figures), so these are the reference.
     */
    static Stream<Arguments> referencePoints() {
        return Stream.of(
                Arguments.of(new ActivationSwish(), 0.1, 1.8201, 0.26),
                Arguments.of(new ActivationSwish(), 0.2, 1.6795, 0.69),
                Arguments.of(new ActivationSwish(), 0.3, 1.5756, 1.40),
                Arguments.of(new ActivationTanH(), 0.1, 1.1934, Double.NaN),
                Arguments.of(new ActivationTanH(), 0.2, 1.3041, Double.NaN),
                Arguments.of(new ActivationTanH(), 0.3, 1.3956, Double.NaN),
                Arguments.of(new ActivationELU(), 0.1, 1.1761, Double.NaN),
                Arguments.of(new ActivationELU(), 0.2, 1.2293, Double.NaN),
                Arguments.of(new ActivationELU(), 0.3, 1.2631, Double.NaN));
    }

    @ParameterizedTest(name = "{0} sigma_b {1}")
    @MethodSource("referencePoints")
    void referenceEdgeOfChaosPoints(IActivation a, double sigmaB, double sigmaW, double q) {
        Criticality c = Gains.critical(a, sigmaB);
        assertEquals(Criticality.Kind.FIXED_POINT, c.kind());
        assertEquals(sigmaW, c.sigmaW(), 5e-5, c.toString());
        if (!Double.isNaN(q)) {
            assertEquals(q, c.fixedPoint(), 5e-3, c.toString());
        }
    }

    static Stream<Arguments> closedFormFunctions() {
        DoubleUnaryOperator silu = z -> z / (1 + Math.exp(-z));
        DoubleUnaryOperator siluD = z -> {
            double s = 1 / (1 + Math.exp(-z));
            return s * (1 + z * (1 - s));
        };
        return Stream.of(
                Arguments.of(new ActivationTanH(), (DoubleUnaryOperator) Math::tanh, (DoubleUnaryOperator)
                        z -> 1 / (Math.cosh(z) * Math.cosh(z))),
                Arguments.of(new ActivationSwish(), silu, siluD),
                Arguments.of(
                        new ActivationELU(),
                        (DoubleUnaryOperator) z -> z > 0 ? z : Math.exp(z) - 1,
                        (DoubleUnaryOperator) z -> z > 0 ? 1 : Math.exp(z)));
    }

    /** q* = σ_w²E[f(√q* z)²] + σ_b², σ_w²E[f'(√q* z)²] = 1 and V'(q*), re-evaluated by a rule the library does not use. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("closedFormFunctions")
    void definingEquationsHoldByAnIndependentQuadrature(IActivation a, DoubleUnaryOperator f, DoubleUnaryOperator d) {
        for (double sigmaB : new double[] {0.1, 0.25}) {
            Criticality c = Gains.critical(a, sigmaB);
            double q = c.fixedPoint();
            double sw2 = c.sigmaW() * c.sigmaW();
            assertEquals(q, sw2 * trapezoid(f, q) + sigmaB * sigmaB, 1e-4, c.toString());
            assertEquals(1.0, sw2 * trapezoid(d, q), 1e-4, c.toString());
            assertEquals(c.chi(), sw2 * trapezoid(d, q), 1e-4, c.toString());
            double dq = 1e-4 * q;
            double slope = sw2 * (trapezoid(f, q + dq) - trapezoid(f, q - dq)) / (2 * dq);
            assertEquals(slope, c.stability(), 1e-4, c.toString());
        }
    }

    /**
     * E[g(√q·z)²], z ~ N(0,1), by the trapezoid rule with step 1e-3 on [−12, 12] (exponentially accurate for smooth
     * integrands; O(h²) ≈ 1e-6 at ELU's jump in f'').
     */
    private static double trapezoid(DoubleUnaryOperator g, double q) {
        double s = Math.sqrt(q);
        double h = 1e-3;
        int n = 24_000;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double z = -12 + i * h;
            double v = g.applyAsDouble(s * z);
            sum += (i == 0 || i == n ? 0.5 : 1.0) * v * v * Math.exp(-0.5 * z * z);
        }
        return sum * h / Math.sqrt(2 * Math.PI);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.2, 0.7})
    void customActivationNeverSeenByTheLibrary(double sigmaB) {
        Criticality c = Gains.critical(new SquaredRelu(), sigmaB);
        assertEquals(Criticality.Kind.FIXED_POINT, c.kind());
        assertEquals(4 * sigmaB * sigmaB, c.fixedPoint(), 1e-9 * sigmaB * sigmaB, c.toString());
        assertEquals(1 / Math.sqrt(8 * sigmaB * sigmaB), c.sigmaW(), 1e-9 / sigmaB, c.toString());
        assertEquals(1.0, c.chi(), 1e-12);
        assertEquals(1.5, c.stability(), 1e-8, c.toString());
    }

    @Test
    void noCriticalPointIsANamedError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Gains.critical(new SquaredRelu(), 0.0));
        assertTrue(e.getMessage().contains("squaredRelu") && e.getMessage().contains("f'(0)"), e.getMessage());
        // Thresholded ReLU: A/B > q at every q (conditional second moment), f'(0) = 0: neither kind exists.
        e = assertThrows(IllegalArgumentException.class, () -> Gains.critical(new ActivationThresholdedReLU(1.0), 0.2));
        assertTrue(
                e.getMessage().contains("thresholdedrelu") && e.getMessage().contains("no critical point"),
                e.getMessage());
    }

    @Test
    void badInputIsRejectedByName() {
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Gains.critical(new ActivationTanH(), bad));
            assertTrue(
                    e.getMessage().contains("biasStd") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Gains.critical(null, 0.1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Gains.critical(new ActivationSoftmax(), 0.1));
        assertTrue(e.getMessage().contains("element-wise"), e.getMessage());
    }

    @Test
    void cachedPerActivationConfigurationAndBias() {
        Criticality a = Gains.critical(new ActivationELU(0.7), 0.15);
        assertSame(a, Gains.critical(new ActivationELU(0.7), 0.15));
        // ActivationReLU.toString() is "relu" whatever its slope: the key is the JSON form, not the string.
        assertEquals(Math.sqrt(2), Gains.critical(new ActivationReLU(), 0.1).sigmaW(), 1e-12);
        assertEquals(
                Math.sqrt(2 / 1.01),
                Gains.critical(new ActivationReLU(null, null, 0.1), 0.1).sigmaW(),
                1e-9);
        assertTrue(Gains.critical(new ActivationELU(0.7), 0.3).sigmaW() > a.sigmaW());
    }

    @Test
    void readableToString() {
        String s = Gains.critical(new ActivationTanH(), 0.2).toString();
        assertTrue(s.startsWith("Criticality(tanh, sigma_b 0.2: sigma_w 1.3041"), s);
        assertTrue(s.contains("q* 0.51") && s.contains("chi 1.000000") && s.contains("stability"), s);
    }
}
