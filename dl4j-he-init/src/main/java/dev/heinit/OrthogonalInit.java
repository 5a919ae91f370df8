package dev.heinit;

import java.util.Arrays;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Orthogonal initialization (Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of learning in deep
 * linear neural networks"; the pre-init of LSUV, Mishkin &amp; Matas 2016) as a DL4J {@link IWeightInit}:
 * {@code W = gain · Q}, where Q has orthonormal rows or columns.
 *
 * <p>The weight is read as the matrix {@code M = [shape[0], shape[1]·…·shape[r−1]]} in the parameter's own
 * order: a conv weight {@code [out, in, kH, kW]} is {@code [out, in·kH·kW]}, a dense weight {@code [nIn, nOut]}
 * is itself. A Gaussian matrix G ({@code N(0,1)}, drawn from ND4J's RNG by the exact sampler of this package,
 * never by {@code Nd4j.randn}) of the tall orientation {@code [max(r,c), min(r,c)]} is factored {@code G = QR}
 * (LAPACK {@code geqrf/orgqr} in double), and column j of Q is multiplied by {@code sign(R_jj)} so that Q is
 * Haar-distributed (Mezzadri 2007, "How to generate random matrices from the classical compact groups"); as
 * PyTorch's {@code orthogonal_}. Then {@code M·Mᵀ = gain²·I} if rows ≤ cols, else {@code Mᵀ·M = gain²·I}.
 *
 * <p>Fans are ignored: orthogonal weights preserve the norm of every input (rows ≥ cols) or of every
 * component in the row space; for ReLU nets use {@code gain = √2}, or let LSUV set the scale from data.
 * Immutable, serialized with the model like DL4J's built-in inits.
 */
public final class OrthogonalInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("gain")
    private final double gain;

    /**
     * @param gain the multiplier of the orthonormal matrix, {@code ≥ 0} and finite
     * @throws IllegalArgumentException if gain is negative, NaN or infinite
     */
    @JsonCreator
    public OrthogonalInit(@JsonProperty("gain") double gain) {
        if (!(gain >= 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("gain must be >= 0 and finite, got " + gain);
        }
        this.gain = gain;
    }

    /** Orthonormal, gain 1. */
    public OrthogonalInit() {
        this(1.0);
    }

    /** The multiplier of the orthonormal matrix. */
    public double gain() {
        return gain;
    }

    /** A copy with the given gain. */
    public OrthogonalInit gain(double gain) {
        return new OrthogonalInit(gain);
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (paramView == null) {
            throw new IllegalArgumentException(
                    "paramView must not be null (weight shape " + Arrays.toString(shape) + ")");
        }
        if (order != 'c' && order != 'f') {
            throw new IllegalArgumentException("order must be 'c' or 'f', got '" + order + "'");
        }
        if (shape == null || shape.length < 2) {
            throw new IllegalArgumentException(
                    "an orthogonal init needs a weight of rank >= 2, got shape " + Arrays.toString(shape));
        }
        long rows = shape[0];
        long cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= shape[i];
        }
        if (rows < 1 || cols < 1 || rows * cols != paramView.length()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not fit a parameter view of "
                    + paramView.length() + " values");
        }
        INDArray m = orthonormal(rows, cols);
        if (gain != 1.0) {
            m.muli(gain);
        }
        // Reading M in the parameter's order gives the flat layout that paramView.reshape(order, shape) sees.
        paramView.assign(m.castTo(paramView.dataType()).reshape(order, paramView.shape()));
        return paramView.reshape(order, shape);
    }

    /**
     * A Haar-distributed {@code rows × cols} matrix (double, 'f' order) with orthonormal rows (rows ≤ cols) or
     * columns (rows &gt; cols); see the class description.
     *
     * @throws IllegalArgumentException if a dimension is &lt; 1 or the matrix exceeds 2³¹ − 17 values
     */
    public static INDArray orthonormal(long rows, long cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix dimensions must be >= 1, got " + rows + " x " + cols);
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || rows * cols > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("matrix " + rows + " x " + cols + " is too large (at most "
                    + (Integer.MAX_VALUE - 16) + " values)");
        }
        boolean wide = rows < cols;
        long m = Math.max(rows, cols);
        long n = Math.min(rows, cols);
        INDArray g = Nd4j.create(DataType.DOUBLE, new long[] {m, n}, 'f');
        RandomFill.normal(g, 1.0);
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(g, r); // g becomes the thin Q (m × n)
        // Haar measure: QR's Q is only unique up to column signs; fixing diag(R) > 0 removes the bias.
        double[] signs = new double[(int) n];
        for (int j = 0; j < n; j++) {
            signs[j] = r.getDouble(j, j) < 0 ? -1.0 : 1.0;
        }
        g.muliRowVector(Nd4j.createFromArray(signs));
        return wide ? g.transpose().dup('f') : g;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof OrthogonalInit && Double.compare(gain, ((OrthogonalInit) o).gain) == 0);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gain);
    }

    @Override
    public String toString() {
        return "OrthogonalInit(gain=" + gain + ")";
    }
}
