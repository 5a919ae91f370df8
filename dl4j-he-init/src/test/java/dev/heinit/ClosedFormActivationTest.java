package dev.heinit;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.gain.Gains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The named nonlinearities reach {@code Gains.critical(IActivation, σ_b)} through {@link ClosedFormActivation}: it
 * must compute f and f'·ε element-wise in any shape, give the critical point DL4J's own activation of the same
 * function gives, and be cached under a key of its own per kind and slope.
 */
class ClosedFormActivationTest {

    @Test
    void elementWiseValuesAndDerivativesInAnyShape() {
        double[][] z = {{-2.5, -0.3, 0.0}, {0.4, 1.7, 6.0}};
        ClosedFormActivation gelu = new ClosedFormActivation(Nonlinearity.GELU);
        INDArray f = gelu.getActivation(Nd4j.createFromArray(z), false);
        INDArray eps = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {-1, 0.5, 4}});
        INDArray d = gelu.backprop(Nd4j.createFromArray(z), eps).getFirst();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double x = z[i][j];
                // z·Φ(z) and Φ(z) + z·φ(z), Φ by the tests' own oracle (Simpson, ~1e-13)
                double phi = NormalOracle.cdf(x);
                assertEquals(x * phi, f.getDouble(i, j), 1e-11, "f at " + x);
                assertEquals(
                        (phi + x * NormalOracle.pdf(x)) * eps.getDouble(i, j), d.getDouble(i, j), 1e-11, "f' at " + x);
            }
        }
        INDArray single = gelu.getActivation(Nd4j.createFromArray(new float[] {1.7f}), false);
        assertEquals(DataType.FLOAT, single.dataType());
    }

    @Test
    void criticalPointIsDl4jsOwnActivationsAndCachedPerKindAndSlope() {
        assertEquals(
                Gains.critical(new ActivationTanH(), 0.2).sigmaW(),
                Nonlinearity.TANH.criticality(0.2).sigmaW(),
                1e-9);
        assertEquals(
                Gains.critical(new ActivationSwish(), 0.3).fixedPoint(),
                Nonlinearity.SILU.criticality(0.3).fixedPoint(),
                1e-9);
        assertSame(Nonlinearity.GELU.criticality(0.1), Nonlinearity.GELU.criticality(0.1));
        assertEquals("gelu", Nonlinearity.GELU.criticality(0.1).activation());
        assertEquals(
                Math.sqrt(2 / 1.01),
                Nonlinearity.leakyRelu(0.1).criticality(0.1).sigmaW(),
                1e-9);
        assertEquals(
                Math.sqrt(2 / 1.04),
                Nonlinearity.leakyRelu(0.2).criticality(0.1).sigmaW(),
                1e-9);
    }
}
