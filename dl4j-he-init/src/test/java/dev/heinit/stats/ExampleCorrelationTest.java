package dev.heinit.stats;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ExampleCorrelation} against hand-computed cosines, and its limits. */
class ExampleCorrelationTest {

    @Test
    void tinyBatchByHand() {
        // a = (1, 0), b = (1, 1), c = (0, 2), as [3, 1, 2] to check the flattening.
        INDArray x = Nd4j.createFromArray(new float[] {1, 0, 1, 1, 0, 2}).reshape(3, 1, 2);
        ExampleCorrelation s = ExampleCorrelation.of(x);
        // cos(a,b) = 1/√2, cos(a,c) = 0, cos(b,c) = 2/(√2·2) = 1/√2
        assertEquals((2 / Math.sqrt(2)) / 3, s.raw(), 1e-12);
        // mean (2/3, 1): a' = (1/3, −1), b' = (1/3, 0), c' = (−2/3, 1);
        // cos(a',b') = 1/√10, cos(a',c') = −11/√130, cos(b',c') = −2/√13
        assertEquals((1 / Math.sqrt(10) - 11 / Math.sqrt(130) - 2 / Math.sqrt(13)) / 3, s.centred(), 1e-12);
        assertEquals(3, s.examples());
        assertEquals(3, s.rawRows());
        assertEquals(3, s.centredRows());
    }

    @Test
    void identicalRowsCollapse() {
        INDArray row = Nd4j.createFromArray(new double[] {0.3, -1.2, 4.0, 0.0, 2.5});
        INDArray x = Nd4j.vstack(row, row, row, row);
        ExampleCorrelation s = ExampleCorrelation.of(x);
        assertEquals(1.0, s.raw(), 1e-12);
        assertTrue(Double.isNaN(s.centred()), "identical rows centre to zero: no direction left");
        assertEquals(0, s.centredRows());
    }

    @Test
    void orthogonalRowsAreUncorrelated() {
        // Exactly orthogonal: signed, scaled unit vectors.
        INDArray e = Nd4j.zeros(DataType.DOUBLE, 4, 6);
        e.putScalar(0, 1, 2.0);
        e.putScalar(1, 4, -0.5);
        e.putScalar(2, 0, 3.0);
        e.putScalar(3, 5, 1.0);
        assertEquals(0.0, ExampleCorrelation.of(e).raw(), 1e-15);
        // Random Gaussian rows in d = 4096: each cosine ~ N(0, 1/d), so the mean over 120 pairs has standard
        // error 1/√(120·d) ≈ 0.0014 (pairs share rows, but are uncorrelated); 5 standard errors.
        Random rng = new Random(42);
        int n = 16;
        int d = 4096;
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        ExampleCorrelation s = ExampleCorrelation.of(Nd4j.createFromArray(v).reshape(n, d));
        double se = 1 / Math.sqrt(n * (n - 1) / 2.0 * d);
        assertEquals(0.0, s.raw(), 5 * se);
        // centring n rows makes them sum to zero: the centred mean cosine is exactly −1/(n−1) for equal norms;
        // the norms differ by ~1/√(2d) ≈ 1 %, hence the extra 0.01
        assertEquals(-1.0 / (n - 1), s.centred(), 5 * se + 0.01);
    }

    @Test
    void zeroRowsAreLeftOutAndNonFiniteGivesNaN() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 0}, {1, 1}});
        ExampleCorrelation s = ExampleCorrelation.of(x);
        assertEquals(2, s.rawRows());
        assertEquals(1 / Math.sqrt(2), s.raw(), 1e-12);
        INDArray bad = Nd4j.createFromArray(new double[][] {{1, Double.NaN}, {0, 1}, {1, 1}});
        assertTrue(Double.isNaN(ExampleCorrelation.of(bad).raw()));
        assertTrue(Double.isNaN(ExampleCorrelation.of(bad).centred()));
        assertTrue(Double.isNaN(ExampleCorrelation.of(Nd4j.zeros(3, 4)).raw()));
    }

    @Test
    void doubleAccumulationAtExplodingScale() {
        // RMS 1e30: squares overflow float; the cosines are scale-free and must still be exact.
        INDArray x = Nd4j.createFromArray(new float[][] {{1e30f, 0}, {1e30f, 1e30f}, {0, 2e30f}});
        assertEquals((2 / Math.sqrt(2)) / 3, ExampleCorrelation.of(x).raw(), 1e-6);
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> ExampleCorrelation.of(null));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExampleCorrelation.of(Nd4j.ones(1, 5)));
        assertTrue(e.getMessage().contains("batch >= 2") && e.getMessage().contains("[1, 5]"), e.getMessage());
    }
}
