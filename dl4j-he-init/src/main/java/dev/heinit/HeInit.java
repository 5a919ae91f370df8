package dev.heinit;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.heinit.gain.Criticality;

/**
 * He (Kaiming) initialization (He et al. 2015, "Delving Deep into Rectifiers") as a drop-in DL4J
 * {@link IWeightInit}: {@code .weightInit(HeInit.normal())}.
 *
 * <p>With the default {@link GainConvention#SECOND_MOMENT} and z ~ N(0,1):
 * <ul>
 *   <li>fan_in: {@code Var(W) = 1 / (fan_in · E[f(z)²])} (keeps the forward second moment; ReLU: 2/fan_in);</li>
 *   <li>fan_out: {@code Var(W) = 1 / (fan_out · E[f'(z)²])} (keeps the gradient's second moment);</li>
 *   <li>fan_avg: {@code Var(W) = 2 / (fan_in · E[f²] + fan_out · E[f'²])}.</li>
 * </ul>
 * With an explicit {@link #gain(double) gain} g, or {@link GainConvention#PYTORCH}'s gain:
 * {@code Var(W) = g² / fan}, with fan_avg's fan = (fan_in + fan_out)/2. Drawn by the {@link Sampler}
 * (normal, uniform with bound √3·std, or variance-exact truncated normal).
 *
 * <p>Which nonlinearity: in fan_in mode the one applied to the layer's <em>input</em> (E[x²] = E[f(y_prev)²]),
 * in fan_out mode the derivative of the one applied to the layer's <em>output</em> (He et al. 2015, eqs. 10 and 14).
 * In a stack with one activation both are the same; for a network with mixed activations,
 * {@link dev.heinit.config.HeConfigurer} picks the right one per layer.
 *
 * <p>Fans: used directly, this init divides by the fans DL4J passes, which are wrong for several layer types
 * (depthwise convolutions count nIn·k² instead of k², Conv1D counts k², LSTM input weights get the recurrent
 * fan, Deconv2D divides fan_out by stride² on the wrong side). {@link dev.heinit.config.HeConfigurer} bakes the
 * true fans ({@link dev.heinit.fan.Fans}) into each layer's init.
 *
 * <p>{@link #critical(double)}: edge-of-chaos weights {@code Var(W) = σ_w²/fan_in} for smooth activations, where
 * the He gain leaves deep nets chaotic (see {@link dev.heinit.gain.Criticality}); biases by {@link NormalBiasInit}.
 *
 * <p>Defaults: normal, fan_in, ReLU, i.e. {@code N(0, 2/fan_in)} as PyTorch's {@code kaiming_normal_}.
 * Immutable: every fluent method returns a new instance. Randomness comes from ND4J's RNG, so a network
 * seed gives bitwise-identical weights. Serialized with the model like DL4J's built-in inits.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class HeInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("sampler")
    private final Sampler sampler;

    @JsonProperty("mode")
    private final FanMode mode;

    @JsonProperty("nonlinearity")
    private final Nonlinearity nonlinearity;

    @JsonProperty("gain")
    private final Double gain;

    @JsonProperty("convention")
    private final GainConvention convention;

    @JsonProperty("criticalBiasStd")
    private final Double criticalBiasStd;

    private HeInit(Sampler sampler, FanMode mode, Nonlinearity nonlinearity, Double gain, GainConvention convention) {
        this(sampler, mode, nonlinearity, gain, convention, null);
    }

    @JsonCreator
    private HeInit(
            @JsonProperty("sampler") Sampler sampler,
            @JsonProperty("mode") FanMode mode,
            @JsonProperty("nonlinearity") Nonlinearity nonlinearity,
            @JsonProperty("gain") Double gain,
            @JsonProperty("convention") GainConvention convention,
            @JsonProperty("criticalBiasStd") Double criticalBiasStd) {
        this.sampler = sampler == null ? Sampler.NORMAL : sampler;
        this.mode = mode == null ? FanMode.FAN_IN : mode;
        this.nonlinearity = nonlinearity == null ? Nonlinearity.RELU : nonlinearity;
        this.convention = convention == null ? GainConvention.SECOND_MOMENT : convention;
        if (gain != null && (!(gain >= 0) || !Double.isFinite(gain))) {
            throw new IllegalArgumentException("gain must be >= 0 and finite, got " + gain);
        }
        this.gain = gain;
        this.criticalBiasStd = criticalBiasStd;
        if (criticalBiasStd != null) {
            if (gain != null || this.convention == GainConvention.PYTORCH) {
                throw new IllegalArgumentException("a critical init takes its gain sigma_w from the critical point;"
                        + " an explicit gain (" + gain + ") or GainConvention.PYTORCH (" + this.convention
                        + ") cannot be combined with it");
            }
            this.nonlinearity.criticality(criticalBiasStd); // fail now (bad sigma_b, no critical point), cached
        } else if (gain == null && this.convention == GainConvention.PYTORCH) {
            this.nonlinearity.pytorchGain(); // fail now, not at network init, for GELU/SiLU
        }
    }

    /** {@code N(0, std²)}, fan_in, ReLU: {@code N(0, 2/fan_in)}, as {@code kaiming_normal_}. */
    public static HeInit normal() {
        return new HeInit(Sampler.NORMAL, null, null, null, null);
    }

    /** {@code U(-√3·std, √3·std)}, fan_in, ReLU: bound {@code √(6/fan_in)}, as {@code kaiming_uniform_}. */
    public static HeInit uniform() {
        return new HeInit(Sampler.UNIFORM, null, null, null, null);
    }

    /** Normal truncated at ±2σ₀ with variance exactly std² (as Keras {@code he_normal}), fan_in, ReLU. */
    public static HeInit truncatedNormal() {
        return new HeInit(Sampler.TRUNCATED_NORMAL, null, null, null, null);
    }

    /**
     * Edge-of-chaos weights for biases N(0, σ_b²): {@code Var(W) = σ_w²/fan_in} with σ_w from
     * {@link Nonlinearity#criticality(double)} of this init's nonlinearity (ReLU unless
     * {@link #nonlinearity(Nonlinearity)} says otherwise), so that q* = σ_w²·E[f(√q*·z)²] + σ_b² and
     * χ = σ_w²·E[f'(√q*·z)²] = 1 (Poole et al. 2016; Schoenholz et al. 2017). The biases are not this init's
     * business (DL4J's {@code biasInit} is a constant): draw them with {@link NormalBiasInit}. The sampler may be
     * changed (the mean-field condition involves only the variance); other modes divide σ_w² by fan_out or the
     * mean fan instead, which equals fan_in only for layers as wide as their input. An explicit
     * {@link #gain(double)} replaces the critical gain; {@link GainConvention#PYTORCH} cannot be combined with it.
     *
     * @param biasStd σ_b ≥ 0 (0: zero biases; for smooth activations the small-signal limit σ_w = 1/|f'(0)|)
     * @throws IllegalArgumentException if biasStd is negative, NaN or infinite
     */
    public static HeInit critical(double biasStd) {
        if (!(biasStd >= 0) || !Double.isFinite(biasStd)) {
            throw new IllegalArgumentException("biasStd (sigma_b) must be >= 0 and finite, got " + biasStd);
        }
        return new HeInit(Sampler.NORMAL, null, null, null, null, biasStd);
    }

    /** A copy in fan_in mode (preserves the forward signal). */
    public HeInit fanIn() {
        return mode(FanMode.FAN_IN);
    }

    /** A copy in fan_out mode (preserves the backward gradient; torchvision's ResNets use it). */
    public HeInit fanOut() {
        return mode(FanMode.FAN_OUT);
    }

    /** A copy in fan_avg mode. */
    public HeInit fanAvg() {
        return mode(FanMode.FAN_AVG);
    }

    /** A copy with the given fan mode. */
    public HeInit mode(FanMode mode) {
        requireNonNull(mode, "mode", Arrays.toString(FanMode.values()));
        return new HeInit(sampler, mode, nonlinearity, gain, convention, criticalBiasStd);
    }

    /** A copy with the given sampler. */
    public HeInit sampler(Sampler sampler) {
        requireNonNull(sampler, "sampler", Arrays.toString(Sampler.values()));
        return new HeInit(sampler, mode, nonlinearity, gain, convention, criticalBiasStd);
    }

    /** A copy whose gain comes from this nonlinearity (see the class javadoc for which one a layer should use). */
    public HeInit nonlinearity(Nonlinearity nonlinearity) {
        requireNonNull(nonlinearity, "nonlinearity", "a Nonlinearity such as Nonlinearity.RELU");
        return new HeInit(sampler, mode, nonlinearity, gain, convention, criticalBiasStd);
    }

    /**
     * A copy with an explicit gain, {@code Var(W) = gain²/fan}; it overrides the nonlinearity's gain (and a critical
     * init's σ_w: the copy is no longer critical).
     *
     * @throws IllegalArgumentException if gain is negative, NaN or infinite
     */
    public HeInit gain(double gain) {
        return new HeInit(sampler, mode, nonlinearity, gain, convention);
    }

    /** A copy using the given gain convention. */
    public HeInit gainConvention(GainConvention convention) {
        requireNonNull(convention, "convention", Arrays.toString(GainConvention.values()));
        return new HeInit(sampler, mode, nonlinearity, gain, convention, criticalBiasStd);
    }

    /** How weights are drawn. */
    public Sampler sampler() {
        return sampler;
    }

    /** Which fan the variance is divided by. */
    public FanMode mode() {
        return mode;
    }

    /** The nonlinearity whose gain is used when no explicit gain is set. */
    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    /** The explicit gain, if one was set. */
    public OptionalDouble explicitGain() {
        return gain == null ? OptionalDouble.empty() : OptionalDouble.of(gain);
    }

    /** The gain convention. */
    public GainConvention gainConvention() {
        return convention;
    }

    /** σ_b of a {@link #critical(double)} init, if this is one. */
    public OptionalDouble criticalBiasStd() {
        return criticalBiasStd == null ? OptionalDouble.empty() : OptionalDouble.of(criticalBiasStd);
    }

    /** The critical point a {@link #critical(double)} init draws for (σ_w, q*, χ), if this is one. */
    public Optional<Criticality> criticality() {
        return criticalBiasStd == null ? Optional.empty() : Optional.of(nonlinearity.criticality(criticalBiasStd));
    }

    /**
     * The standard deviation this init draws with for these fans (see the class formula).
     *
     * @throws IllegalArgumentException if a fan the mode uses is ≤ 0, NaN or infinite
     */
    public double std(double fanIn, double fanOut) {
        return std(fanIn, fanOut, null);
    }

    private double std(double fanIn, double fanOut, long[] shape) {
        double scale;
        double wIn;
        double wOut;
        if (criticalBiasStd != null) {
            double sw = nonlinearity.criticality(criticalBiasStd).sigmaW();
            scale = sw * sw;
            wIn = mode.inWeight();
            wOut = mode.outWeight();
        } else if (gain == null && convention == GainConvention.SECOND_MOMENT) {
            // Moment-weighted fans: Var = 1/(wIn·fanIn + wOut·fanOut); fan_avg gives 2/(fanIn·E[f²] + fanOut·E[f'²]).
            scale = 1.0;
            wIn = mode.inWeight() * nonlinearity.forwardMoment();
            wOut = mode.outWeight() * nonlinearity.backwardMoment();
        } else {
            double g = gain != null ? gain : nonlinearity.pytorchGain();
            scale = g * g;
            wIn = mode.inWeight();
            wOut = mode.outWeight();
        }
        if (scale == 0) {
            return 0.0; // gain 0: all-zero weights, whatever the fans
        }
        return VarianceScalingInit.std(scale, wIn, wOut, fanIn, fanOut, shape);
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        return VarianceScalingInit.fill(sampler, std(fanIn, fanOut, shape), shape, order, paramView);
    }

    private static void requireNonNull(Object value, String what, String allowed) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must be " + allowed + ", got null");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HeInit)) {
            return false;
        }
        HeInit that = (HeInit) o;
        return sampler == that.sampler
                && mode == that.mode
                && nonlinearity.equals(that.nonlinearity)
                && Objects.equals(gain, that.gain)
                && convention == that.convention
                && Objects.equals(criticalBiasStd, that.criticalBiasStd);
    }

    @Override
    public int hashCode() {
        return criticalBiasStd == null
                ? Objects.hash(sampler, mode, nonlinearity, gain, convention)
                : Objects.hash(sampler, mode, nonlinearity, gain, convention, criticalBiasStd);
    }

    @Override
    public String toString() {
        return "HeInit(" + sampler + ", " + mode + ", " + nonlinearity
                + (gain == null ? "" : ", gain=" + gain) + ", " + convention
                + (criticalBiasStd == null ? "" : ", critical(sigma_b=" + criticalBiasStd + ")") + ")";
    }
}
