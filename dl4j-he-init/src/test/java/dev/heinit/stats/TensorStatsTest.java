package dev.heinit.stats;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import dev.heinit.diagnostics.TestNets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorStatsTest {

    /** Reference: a plain two-pass computation over getDouble, independent of the buffer access. */
    private static void assertMatches(INDArray a) {
        long n = 0;
        long nan = 0;
        long inf = 0;
        double sum = 0;
        double[] flat = new double[(int) a.length()];
        int k = 0;
        for (long i = 0; i < a.length(); i++) {
            double v = a.getDouble(i);
            flat[k++] = v;
            if (Double.isNaN(v)) {
                nan++;
            } else if (Double.isInfinite(v)) {
                inf++;
            } else {
                n++;
                sum += v;
            }
        }
        double mean = sum / n;
        double ss = 0;
        double sq = 0;
        for (double v : flat) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
                sq += v * v;
            }
        }
        TensorStats t = TensorStats.of(a);
        assertEquals(a.length(), t.count());
        assertEquals(nan, t.nanCount());
        assertEquals(inf, t.infCount());
        assertEquals(mean, t.mean(), 1e-12 * Math.sqrt(sq / n));
        assertEquals(Math.sqrt(ss / n), t.std(), 1e-9 * Math.sqrt(sq / n));
        assertEquals(sq / n, t.secondMoment(), 1e-12 * sq / n);
    }

    @Test
    void matchesDirectComputationForEveryLayout() {
        Nd4j.getRandom().setSeed(7);
        INDArray c = Nd4j.randn(DataType.FLOAT, 37, 53).addi(0.3);
        assertMatches(c);
        assertMatches(c.dup('f'));
        assertMatches(c.get(NDArrayIndex.interval(5, 20), NDArrayIndex.all())); // contiguous view, offset
        assertMatches(c.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 9))); // strided view
        assertMatches(c.transpose());
        assertMatches(c.castTo(DataType.DOUBLE));
        assertMatches(c.castTo(DataType.FLOAT16));
        MultiLayerNetwork net = TestNets.mlp(3, 16, Activation.RELU, TestNets.he(), 0.1, 3);
        assertMatches(net.getParam("1_W")); // 'f' view into the params
        assertMatches(net.getParam("1_b"));
    }

    @Test
    void countsNonFiniteApartAndKeepsTheRest() {
        INDArray a = Nd4j.createFromArray(1f, Float.NaN, 3f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 5f);
        TensorStats t = TensorStats.of(a);
        assertEquals(1, t.nanCount());
        assertEquals(2, t.infCount());
        assertEquals(3, t.finiteCount());
        assertEquals(3.0, t.mean(), 1e-12);
        assertEquals(35.0 / 3, t.secondMoment(), 1e-12);
        assertMatches(a);
        TensorStats none = TensorStats.of(Nd4j.createFromArray(Float.NaN, Float.NaN));
        assertTrue(Double.isNaN(none.rms()));
        assertEquals(2, none.nanCount());
    }

    @Test
    void squaresOfHugeFloatsDoNotOverflow() {
        // 1e31² = 1e62 overflows float (max 3.4e38): accumulation must be in double.
        INDArray a = Nd4j.createFromArray(1e31f, -1e31f, 3e31f, -3e31f);
        TensorStats t = TensorStats.of(a);
        assertEquals(0, t.nonFiniteCount());
        assertEquals(Math.sqrt((1 + 1 + 9 + 9) / 4.0) * 1e31, t.rms(), 1e31 * 1e-6);
        assertEquals(TensorStats.of(a, 2.0).rms(), 2 * t.rms(), 1e25);
    }

    /**
     * |mean| ≫ std: E[x²] − mean² would cancel every digit (mean² = 1e12, variance 1e-4, double spacing at 1e12
     * ≈ 1e-4); the shifted sums keep them. A constant tensor has variance exactly 0 (LSUV's dead-layer test).
     */
    @Test
    void largeOffsetKeepsTheVarianceAndAConstantHasNone() {
        java.util.Random r = new java.util.Random(11);
        double[] v = new double[4096];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = 1e6 + 1e-2 * r.nextGaussian();
            sum += v[i];
        }
        double mean = sum / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        TensorStats t = TensorStats.of(Nd4j.createFromArray(v));
        assertEquals(ss / v.length, t.variance(), 1e-6 * ss / v.length);
        assertEquals(Math.sqrt(t.variance()), t.std(), 0.0);
        assertEquals(mean * mean + t.variance(), t.secondMoment(), 1e-12 * mean * mean);
        float[] c = new float[1000];
        java.util.Arrays.fill(c, 0.1f);
        TensorStats constant = TensorStats.of(Nd4j.createFromArray(c));
        assertEquals(0.0, constant.variance(), 0.0);
        assertEquals(0.1f, constant.mean(), 0.0);
        assertEquals(
                0.0,
                TensorStats.of(Nd4j.createFromArray(c).castTo(DataType.DOUBLE)).variance(),
                0.0);
    }
}
