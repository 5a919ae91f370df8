package dev.heinit.activation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationSwish;

import dev.heinit.Nonlinearity;
import dev.heinit.gain.ActivationMoments;
import dev.heinit.gain.Gains;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gain machinery treats the stable activations like any other: their moments, computed through their own
 * code, equal those of the DL4J activation computing the same function, and exact GELU's gains are the
 * documented 1.53353 / 1.48111.
 */
class ActivationGainsTest {

    private static void assertSameMoments(ActivationMoments want, ActivationMoments got) {
        assertEquals(want.forwardMoment(), got.forwardMoment(), 1e-9, "E[f^2] " + got);
        assertEquals(want.backwardMoment(), got.backwardMoment(), 1e-9, "E[f'^2] " + got);
    }

    @Test
    void siluHasSwishMoments() {
        assertSameMoments(Gains.of(new ActivationSwish()), Gains.of(new SiLU()));
        Nonlinearity n = Nonlinearity.of(new SiLU());
        assertEquals(Nonlinearity.SILU.forwardGain(), n.forwardGain(), 1e-9);
        assertEquals(Nonlinearity.SILU.backwardGain(), n.backwardGain(), 1e-9);
    }

    @Test
    void sigmoidGeluHasDl4jGeluMoments() {
        assertSameMoments(Gains.of(new ActivationGELU()), Gains.of(GELU.sigmoidApprox()));
        Nonlinearity ours = Nonlinearity.of(GELU.sigmoidApprox());
        Nonlinearity dl4j = Nonlinearity.of(new ActivationGELU());
        assertEquals(dl4j.forwardGain(), ours.forwardGain(), 1e-9);
        assertEquals(dl4j.backwardGain(), ours.backwardGain(), 1e-9);
    }

    @Test
    void exactGeluHasTheDocumentedGains() {
        ActivationMoments m = Gains.of(GELU.exact());
        // Rounded to 5 decimals: tolerance half a unit in the last place.
        assertEquals(1.53353, m.fanInGain(), 5e-6);
        assertEquals(1.48111, m.fanOutGain(), 5e-6);
        Nonlinearity n = Nonlinearity.of(GELU.exact());
        assertEquals(Nonlinearity.GELU.forwardGain(), n.forwardGain(), 1e-9);
        assertEquals(Nonlinearity.GELU.backwardGain(), n.backwardGain(), 1e-9);
    }

    @Test
    void tanhGeluIsWithinItsApproximationErrorOfExact() {
        // |tanh-GELU − GELU| < 5e-4 everywhere (Hendrycks & Gimpel), so the moments differ by < 1e-3.
        ActivationMoments exact = Gains.of(GELU.exact());
        ActivationMoments tanh = Gains.of(GELU.tanhApprox());
        assertEquals(exact.forwardMoment(), tanh.forwardMoment(), 1e-3);
        assertEquals(exact.backwardMoment(), tanh.backwardMoment(), 1e-3);
    }
}
