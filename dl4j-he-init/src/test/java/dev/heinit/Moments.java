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

    /** Standard normal CDF by Simpson integration of the density: independent of the library's Φ. */
    static double normalCdf(double x) {
        if (x < 0) {
            return 1 - normalCdf(-x);
        }
        int steps = 256; // Simpson error ~1e-11 at this step: far below the tolerances it serves
        double h = x / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double t = i * h;
            double w = (i == 0 || i == steps) ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.exp(-0.5 * t * t);
        }
        return 0.5 + sum * h / 3 / Math.sqrt(2 * Math.PI);
    }
}
