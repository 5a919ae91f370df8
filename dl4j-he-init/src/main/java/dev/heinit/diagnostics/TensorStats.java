package dev.heinit.diagnostics;

import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moments of one tensor, accumulated in double: {@code mean = Σx/n}, {@code secondMoment = Σx²/n},
 * {@code std = sqrt(Σ(x − mean)²/n)} (population, Welford's update), {@code rms = sqrt(secondMoment)},
 * over the n <em>finite</em> elements; NaN and ±∞ are counted apart and excluded from the moments
 * (so one NaN does not hide the scale of the rest). With no finite element the moments are NaN.
 * Double accumulation matters: an exploding 30-layer net reaches RMS ≈ 1e31, whose square overflows
 * float. Shape after Guava's {@code Stats} (an immutable value; Welford 1962 for the variance).
 */
public final class TensorStats {

    /** Statistics of no tensor at all (a layer without that tensor): count 0, moments NaN. */
    public static final TensorStats ABSENT = new TensorStats(0, 0, 0, Double.NaN, Double.NaN, Double.NaN);

    private final long count;
    private final long nanCount;
    private final long infCount;
    private final double mean;
    private final double std;
    private final double secondMoment;

    private TensorStats(long count, long nanCount, long infCount, double mean, double std, double secondMoment) {
        this.count = count;
        this.nanCount = nanCount;
        this.infCount = infCount;
        this.mean = mean;
        this.std = std;
        this.secondMoment = secondMoment;
    }

    /** The statistics of every element of {@code array} (null gives {@link #ABSENT}). */
    public static TensorStats of(INDArray array) {
        return of(array, 1.0);
    }

    /** The statistics of {@code scale · array}, scaled in double (null gives {@link #ABSENT}). */
    public static TensorStats of(INDArray array, double scale) {
        if (array == null) {
            return ABSENT;
        }
        return of(toDoubles(array), scale);
    }

    static TensorStats of(double[] values, double scale) {
        long n = 0;
        long nan = 0;
        long inf = 0;
        double mean = 0;
        double m2 = 0;
        double sumSq = 0;
        for (double raw : values) {
            double v = raw * scale;
            if (Double.isNaN(v)) {
                nan++;
            } else if (Double.isInfinite(v)) {
                inf++;
            } else {
                n++;
                double d = v - mean;
                mean += d / n;
                m2 += d * (v - mean);
                sumSq += v * v;
            }
        }
        if (n == 0) {
            return new TensorStats(values.length, nan, inf, Double.NaN, Double.NaN, Double.NaN);
        }
        return new TensorStats(values.length, nan, inf, mean, Math.sqrt(Math.max(0, m2 / n)), sumSq / n);
    }

    /** Row-major (c order) copy in double; one copy per tensor, the cost of the statistics pass. */
    static double[] toDoubles(INDArray array) {
        INDArray d = array.castTo(DataType.DOUBLE).dup('c');
        return d.data().asDouble();
    }

    /** The pooled second moment of several tensors (weights = finite counts), for a vertex with several inputs. */
    static double pooledRms(Iterable<TensorStats> parts) {
        double sum = 0;
        long n = 0;
        for (TensorStats s : parts) {
            long f = s.finiteCount();
            if (f > 0) {
                sum += s.secondMoment * f;
                n += f;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    /** Number of elements, finite or not. */
    public long count() {
        return count;
    }

    /** Number of finite elements (those the moments are taken over). */
    public long finiteCount() {
        return count - nanCount - infCount;
    }

    /** Number of NaN elements. */
    public long nanCount() {
        return nanCount;
    }

    /** Number of +∞ or −∞ elements. */
    public long infCount() {
        return infCount;
    }

    /** {@code nanCount() + infCount()}. */
    public long nonFiniteCount() {
        return nanCount + infCount;
    }

    /** Mean of the finite elements; NaN if none. */
    public double mean() {
        return mean;
    }

    /** Population standard deviation of the finite elements; NaN if none. */
    public double std() {
        return std;
    }

    /** {@code E[x²]} over the finite elements; NaN if none. */
    public double secondMoment() {
        return secondMoment;
    }

    /** Root mean square {@code sqrt(E[x²])} of the finite elements; NaN if none. */
    public double rms() {
        return Math.sqrt(secondMoment);
    }

    /** Whether there was a tensor ({@code count() > 0}). */
    public boolean present() {
        return count > 0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TensorStats)) {
            return false;
        }
        TensorStats t = (TensorStats) o;
        return count == t.count && nanCount == t.nanCount && infCount == t.infCount
                && Double.compare(mean, t.mean) == 0 && Double.compare(std, t.std) == 0
                && Double.compare(secondMoment, t.secondMoment) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, nanCount, infCount, mean, std, secondMoment);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TensorStats{n=%d, nan=%d, inf=%d, mean=%.6g, std=%.6g, m2=%.6g}",
                count, nanCount, infCount, mean, std, secondMoment);
    }
}
