package dev.heinit.diagnostics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 * {@code Σ_{i≠j} cos = |Σu_i|² − Σ|u_i|²}; the data are cast to double and every sum is accumulated in double.
 * Rows of zero norm have no direction: they are left out of the mean (and counted: {@link #rawRows()},
 * {@link #centredRows()} are the rows used). With fewer than two rows left the statistic is NaN (identical rows
 * centre to zero, so their centred cosine is NaN while the raw one is 1). A NaN or infinite activation makes both
 * NaN. Immutable.
 */
public final class ExampleCorrelation {

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
        INDArray x = activations.castTo(DataType.DOUBLE).reshape('c', n, activations.length() / n);
        double[] r = meanCosine(x);
        double[] c = meanCosine(x.subRowVector(x.mean(0)));
        return new ExampleCorrelation(n, r[0], (int) r[1], c[0], (int) c[1]);
    }

    /** {mean cosine over pairs of non-zero rows, number of such rows}. */
    private static double[] meanCosine(INDArray x) {
        double[] norms = x.norm2(1).toDoubleVector();
        double[] inverse = new double[norms.length];
        int rows = 0;
        for (int i = 0; i < norms.length; i++) {
            if (!Double.isFinite(norms[i])) {
                return new double[] {Double.NaN, 0};
            }
            if (norms[i] > 0) {
                inverse[i] = 1 / norms[i];
                rows++;
            }
        }
        if (rows < 2) {
            return new double[] {Double.NaN, rows};
        }
        INDArray u = x.mulColumnVector(Nd4j.createFromArray(inverse).reshape(norms.length, 1));
        INDArray sum = u.sum(0);
        double pairs =
                sum.mul(sum).sumNumber().doubleValue() - u.mul(u).sumNumber().doubleValue();
        return new double[] {pairs / ((double) rows * (rows - 1)), rows};
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
