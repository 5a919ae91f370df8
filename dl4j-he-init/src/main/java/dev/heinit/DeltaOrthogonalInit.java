package dev.heinit;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.WeightGeometry;

/**
 * Delta-orthogonal initialization of convolution kernels (Xiao et al. 2018, "Dynamical isometry and a mean field
 * theory of CNNs", Algorithm 2; JAX's {@code delta_orthogonal}) as a DL4J {@link IWeightInit}:
 * {@code W[:, :, c, c] = gain · Q}, zeros at every other tap, where {@code Q} is an {@code nOut × nIn} matrix with
 * orthonormal columns ({@code QᵀQ = I}), drawn Haar-distributed by {@link OrthogonalInit#orthonormal(long, long)} (the
 * first nIn columns of a Haar n×n orthogonal matrix, n = nOut).
 *
 * <p>The weight is DL4J's convolution layout {@code [nOut, nIn, k₁, …]} (rank 3 to 5: 1-D, 2-D, 3-D kernels) and
 * every kernel size must be odd, so that a centre tap exists; {@code nIn ≤ nOut}, so that the centre tap can be
 * norm-preserving. A delta-orthogonal conv is then an orthogonal 1×1 conv: every input's norm times {@code gain}.
 * With tanh at the edge of chaos ({@code gain = Gains.critical(tanh, σ_b).sigmaW()}, 1 for σ_b = 0, 1.042 for
 * σ_b = 0.01) the input–output Jacobian of a deep plain CNN is well conditioned (dynamical isometry) and 1,000-layer
 * nets train without shortcuts or normalization; ReLU nets cannot reach isometry (Pennington et al. 2017).
 *
 * <p>Only the centre tap is used, so a strided delta-orthogonal conv subsamples its input: initialize stride-2
 * layers (a stem) with a Gaussian init instead. Fans are ignored. Immutable, serialized with the model.
 */
public final class DeltaOrthogonalInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("gain")
    private final double gain;

    /**
     * @param gain the multiplier of the centre tap's orthonormal matrix (σ_w), {@code ≥ 0} and finite
     * @throws IllegalArgumentException if gain is negative, NaN or infinite
     */
    @JsonCreator
    public DeltaOrthogonalInit(@JsonProperty("gain") double gain) {
        if (!(gain >= 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("gain must be >= 0 and finite, got " + gain);
        }
        this.gain = gain;
    }

    /** Gain 1: tanh's critical σ_w for zero biases. */
    public DeltaOrthogonalInit() {
        this(1.0);
    }

    /** The multiplier of the centre tap's orthonormal matrix. */
    public double gain() {
        return gain;
    }

    /**
     * Why a weight of this shape cannot be delta-orthogonal (rank outside 3–5, an even or empty kernel size,
     * {@code nIn > nOut}), or null if it can. Messages name the shape.
     */
    public static String unsupported(long[] shape) {
        if (shape == null || shape.length < 3 || shape.length > 5) {
            return "a delta-orthogonal init needs a convolution weight [nOut, nIn, k...] of rank 3 to 5, got shape "
                    + Arrays.toString(shape);
        }
        for (int i = 2; i < shape.length; i++) {
            if (shape[i] < 1 || shape[i] % 2 == 0) {
                return "a delta-orthogonal init needs odd kernel sizes (a centre tap), got kernel "
                        + Arrays.toString(Arrays.copyOfRange(shape, 2, shape.length)) + " in weight shape "
                        + Arrays.toString(shape);
            }
        }
        if (shape[1] > shape[0] || shape[0] < 1 || shape[1] < 1) {
            return "a delta-orthogonal init needs 1 <= nIn <= nOut (an orthogonal centre tap), got nIn = " + shape[1]
                    + ", nOut = " + shape[0] + " in weight shape " + Arrays.toString(shape);
        }
        return null;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        String why = unsupported(shape);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        VarianceScalingInit.checkView(shape, order, paramView);
        INDArray q = OrthogonalInit.orthonormal(shape[0], shape[1]); // nOut × nIn, orthonormal columns
        if (gain != 1.0) {
            q.muli(gain);
        }
        INDArray w = Nd4j.create(DataType.DOUBLE, shape, order); // zero-filled
        INDArrayIndex[] centre = new INDArrayIndex[shape.length];
        centre[0] = NDArrayIndex.all();
        centre[1] = NDArrayIndex.all();
        for (int i = 2; i < shape.length; i++) {
            centre[i] = NDArrayIndex.point(shape[i] / 2);
        }
        w.get(centre).assign(q);
        // Reading W in the parameter's order gives the flat layout that paramView.reshape(order, shape) sees.
        paramView.assign(w.castTo(paramView.dataType()).reshape(order, paramView.shape()));
        return paramView.reshape(order, shape);
    }

    /**
     * Checks every layer of {@code conf} initialized by a {@code DeltaOrthogonalInit} (after {@code
     * setInputType}, so that nIn is known): it must be a convolution with odd kernels and {@code nIn ≤ nOut}.
     *
     * @throws IllegalArgumentException naming the first layer that is not (index, name, weight shape, why)
     */
    public static void requireApplicable(MultiLayerConfiguration conf) {
        check(NetworkView.of(conf), false);
    }

    /** {@link #requireApplicable(MultiLayerConfiguration)} for a graph; layers are named by their vertex name. */
    public static void requireApplicable(ComputationGraphConfiguration conf) {
        check(NetworkView.of(conf), true);
    }

    private static void check(NetworkView view, boolean graph) {
        for (NetworkView.Node node : view.nodes()) {
            LayerRule rule = node.rule();
            if (rule == null
                    || rule.initSlots().isEmpty()
                    || !(rule.initSlots().get(0).weightInit() instanceof DeltaOrthogonalInit)) {
                continue;
            }
            // a dense or recurrent weight has no kernel, so no centre tap: shape null
            WeightGeometry.Conv conv =
                    rule.weightKeys().contains("W") ? rule.weight("W").conv() : null;
            long[] shape = null;
            if (conv != null) {
                WeightGeometry w = rule.weight("W");
                int[] k = conv.kernel();
                shape = new long[2 + k.length];
                shape[0] = w.nOut();
                shape[1] = w.nIn();
                for (int j = 0; j < k.length; j++) {
                    shape[2 + j] = k[j];
                }
            }
            String why = unsupported(shape);
            if (why != null) {
                String name = graph ? "layer '" + node.name() + "'" : "layer " + node.name();
                throw new IllegalArgumentException(name + " (" + rule.type() + "): " + why);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof DeltaOrthogonalInit && Double.compare(gain, ((DeltaOrthogonalInit) o).gain) == 0);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gain) * 31 + 7;
    }

    @Override
    public String toString() {
        return "DeltaOrthogonalInit(gain=" + gain + ")";
    }
}
