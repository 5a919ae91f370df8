package dev.heinit.config;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.HeInit;
import dev.heinit.NormalBiasInit;
import dev.heinit.Sampler;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.gain.Gains;
import dev.heinit.internal.dl4j.NetworkView;

/**
 * He initialization for a whole built network: every weight parameter gets a {@link HeInit} with its true fans
 * ({@link Fans}) and the gain of the nonlinearities around it, baked into a {@link TrueFanInit}.
 *
 * <p>For a weight W of layer l, applied to x_l = f(z) with z of unit second moment, giving y_l = W·x_l
 * (He et al. 2015, eqs. 10, 13–14): fan_in mode {@code Var(W) = 1/(fan_in·E[f(z)²])}, fan_out mode
 * {@code Var(W) = 1/(fan_out·E[(∂x_{l+1}/∂y_l)²])}, fan_avg {@code Var(W) = 2/(fan_in·E[f²] + fan_out·E[(∂x_{l+1}/∂y_l)²])}.
 * The walk is {@link ConfigurationPass}'s, the moments {@link ForwardMoments}' and {@link BackwardMoments}' over
 * {@link Gains}. {@link Builder#critical} configures at the edge of chaos instead, {@link Builder#inputSecondMoment}
 * sets the first layer for the input's scale, and {@link Builder#residual} adds Fixup's scaling to a residual graph.
 *
 * <p>{@link GainConvention#PYTORCH} means PyTorch's practice, for users porting PyTorch code: each weight gets
 * {@code calculate_gain} of its <em>own</em> layer's activation, as {@code kaiming_normal_(w, nonlinearity=...)}
 * is called with the activation that follows the layer (every layer of a ReLU MLP gets √2; a softmax output is
 * taken as linear logits, gain 1), in every mode and whatever feeds the layer (sums and concatenations
 * included). An activation without a PyTorch gain (ELU, GELU, SiLU, …) leaves that weight's own init in place
 * with a KEPT row saying why; the rest of the plan goes on.
 *
 * <pre>{@code
 * MultiLayerConfiguration c2 = HeConfigurer.apply(conf);                 // normal, fan_in, stride ignored
 * InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT)
 *         .fanConvention(FanConvention.PADDING_AWARE).inputType(InputType.convolutional(28, 28, 1))
 *         .plan(conf);
 * System.out.println(plan.toText());
 * }</pre>
 * The input configuration is never modified: the result is a clone.
 */
public final class HeConfigurer {

    private final ConfigurationPass pass;
    private final InputType[] inputTypes;
    private final Double criticalBiasStd;
    private final Fixup residual;

    private HeConfigurer(Builder b) {
        this.pass = new ConfigurationPass(
                new GainPolicy(b.sampler, b.mode, b.gainConvention),
                b.mode,
                b.gainConvention,
                b.fanConvention,
                b.inputActivation,
                b.inputTypes != null,
                b.criticalBiasStd,
                b.inputScale);
        this.residual = b.residual;
        this.criticalBiasStd = b.criticalBiasStd;
        this.inputTypes = b.inputTypes;
    }

    /** Options: sampler, mode, gain convention, fan convention, input nonlinearity and scale, input types, critical. */
    public static Builder builder() {
        return new Builder();
    }

    /** A configured copy of {@code conf} with default options (normal, fan_in, stride ignored, input linear). */
    public static MultiLayerConfiguration apply(MultiLayerConfiguration conf) {
        return builder().build().configure(conf);
    }

    /** A configured copy of {@code conf} with default options (normal, fan_in, stride ignored, input linear). */
    public static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf) {
        return builder().build().configure(conf);
    }

    /** The plan {@link #apply(MultiLayerConfiguration)} would apply. */
    public static InitPlan plan(MultiLayerConfiguration conf) {
        return builder().build().planFor(conf);
    }

    /** The plan {@link #apply(ComputationGraphConfiguration)} would apply. */
    public static InitPlan plan(ComputationGraphConfiguration conf) {
        return builder().build().planFor(conf);
    }

    /**
     * A copy of {@code conf} in which every weight parameter DL4J lets a custom init set has a {@link TrueFanInit}.
     *
     * @throws IllegalArgumentException if conf is null, or PADDING_AWARE is asked without input types
     */
    public MultiLayerConfiguration configure(MultiLayerConfiguration conf) {
        requireGraph();
        MultiLayerConfiguration out = ConfigurationPass.copyOf(conf);
        pass.run(NetworkView.of(out, inputTypes), true);
        return out;
    }

    /**
     * As {@link #configure(MultiLayerConfiguration)} for a graph, then {@link Builder#residual}'s Fixup if set.
     *
     * @throws IllegalArgumentException also if residual is set and the graph has no residual branch (Fixup's message)
     */
    public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration out = ConfigurationPass.copyOf(conf);
        pass.run(NetworkView.of(out, inputTypes), true);
        return residual == null ? out : residual.apply(out).conf();
    }

    /** The plan {@link #configure(MultiLayerConfiguration)} applies (conf is not modified). */
    public InitPlan planFor(MultiLayerConfiguration conf) {
        requireGraph();
        return pass.run(NetworkView.of(ConfigurationPass.copyOf(conf), inputTypes), false);
    }

    /** The plan {@link #configure(ComputationGraphConfiguration)} applies, Fixup's factors included (conf unchanged). */
    public InitPlan planFor(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration copy = ConfigurationPass.copyOf(conf);
        InitPlan plan = pass.run(NetworkView.of(copy, inputTypes), residual != null);
        return residual == null ? plan : plan.withResidual(residual.apply(copy).rows());
    }

    private void requireGraph() {
        if (residual != null) {
            throw new IllegalArgumentException("residual(" + residual + ") needs a ComputationGraphConfiguration:"
                    + " Fixup finds residual branches at their Add vertex, and a MultiLayerConfiguration has none");
        }
    }

    /**
     * Draws a critical configuration's biases, N(0, σ_b²), into an initialized network built from {@link #configure}'s
     * result (DL4J's {@code biasInit} is a constant): see {@link BiasDraw}. Seeded by ND4J's RNG.
     *
     * @return the names of the layers whose biases were drawn, in network order
     * @throws IllegalArgumentException if this configurer is not critical, or net is null or not initialized
     */
    public List<String> drawBiases(MultiLayerNetwork net) {
        return BiasDraw.fill(NetworkView.of(net), criticalBiasStd);
    }

    /** As {@link #drawBiases(MultiLayerNetwork)} for a graph. */
    public List<String> drawBiases(ComputationGraph net) {
        return BiasDraw.fill(NetworkView.of(net), criticalBiasStd);
    }

    /** Options for {@link HeConfigurer}. */
    public static final class Builder {
        private Sampler sampler = Sampler.NORMAL;
        private FanMode mode = FanMode.FAN_IN;
        private GainConvention gainConvention = GainConvention.SECOND_MOMENT;
        private FanConvention fanConvention = FanConvention.STRIDE_IGNORED;
        private IActivation inputActivation = new ActivationIdentity();
        private InputType[] inputTypes;
        private Double criticalBiasStd;
        private InputScale inputScale;
        private Fixup residual;

        private Builder() {}

        /** Fixup ({@link Fixup#apply}) after the He pass, graphs only: branch weights ×L^(−1/(2m−2)), the last 0. */
        public Builder residual(Fixup fixup) {
            this.residual = nonNull(fixup, "residual", "a Fixup (Fixup.defaults())");
            return this;
        }

        /**
         * Configure at the edge of chaos for biases N(0, σ_b²): each weight fed by an activation f gets
         * {@code Var(W) = σ_w²/fan_in} with σ_w of {@link Gains#critical}(f, σ_b), the first layer the variance that
         * puts its pre-activations at the q* of its own activation (see {@link #inputSecondMoment}); the plan shows
         * σ_w, σ_b, q* and χ per row. Needs fan_in and SECOND_MOMENT; draw the biases with {@link #drawBiases} after
         * {@code net.init()}. A layer fed by an activation without a critical point fails the whole call.
         * @throws IllegalArgumentException if sigmaB is negative, NaN or infinite (the builder is unchanged)
         */
        public Builder critical(double sigmaB) {
            this.criticalBiasStd = new NormalBiasInit(sigmaB).std(); // validates: >= 0 and finite
            return this;
        }

        /**
         * The second moment E[x²] of every network input (default: that of {@link #inputNonlinearity} on a unit
         * signal, 1 for raw standardized data). The first layer then gets {@code Var(W) = 1/(fan_in·E[x²])} (unit
         * pre-activation variance) or, when critical, {@code (q* − σ_b²)/(fan_in·E[x²])}; fan_out mode ignores it.
         * @throws IllegalArgumentException if it is not positive and finite (the builder is unchanged)
         */
        public Builder inputSecondMoment(double secondMoment) {
            this.inputScale = InputScale.given(secondMoment);
            return this;
        }

        /**
         * As {@link #inputSecondMoment}, measured on a batch: E[x²] (and the mean) over every element, one array per
         * network input in input order.
         * @throws IllegalArgumentException if an array is null, empty, all zeros or holds NaN/∞ (builder unchanged)
         */
        public Builder inputMoments(INDArray... features) {
            this.inputScale = InputScale.measured(features);
            return this;
        }

        /** As {@link #inputMoments(INDArray...)} on the batch's features (a null batch: IllegalArgumentException). */
        public Builder inputMoments(DataSet batch) {
            return inputMoments(batch == null ? null : batch.getFeatures());
        }

        /** How weights are drawn (default normal). */
        public Builder sampler(Sampler sampler) {
            this.sampler = nonNull(sampler, "sampler", Arrays.toString(Sampler.values()));
            return this;
        }

        /** Which fan the variance is divided by (default fan_in). */
        public Builder mode(FanMode mode) {
            this.mode = nonNull(mode, "mode", Arrays.toString(FanMode.values()));
            return this;
        }

        /** How a nonlinearity becomes a gain (default SECOND_MOMENT, mode-correct). */
        public Builder gainConvention(GainConvention convention) {
            this.gainConvention = nonNull(convention, "gainConvention", Arrays.toString(GainConvention.values()));
            return this;
        }

        /** How convolution fans are counted (default STRIDE_IGNORED). PADDING_AWARE needs {@link #inputType}. */
        public Builder fanConvention(FanConvention convention) {
            this.fanConvention = nonNull(convention, "fanConvention", Arrays.toString(FanConvention.values()));
            return this;
        }

        /** The nonlinearity already applied to the network input (default identity: raw, standardized data). */
        public Builder inputNonlinearity(IActivation activation) {
            this.inputActivation = nonNull(activation, "inputNonlinearity", "a DL4J IActivation");
            Gains.of(activation);
            return this;
        }

        /** The network's input types, in input order (a built configuration does not keep them). */
        public Builder inputType(InputType... types) {
            if (types == null || types.length == 0 || Arrays.asList(types).contains(null)) {
                throw new IllegalArgumentException("input types must be non-null, got " + Arrays.toString(types));
            }
            this.inputTypes = types.clone();
            return this;
        }

        /** The configurer. */
        public HeConfigurer build() {
            if (fanConvention == FanConvention.PADDING_AWARE && inputTypes == null) {
                throw new IllegalArgumentException("FanConvention.PADDING_AWARE counts in-bounds taps at each layer's"
                        + " input size, which a built configuration does not keep: give the network's input type,"
                        + " e.g. .inputType(InputType.convolutional(28, 28, 1))");
            }
            if (criticalBiasStd != null && (mode != FanMode.FAN_IN || gainConvention != GainConvention.SECOND_MOMENT)) {
                throw new IllegalArgumentException("critical(" + criticalBiasStd + ") divides σ_w² by fan_in (the"
                        + " mean-field condition): allowed only with FanMode.FAN_IN and GainConvention.SECOND_MOMENT,"
                        + " got " + mode + " and " + gainConvention);
            }
            return new HeConfigurer(this);
        }

        /** Shortcut for {@code build().configure(conf)}. */
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf) {
            return build().configure(conf);
        }

        /** Shortcut for {@code build().configure(conf)}. */
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf) {
            return build().configure(conf);
        }

        /** Shortcut for {@code build().planFor(conf)}. */
        public InitPlan plan(MultiLayerConfiguration conf) {
            return build().planFor(conf);
        }

        /** Shortcut for {@code build().planFor(conf)}. */
        public InitPlan plan(ComputationGraphConfiguration conf) {
            return build().planFor(conf);
        }

        private static <T> T nonNull(T v, String what, String allowed) {
            if (v == null) {
                throw new IllegalArgumentException(what + " must be " + allowed + ", got null");
            }
            return v;
        }
    }
}
