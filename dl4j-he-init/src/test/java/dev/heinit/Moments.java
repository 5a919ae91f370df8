package dev.heinit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sample statistics in double precision, for the statistical tests. */
final class Moments {
    final long n;
    final double mean;
    final double variance;
    final double maxAbs;
    final long zeros;
    final double[] values;

    private Moments(double[] v) {
        values = v;
        n = v.length;
        double s = 0;
        double max = 0;
        long z = 0;
        for (double x : v) {
            s += x;
            max = Math.max(max, Math.abs(x));
            if (x == 0) {
                z++;
            }
        }
        mean = s / n;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        variance = ss / (n - 1);
        maxAbs = max;
        zeros = z;
    }

    static Moments of(INDArray a) {
        return new Moments(a.castTo(DataType.DOUBLE).data().asDouble());
    }

    /** Fraction of values with |x| > t. */
    double tail(double t) {
        long c = 0;
        for (double x : values) {
            if (Math.abs(x) > t) {
                c++;
            }
        }
        return (double) c / n;
    }

    /** Standard normal CDF ({@link NormalOracle}, 256 intervals: error ~1e-11, far below the tolerances it serves). */
    static double normalCdf(double x) {
        return NormalOracle.cdf(x, 256);
    }
}
