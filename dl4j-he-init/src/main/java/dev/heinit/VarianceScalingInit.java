package dev.heinit;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Variance scaling, the general form of Glorot, LeCun and He initialization (Keras {@code VarianceScaling},
 * Flax {@code variance_scaling}): {@code Var(W) = scale / fan}, where {@code fan} is fan_in, fan_out or
 * {@code (fan_in + fan_out)/2} by {@link FanMode}, drawn by a {@link Sampler} with exactly that variance.
 *
 * <p>{@code std = √(scale / fan)}; normal draws {@code N(0, std²)}, uniform {@code U(±√3·std)}, truncated
 * normal {@code N(0, σ₀²)} cut at ±2σ₀ with {@code σ₀ = std/0.8796…}. He normal is {@code (2, FAN_IN, NORMAL)},
 * LeCun normal {@code (1, FAN_IN, NORMAL)}, Glorot uniform {@code (1, FAN_AVG, UNIFORM)}. Unlike DL4J's
 * {@code VAR_SCALING_*} and {@code LECUN_UNIFORM}, the uniform bound is √3·std (not 3·std) and the truncated
 * normal has exact variance. Immutable and JSON-serializable inside DL4J configurations.
 *
 * <p>The fans are the ones DL4J passes, which are wrong for depthwise, Conv1D, LSTM input and Deconv2D weights;
 * see {@link dev.heinit.fan.Fans} for the true ones.
 */
public final class VarianceScalingInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("scale")
    private final double scale;

    @JsonProperty("mode")
    private final FanMode mode;

    @JsonProperty("sampler")
    private final Sampler sampler;

    /**
     * @param scale   the variance numerator, {@code > 0} and finite
     * @param mode    which fan to divide by
     * @param sampler how to draw
     * @throws IllegalArgumentException if scale is not a positive finite number, or mode/sampler is null
     */
    @JsonCreator
    public VarianceScalingInit(
            @JsonProperty("scale") double scale,
            @JsonProperty("mode") FanMode mode,
            @JsonProperty("sampler") Sampler sampler) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be > 0 and finite, got " + scale);
        }
        if (mode == null) {
            throw new IllegalArgumentException(
                    "mode must be one of " + Arrays.toString(FanMode.values()) + ", got null");
        }
        if (sampler == null) {
            throw new IllegalArgumentException(
                    "sampler must be one of " + Arrays.toString(Sampler.values()) + ", got null");
        }
        this.scale = scale;
        this.mode = mode;
        this.sampler = sampler;
    }

    /** The variance numerator. */
    public double scale() {
        return scale;
    }

    /** Which fan the variance is divided by. */
    public FanMode mode() {
        return mode;
    }

    /** How weights are drawn. */
    public Sampler sampler() {
        return sampler;
    }

    /** {@code √(scale / fan)} for these fans. */
    public double std(double fanIn, double fanOut) {
        return std(scale, mode.inWeight(), mode.outWeight(), fanIn, fanOut, null);
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double std = std(scale, mode.inWeight(), mode.outWeight(), fanIn, fanOut, shape);
        return fill(sampler, std, shape, order, paramView);
    }

    /**
     * The one variance formula of this library: {@code std = √(scale / (wIn·fanIn + wOut·fanOut))}.
     * Keras's modes are (1, 0), (0, 1), (½, ½); {@link HeInit} passes moment-weighted fans. Only the fans
     * with a non-zero weight are checked (DL4J passes odd values for fans a mode does not use).
     */
    static double std(double scale, double wIn, double wOut, double fanIn, double fanOut, long[] shape) {
        if (wIn != 0) {
            checkFan("fanIn", fanIn, shape);
        }
        if (wOut != 0) {
            checkFan("fanOut", fanOut, shape);
        }
        return Math.sqrt(scale / (wIn * fanIn + wOut * fanOut));
    }

    /** Fills {@code paramView} with draws of standard deviation {@code std} and returns it in {@code shape}. */
    static INDArray fill(Sampler sampler, double std, long[] shape, char order, INDArray paramView) {
        checkView(shape, order, paramView);
        sampler.fill(paramView, std);
        return paramView.reshape(order, shape);
    }

    /** Checks the arguments every init gets: a non-null view of exactly the shape's size, order 'c' or 'f'. */
    static void checkView(long[] shape, char order, INDArray paramView) {
        if (paramView == null) {
            throw new IllegalArgumentException(
                    "paramView must not be null (weight shape " + Arrays.toString(shape) + ")");
        }
        if (order != 'c' && order != 'f') {
            throw new IllegalArgumentException("order must be 'c' or 'f', got '" + order + "'");
        }
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != paramView.length()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values but the parameter view has " + paramView.length());
        }
    }

    private static void checkFan(String which, double fan, long[] shape) {
        if (!(fan > 0) || !Double.isFinite(fan)) {
            throw new IllegalArgumentException(which + " must be > 0 and finite, got " + fan
                    + (shape == null ? "" : " for weight shape " + Arrays.toString(shape)));
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof VarianceScalingInit)) {
            return false;
        }
        VarianceScalingInit that = (VarianceScalingInit) o;
        return Double.compare(scale, that.scale) == 0 && mode == that.mode && sampler == that.sampler;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scale, mode, sampler);
    }

    @Override
    public String toString() {
        return "VarianceScalingInit(scale=" + scale + ", mode=" + mode + ", sampler=" + sampler + ")";
    }
}
