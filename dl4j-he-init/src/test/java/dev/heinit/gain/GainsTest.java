package dev.heinit.gain;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.*;

import dev.heinit.NormalOracle;
import dev.heinit.activation.GELU;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gains against closed forms derived by hand (truncated normal moments), evaluated with a normal CDF written
 * here (Marsaglia's all-positive series), never with the library's quadrature.
 */
class GainsTest {

    private static final double E = Math.E;

    /** Standard normal CDF ({@link NormalOracle}: Simpson's rule, a method the library does not use). */
    static double cdf(double x) {
        return NormalOracle.cdf(x);
    }

    static double pdf(double x) {
        return NormalOracle.pdf(x);
    }

    /** E[z²; a < z < b] = Φ(b) − Φ(a) − (bφ(b) − aφ(a)). */
    static double secondMomentBetween(double a, double b) {
        return cdf(b) - cdf(a) - (b * pdf(b) - a * pdf(a));
    }

    static Stream<Arguments> closedForms() {
        double elu2 = 0.5 + (E * E * cdf(-2) - 2 * Math.sqrt(E) * cdf(-1) + 0.5);
        double eluD = 0.5 + E * E * cdf(-2);
        double lambda = 1.0507009873554804934;
        double alpha = 1.6732632423543772848;
        double theta = 0.3;
        return Stream.of(
                Arguments.of(new ActivationReLU(), 0.5, 0.5),
                Arguments.of(new ActivationLReLU(0.1), 0.505, 0.505),
                Arguments.of(new ActivationRReLU(0.1, 0.3), 0.52, 0.52),
                Arguments.of(new ActivationIdentity(), 1.0, 1.0),
                Arguments.of(new ActivationCube(), 15.0, 27.0),
                Arguments.of(new ActivationHardTanH(), secondMomentBetween(-1, 1) + 2 * (1 - cdf(1)), 2 * cdf(1) - 1),
                Arguments.of(new ActivationReLU6(), secondMomentBetween(0, 6) + 36 * (1 - cdf(6)), cdf(6) - 0.5),
                Arguments.of(new ActivationThresholdedReLU(theta), 1 - cdf(theta) + theta * pdf(theta), 1 - cdf(theta)),
                Arguments.of(new ActivationELU(1.0), elu2, eluD),
                Arguments.of(
                        new ActivationSELU(),
                        lambda * lambda * (0.5 + alpha * alpha * (elu2 - 0.5)),
                        lambda * lambda * (0.5 + alpha * alpha * E * E * cdf(-2))),
                // DL4J's hard sigmoid is clip(0.2z + 0.5, 0, 1); E[z; |z| < 2.5] = 0 by symmetry.
                Arguments.of(
                        new ActivationHardSigmoid(),
                        0.04 * secondMomentBetween(-2.5, 2.5) + 0.25 * (2 * cdf(2.5) - 1) + (1 - cdf(2.5)),
                        0.04 * (2 * cdf(2.5) - 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closedForms")
    void momentsMatchClosedForms(IActivation a, double forward, double backward) {
        // 1e-7 relative, 10x inside the 1e-6 required: libnd4j passes some constants as float (RReLU's mean
        // slope, hard sigmoid's 0.2f), which moves the exact integrals of DL4J's functions by up to 3e-8.
        ActivationMoments g = Gains.of(a);
        assertEquals(forward, g.forwardMoment(), 1e-7 * forward, "E[f²] of " + a);
        assertEquals(backward, g.backwardMoment(), 1e-7 * backward, "E[f'²] of " + a);
        assertEquals(1 / Math.sqrt(forward), g.fanInGain(), 1e-7 / Math.sqrt(forward));
        assertEquals(1 / Math.sqrt(backward), g.fanOutGain(), 1e-7 / Math.sqrt(backward));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(
            value = org.nd4j.linalg.activations.Activation.class,
            names = {
                "RELU",
                "RELU6",
                "LEAKYRELU",
                "RRELU",
                "ELU",
                "SELU",
                "GELU",
                "SWISH",
                "MISH",
                "TANH",
                "HARDTANH",
                "RATIONALTANH",
                "RECTIFIEDTANH",
                "SIGMOID",
                "HARDSIGMOID",
                "SOFTPLUS",
                "SOFTSIGN",
                "THRESHOLDEDRELU",
                "CUBE",
                "IDENTITY"
            })
    void everyElementWiseDl4jActivationHasGains(org.nd4j.linalg.activations.Activation a) {
        ActivationMoments g = Gains.of(a.getActivationFunction());
        assertTrue(g.forwardMoment() > 0 && Double.isFinite(g.forwardMoment()), g.toString());
        assertTrue(g.backwardMoment() > 0 && Double.isFinite(g.backwardMoment()), g.toString());
    }

    @Test
    void identitiesBetweenActivations() {
        // softplus' = sigmoid, so E[softplus'²] = E[sigmoid²]; rectified tanh = max(0, tanh) and tanh is odd, so
        // its moments are half of tanh's. Two routes through different DL4J code must agree.
        assertEquals(
                Gains.of(new ActivationSigmoid()).forwardMoment(),
                Gains.of(new ActivationSoftPlus()).backwardMoment(),
                1e-7);
        assertEquals(
                Gains.of(new ActivationTanH()).forwardMoment() / 2,
                Gains.of(new ActivationRectifiedTanh()).forwardMoment(),
                1e-7);
        assertEquals(
                Gains.of(new ActivationTanH()).backwardMoment() / 2,
                Gains.of(new ActivationRectifiedTanh()).backwardMoment(),
                1e-7);
    }

    @Test
    void seluIsSelfNormalizing() {
        // Klambauer et al. chose λ, α so that N(0,1) maps to mean 0, variance 1: E[selu(z)²] = 1 (to their digits).
        assertEquals(1.0, Gains.of(new ActivationSELU()).forwardMoment(), 1e-6);
    }

    /**
     * Reference gains 1/√E[f(z)²] and 1/√E[f'(z)²], z ~ N(0,1), computed outside this project (mpmath 1.3 {@code quad}
     * at 30 digits on closed forms typed there: SiLU z·σ(z); exact GELU z·Φ(z); DL4J's GELU z·σ(1.702z)).
     */
    @Test
    void swishAndGeluAgreeWithPublishedReferenceGains() {
        assertEquals(1.67653, Gains.of(new ActivationSwish()).fanInGain(), 5e-6);
        assertEquals(1.62332, Gains.of(new ActivationSwish()).fanOutGain(), 5e-6);
        // DL4J's own GELU (Activation.GELU) is the sigmoid approximation: its gain is not the erf form's.
        assertEquals(1.53946, Gains.of(new ActivationGELU()).fanInGain(), 5e-6);
        assertEquals(1.49146, Gains.of(new ActivationGELU()).fanOutGain(), 5e-6);
        assertEquals(1.53353, Gains.of(GELU.exact()).fanInGain(), 5e-6);
        assertEquals(1.48111, Gains.of(GELU.exact()).fanOutGain(), 5e-6);
    }

    @Test
    void kinkAwayFromAnyGridPoint() {
        // A kink at an irrational position the panel grid cannot contain: θ = 1/π.
        double theta = 1 / Math.PI;
        ActivationMoments g = Gains.of(new ActivationThresholdedReLU(theta));
        assertEquals(1 - cdf(theta) + theta * pdf(theta), g.forwardMoment(), 1e-9);
        assertEquals(1 - cdf(theta), g.backwardMoment(), 1e-9);
    }

    @Test
    void momentsAtOtherInputScales() {
        // E[f(σz)²], E[f'(σz)²]: ReLU σ²/2 and 1/2; cube 15σ⁶ and 27σ⁴.
        double q = 2.5;
        assertEquals(q / 2, Gains.at(new ActivationReLU(), q).forwardMoment(), 1e-9);
        assertEquals(0.5, Gains.at(new ActivationReLU(), q).backwardMoment(), 1e-9);
        assertEquals(15 * q * q * q, Gains.at(new ActivationCube(), q).forwardMoment(), 1e-9 * 15 * q * q * q);
        assertEquals(27 * q * q, Gains.at(new ActivationCube(), q).backwardMoment(), 1e-9 * 27 * q * q);
        assertThrows(IllegalArgumentException.class, () -> Gains.at(new ActivationReLU(), 0));
    }

    @Test
    void cachedPerConfiguration() {
        assertSame(Gains.of(new ActivationELU(0.7)), Gains.of(new ActivationELU(0.7)));
        assertTrue(Gains.of(new ActivationELU(0.7)).forwardMoment()
                != Gains.of(new ActivationELU(0.8)).forwardMoment());
    }

    @Test
    void rejectsSoftmaxAndVanishingIntegrals() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Gains.of(new ActivationSoftmax()));
        assertTrue(e.getMessage().contains("not element-wise"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gains.of(new ActivationThresholdedReLU(20)));
        assertTrue(e.getMessage().contains("E[f(z)^2] = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gains.of(null));
    }
}
