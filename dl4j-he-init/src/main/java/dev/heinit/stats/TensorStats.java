package dev.heinit.stats;

import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moments of one tensor, accumulated in double in one pass, read in place: {@code mean = Σx/n},
 * {@code variance = Σ(x − mean)²/n} (population), {@code std = sqrt(variance)},
 * {@code secondMoment = Σx²/n = mean² + variance}, {@code rms = sqrt(secondMoment)}, over the n <em>finite</em>
 * elements; NaN and ±∞ are counted apart and excluded from the moments (so one NaN does not hide the scale of
 * the rest). With no finite element the moments are NaN. The sums are of {@code x − K}, K the first finite
 * element (the shifted-data algorithm, Chan, Golub &amp; LeVeque 1983, "Algorithms for computing the sample
 * variance"): a constant tensor has variance exactly 0, and |mean| ≫ std costs no digits, as it would with
 * {@code E[x²] − mean²}. Double accumulation matters: an exploding 30-layer net reaches RMS ≈ 1e31, whose square
 * overflows float. Shape after Guava's {@code Stats} (an immutable value).
 */
public final class TensorStats {

    /** Statistics of no tensor at all (a layer without that tensor): count 0, moments NaN. */
    public static final TensorStats ABSENT = new TensorStats(0, 0, 0, Double.NaN, Double.NaN);

    private final long count;
    private final long nanCount;
    private final long infCount;
    private final double mean;
    private final double variance;
    private final double secondMoment;

    private TensorStats(long count, long nanCount, long infCount, double mean, double variance) {
        this.count = count;
        this.nanCount = nanCount;
        this.infCount = infCount;
        this.mean = mean;
        this.variance = variance;
        this.secondMoment = mean * mean + variance;
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
        return Values.of(array, false).stats(scale);
    }

    static TensorStats of(double[] values, double scale) {
        return of(java.nio.DoubleBuffer.wrap(values), scale);
    }

    static TensorStats of(float[] values, double scale) {
        return of(java.nio.FloatBuffer.wrap(values), scale);
    }

    // Two independent sum/sum-of-squares chains: the loop is bound by add latency, not by memory.
    static TensorStats of(java.nio.FloatBuffer b, double scale) {
        int len = b.limit();
        if (len == 0) {
            return new Accumulator().result(0);
        }
        double k = b.get(0); // the shift (see the class comment); not finite: the fallback below handles it
        double s0 = 0;
        double q0 = 0;
        double s1 = 0;
        double q1 = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            double x = b.get(i) - k;
            double y = b.get(i + 1) - k;
            s0 += x;
            q0 += x * x;
            s1 += y;
            q1 += y * y;
        }
        if (i < len) {
            double x = b.get(i) - k;
            s0 += x;
            q0 += x * x;
        }
        double s = s0 + s1;
        double q = q0 + q1;
        if (Double.isFinite(s) && Double.isFinite(q)) { // no NaN/∞ element (float squares cannot overflow double)
            return fromSums(len, 0, 0, len, k * scale, s * scale, q * scale * scale);
        }
        Accumulator acc = new Accumulator();
        for (int j = 0; j < len; j++) {
            acc.add(b.get(j) * scale);
        }
        return acc.result(len);
    }

    static TensorStats of(java.nio.DoubleBuffer b, double scale) {
        Accumulator acc = new Accumulator();
        int len = b.limit();
        for (int k = 0; k < len; k++) {
            acc.add(b.get(k) * scale);
        }
        return acc.result(len);
    }

    /** From n, the shift k and the sums of (x − k) and (x − k)² over the finite x. */
    private static TensorStats fromSums(long count, long nan, long inf, long n, double k, double sum, double sumSq) {
        if (n == 0) {
            return new TensorStats(count, nan, inf, Double.NaN, Double.NaN);
        }
        double d = sum / n;
        // E[(x−k)²] − (mean−k)²: with k a sample, (mean−k)² is of the order of the variance, so little cancels
        return new TensorStats(count, nan, inf, k + d, Math.max(0, sumSq / n - d * d));
    }

    /**
     * One-pass accumulator of Σ(x − k) and Σ(x − k)² over the finite x (k the first), counting NaN and ±∞ apart,
     * for a caller that reads each element anyway (the diagnostics count dead and saturated units in the same loop).
     */
    public static final class Accumulator {
        private long n;
        private long nan;
        private long inf;
        private double k;
        private double s1;
        private double sq;

        /** Adds one element. */
        public void add(double v) {
            if (v - v != 0) { // NaN or infinite: one comparison on the hot path
                if (Double.isNaN(v)) {
                    nan++;
                } else {
                    inf++;
                }
                return;
            }
            if (n == 0) {
                k = v;
            }
            n++;
            double d = v - k;
            s1 += d;
            sq += d * d;
        }

        /** The statistics of what was added; {@code count} is the tensor's element count (finite or not). */
        public TensorStats result(long count) {
            return fromSums(count, nan, inf, n, k, s1, sq);
        }
    }

    /**
     * The elements in row-major (c) order, read in place from native memory (float or double; else cast). The NIO
     * buffer does not keep its array alive: {@code owner} does (a temporary c-ordered copy would otherwise be
     * freed by the garbage collector while it is read), so keep the Values reachable until done
     * ({@link #release()}).
     */
    public static final class Values {
        final java.nio.FloatBuffer floats;
        final java.nio.DoubleBuffer doubles;
        private final INDArray owner;

        private Values(java.nio.FloatBuffer f, java.nio.DoubleBuffer d, INDArray owner) {
            this.floats = f;
            this.doubles = d;
            this.owner = owner;
        }

        /** Marks the end of reading: the array stays reachable (not freed) up to this call. */
        public void release() {
            java.lang.ref.Reference.reachabilityFence(owner);
        }

        /** The elements of {@code array} in row-major order. */
        public static Values of(INDArray array) {
            return of(array, true);
        }

        /** {@code rowMajor}: element order matters (per-unit counts); otherwise any contiguous layout is read as is. */
        static Values of(INDArray array, boolean rowMajor) {
            INDArray c = array;
            boolean direct = c.length() > 0
                    && c.elementWiseStride() == 1
                    && (!rowMajor || c.ordering() == 'c' || c.rank() <= 1)
                    && (c.dataType() == DataType.FLOAT || c.dataType() == DataType.DOUBLE);
            if (direct) {
                Values v = wrap(c);
                if (v != null) {
                    return v;
                }
            }
            c = c.dup('c');
            if (c.dataType() != DataType.FLOAT && c.dataType() != DataType.DOUBLE) {
                c = c.castTo(DataType.DOUBLE);
            }
            return wrap(c);
        }

        // ND4J positions the NIO buffer at the array's first element (views included): read length() from there.
        private static Values wrap(INDArray c) {
            int len = (int) c.length();
            if (c.dataType() == DataType.FLOAT) {
                java.nio.FloatBuffer f = c.data().asNioFloat();
                int start = f.position();
                if (f.capacity() - start < len) {
                    return null;
                }
                f.limit(start + len);
                return new Values(f.slice(), null, c);
            }
            java.nio.DoubleBuffer d = c.data().asNioDouble();
            int start = d.position();
            if (d.capacity() - start < len) {
                return null;
            }
            d.limit(start + len);
            return new Values(null, d.slice(), c);
        }

        TensorStats stats(double scale) {
            TensorStats t = floats != null ? TensorStats.of(floats, scale) : TensorStats.of(doubles, scale);
            release();
            return t;
        }

        /** The number of elements. */
        public int length() {
            return floats != null ? floats.limit() : doubles.limit();
        }

        /** Element {@code i}, as a double. */
        public double get(int i) {
            return floats != null ? floats.get(i) : doubles.get(i);
        }
    }

    /**
     * The RMS of several tensors pooled: {@code √(Σ nᵢ·E[xᵢ²] / Σ nᵢ)}, nᵢ their finite counts, for a vertex with
     * several inputs.
     */
    public static double pooledRms(Iterable<TensorStats> parts) {
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

    /** Population standard deviation {@code sqrt(variance())} of the finite elements; NaN if none. */
    public double std() {
        return Math.sqrt(variance);
    }

    /** Population variance {@code Σ(x − mean)²/n} of the finite elements (exactly 0 for a constant tensor); NaN if none. */
    public double variance() {
        return variance;
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
        return count == t.count
                && nanCount == t.nanCount
                && infCount == t.infCount
                && Double.compare(mean, t.mean) == 0
                && Double.compare(variance, t.variance) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, nanCount, infCount, mean, variance);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "TensorStats{n=%d, nan=%d, inf=%d, mean=%.6g, std=%.6g, m2=%.6g}",
                count,
                nanCount,
                infCount,
                mean,
                std(),
                secondMoment);
    }
}
