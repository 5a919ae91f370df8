package dev.heinit.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Order versus chaos in one layer's output: the mean cosine similarity between <em>different</em> examples'
 * representations over a batch, {@code raw = mean_{i≠j} cos(x_i, x_j)} with each example's activations flattened
 * to a vector x_i, and the same after centring over the batch, {@code centred = mean_{i≠j} cos(x_i − x̄, x_j − x̄)},
 * {@code x̄ = Σx_i/n}. In the mean-field picture (Poole et al. 2016, Schoenholz et al. 2017) a deep net in the
 * ordered phase maps every input alike (raw → 1), one in the chaotic phase pulls nearby inputs apart (centred falls
 * with depth); the raw cosine alone cannot tell the two apart when all representations share a large common mean
 * (post-ReLU activations are all non-negative), which is what the centred one removes.
 *
 * <p>Computed in O(n·d) rather than over the n² pairs: with u_i = x_i/|x_i|,
 * {@code Σ_{i≠j} cos = |Σu_i|² − Σ|u_i|²}; the activations are read in place (FLOAT or DOUBLE, no copy of the
 * batch) and every sum is accumulated in double.
 * Rows of zero norm have no direction: they are left out of the mean (a centred row counts as zero when its norm is
 * below 1e-4 (FLOAT) or 1e-10 (DOUBLE) of its raw norm: rounding), and counted: {@link #rawRows()},
 * {@link #centredRows()} are the rows used. With fewer than two rows left the statistic is NaN (identical rows
 * centre to zero, so their centred cosine is NaN while the raw one is 1). A NaN or infinite activation makes both
 * NaN. Immutable.
 */
public final class ExampleCorrelation {

    /**
     * A centred row shorter than this times its raw norm is rounding, not a direction. In float, identical inputs
     * leave a network as rows that differ in their last bits (a GEMM kernel may treat the rows of a block and the
     * tail rows differently; seen on AMD EPYC, not on Intel Xeon): ≈ layers·√width·2⁻²⁴ ≈ 1e-6 relative for the
     * nets here, so 1e-4 leaves two orders of margin and is still far below any real spread of examples.
     */
    private static final double FLOAT_ROUNDING = 1e-4;

    /** The same in double: only the rounding of the mean itself. */
    private static final double DOUBLE_ROUNDING = 1e-10;

    private final int examples;
    private final double raw;
    private final int rawRows;
    private final double centred;
    private final int centredRows;

    private ExampleCorrelation(int examples, double raw, int rawRows, double centred, int centredRows) {
        this.examples = examples;
        this.raw = raw;
        this.rawRows = rawRows;
        this.centred = centred;
        this.centredRows = centredRows;
    }

    /**
     * The statistic of a batch of activations of shape {@code [batch, ...]} (any rank ≥ 1; each example's entries
     * are flattened in C order).
     *
     * @throws IllegalArgumentException if activations is null, a scalar, or holds fewer than two examples
     */
    public static ExampleCorrelation of(INDArray activations) {
        if (activations == null) {
            throw new IllegalArgumentException("activations must be an array of shape [batch, ...], got null");
        }
        if (activations.rank() < 1 || activations.size(0) < 2) {
            throw new IllegalArgumentException("activations must have shape [batch, ...] with batch >= 2, got shape "
                    + Arrays.toString(activations.shape()));
        }
        if (activations.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "batch of " + activations.size(0) + " examples: at most " + Integer.MAX_VALUE + " are supported");
        }
        int n = (int) activations.size(0);
        TensorStats.Values v = TensorStats.Values.of(activations, true);
        try {
            return of(v, n, (int) (activations.length() / n));
        } finally {
            v.release();
        }
    }

    /**
     * Two sweeps over the rows, each copied once into a double row: the first accumulates |x_i|², Σx_i and
     * Σx_i/|x_i|; the second, with x̄ known, |x_i − x̄|² and Σx_i/|x_i − x̄|, so Σ(x_i − x̄)/|x_i − x̄| =
     * Σx_i/|x_i − x̄| − x̄·Σ1/|x_i − x̄| needs no centred copy of the data.
     */
    private static ExampleCorrelation of(TensorStats.Values v, int n, int d) {
        double[] row = new double[d];
        double[] sum = new double[d];
        double[] unitSum = new double[d];
        double unitSquares = 0;
        int rawRows = 0;
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            double sq = load(v, i, d, row);
            finite &= Double.isFinite(sq);
            double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
                unitSum[j] += row[j] * inv;
            }
            if (inv > 0) {
                rawRows++;
                unitSquares += sq * inv * inv;
            }
        }
        if (!finite) {
            return new ExampleCorrelation(n, Double.NaN, 0, Double.NaN, 0);
        }
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / n;
        }
        double[] centredSum = new double[d];
        double inverseSum = 0;
        double centredSquares = 0;
        int centredRows = 0;
        double rounding = v.floats != null ? FLOAT_ROUNDING : DOUBLE_ROUNDING;
        double meanSquare = squaredNorm(mean, null, 0);
        for (int i = 0; i < n; i++) {
            double rawSq = load(v, i, d, row);
            double sq = 0;
            for (int j = 0; j < d; j++) {
                double y = row[j] - mean[j];
                sq += y * y;
            }
            if (sq > rounding * rounding * (rawSq + meanSquare)) {
                double inv = 1 / Math.sqrt(sq);
                for (int j = 0; j < d; j++) {
                    centredSum[j] += row[j] * inv;
                }
                inverseSum += inv;
                centredSquares += sq * inv * inv;
                centredRows++;
            }
        }
        double rawPairs = squaredNorm(unitSum, null, 0) - unitSquares;
        double centredPairs = squaredNorm(centredSum, mean, inverseSum) - centredSquares;
        return new ExampleCorrelation(
                n, meanOverPairs(rawPairs, rawRows), rawRows, meanOverPairs(centredPairs, centredRows), centredRows);
    }

    /** Copies row i into {@code row} (as double) and returns its squared norm. */
    private static double load(TensorStats.Values v, int i, int d, double[] row) {
        int base = i * d;
        double sq = 0;
        if (v.floats != null) {
            for (int j = 0; j < d; j++) {
                double x = v.floats.get(base + j);
                row[j] = x;
                sq += x * x;
            }
        } else {
            for (int j = 0; j < d; j++) {
                double x = v.doubles.get(base + j);
                row[j] = x;
                sq += x * x;
            }
        }
        return sq;
    }

    /** |a − c·b|² (b null: |a|²). */
    private static double squaredNorm(double[] a, double[] b, double c) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double x = b == null ? a[j] : a[j] - c * b[j];
            s += x * x;
        }
        return s;
    }

    private static double meanOverPairs(double pairSum, int rows) {
        return rows < 2 ? Double.NaN : pairSum / ((double) rows * (rows - 1));
    }

    /** Number of examples in the batch. */
    public int examples() {
        return examples;
    }

    /** Mean cosine between different examples' representations; NaN if fewer than two have a non-zero norm. */
    public double raw() {
        return raw;
    }

    /** Rows with a non-zero norm, over which {@link #raw()} is taken. */
    public int rawRows() {
        return rawRows;
    }

    /** Mean cosine after subtracting the batch mean from every example; NaN if fewer than two rows remain non-zero. */
    public double centred() {
        return centred;
    }

    /** Rows with a non-zero norm after centring, over which {@link #centred()} is taken. */
    public int centredRows() {
        return centredRows;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ExampleCorrelation)) {
            return false;
        }
        ExampleCorrelation that = (ExampleCorrelation) o;
        return examples == that.examples
                && Double.compare(raw, that.raw) == 0
                && rawRows == that.rawRows
                && Double.compare(centred, that.centred) == 0
                && centredRows == that.centredRows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(examples, raw, rawRows, centred, centredRows);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "ExampleCorrelation(%d examples: raw cosine %.6f over %d rows, centred %.6f" + " over %d rows)",
                examples,
                raw,
                rawRows,
                centred,
                centredRows);
    }
}
