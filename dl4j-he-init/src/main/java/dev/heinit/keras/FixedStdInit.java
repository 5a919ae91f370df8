package dev.heinit.keras;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.heinit.FanMode;
import dev.heinit.Sampler;
import dev.heinit.VarianceScalingInit;

/**
 * Fan-independent draws {@code mean + std·Z}, where Z has unit variance and is drawn by a {@link Sampler}: Keras's
 * {@code RandomNormal(mean, stddev)} is {@code (NORMAL, mean, stddev)}, {@code RandomUniform(minval, maxval)} is
 * {@code (UNIFORM, (min+max)/2, (max−min)/√12)} and {@code TruncatedNormal(mean, stddev)} — a normal of standard
 * deviation {@code stddev} cut at ±2·stddev — is {@code (TRUNCATED_NORMAL, mean, 0.87962566·stddev)}.
 * The draw goes through {@link VarianceScalingInit} with {@code scale = std²} and fan 1, the library's one variance
 * formula and samplers. {@code std = 0} fills the constant {@code mean}. Immutable and JSON-serializable.
 */
public final class FixedStdInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("sampler")
    private final Sampler sampler;

    @JsonProperty("mean")
    private final double mean;

    @JsonProperty("std")
    private final double std;

    /**
     * @param sampler how to draw
     * @param mean    the mean, finite
     * @param std     the standard deviation of the draws, {@code ≥ 0} and finite
     * @throws IllegalArgumentException if sampler is null or mean/std are out of range
     */
    @JsonCreator
    public FixedStdInit(
            @JsonProperty("sampler") Sampler sampler,
            @JsonProperty("mean") double mean,
            @JsonProperty("std") double std) {
        if (sampler == null) {
            throw new IllegalArgumentException(
                    "sampler must be one of " + Arrays.toString(Sampler.values()) + ", got null");
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("mean must be finite, got " + mean);
        }
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("std must be >= 0 and finite, got " + std);
        }
        this.sampler = sampler;
        this.mean = mean;
        this.std = std;
    }

    /** How the draws are made. */
    public Sampler sampler() {
        return sampler;
    }

    /** The mean of the draws. */
    public double mean() {
        return mean;
    }

    /** The standard deviation of the draws. */
    public double std() {
        return std;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        INDArray out;
        if (std == 0) {
            if (paramView == null) {
                throw new IllegalArgumentException(
                        "paramView must not be null (weight shape " + Arrays.toString(shape) + ")");
            }
            paramView.assign(0);
            out = paramView.reshape(order, shape);
        } else {
            // fan 1 and scale std² give exactly std through the library's variance formula
            out = new VarianceScalingInit(std * std, FanMode.FAN_IN, sampler).init(1.0, 1.0, shape, order, paramView);
        }
        if (mean != 0) {
            paramView.addi(mean);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FixedStdInit)) {
            return false;
        }
        FixedStdInit f = (FixedStdInit) o;
        return sampler == f.sampler && Double.compare(mean, f.mean) == 0 && Double.compare(std, f.std) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampler, mean, std);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FixedStdInit(sampler=%s, mean=%s, std=%s)", sampler, mean, std);
    }
}
