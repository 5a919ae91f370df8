package dev.heinit.config;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.HeInit;
import dev.heinit.Sampler;
import dev.heinit.dl4j.NetworkView;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.gain.Gains;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * He initialization for a whole built network: every weight parameter gets a {@link HeInit} with its true fans
 * ({@link Fans}) and the gain of the nonlinearities around it, baked into a {@link TrueFanInit}.
 *
 * <p>For a weight W of layer l, applied to x_l = f(z) with z of unit second moment, giving y_l = W·x_l
 * (He et al. 2015, eqs. 10, 13–14): fan_in mode {@code Var(W) = 1/(fan_in·E[f(z)²])}, fan_out mode
 * {@code Var(W) = 1/(fan_out·E[(∂x_{l+1}/∂y_l)²])}, fan_avg {@code Var(W) = 2/(fan_in·E[f²] + fan_out·E[(∂x_{l+1}/∂y_l)²])}.
 * The backward condition Var[Δx_l] = n̂_l·Var[w_l]·E[(Δy_l)²], Δy_l = f_l'(y_l)·Δx_{l+1}, needs the derivative of what
 * lies <em>after</em> the layer, up to the next weighted layers' inputs: its own activation composed with any
 * ActivationLayer, dropout or pooling after it (in a chain: E[f'²] of the signal feeding the next weighted layer).
 * A layer whose output feeds several consumers gets the sum of their moments (independent gradients add); add and
 * subtract pass the gradient unchanged, average passes 1/n of it (moment / n²), scale c multiplies it by c², a
 * concatenation hands each input its slice; after a sum an activation's E[g'²] is taken at the sum's moments. The
 * last weighted layer (and any path that reaches a network output) gets 1: the loss follows and its input is taken
 * as linear logits. A path through anything else (SameDiff, product/max vertices, unsupported layers) makes the
 * moment 1 with an ASSUMPTION row; BatchNormalization is looked through with a note (its 1/σ is not modelled).
 * Recurrent weights keep their own activation on both sides (it is what lies after them in time too). The plan's
 * feeding column says {@code out: tanh'} in fan_out mode and {@code in: relu; out: tanh'} in fan_avg mode. The
 * moments come from {@link Gains}. The forward f is:
 * <ul>
 *   <li>the nonlinearity applied to the layer's <em>input</em>: the output rule of the previous weighted layer
 *       ({@link LayerOutputs}: its configured activation for Dense, Output, convolutions …, leaky ReLU with its
 *       initial alpha for PReLU, the pzx activation for a VAE; unit second moment with an ASSUMPTION note for
 *       layers it does not model), looking through ActivationLayer (composed with it), dropout and
 *       preprocessors; after BatchNormalization the signal is unit-variance again (DL4J's BN applies no
 *       activation), so f is the identity. Pooling, padding, cropping and upsampling are looked through with
 *       their moments assumed unchanged, and the next weight's row says so (average pooling of ReLU maps
 *       lowers the second moment);</li>
 *   <li>for the network input, {@code inputNonlinearity} (default identity: LINEAR, gain 1);</li>
 *   <li>for embeddings, the identity: their input is indices and a row is looked up (fan_in 1, so N(0,1) as
 *       PyTorch's {@code nn.Embedding});</li>
 *   <li>an ActivationLayer g after a mixed signal (a sum or concatenation of mean m and second moment q) gives
 *       {@code E[g(x)²]}, x ~ N(m, q − m²): the mixture is taken as Gaussian;</li>
 *   <li>for recurrent weights, the layer's own activation, which is what feeds the recurrence (for LSTMs an
 *       approximation: h = o ⊙ act(c)).</li>
 * </ul>
 * Graph vertices: merge (concatenation) averages the inputs' second moments and means weighted by their sizes;
 * element-wise add/subtract of independent inputs gives {@code Σ E[xᵢ²] + 2·Σ_{i<j} E[xᵢ]E[xⱼ]} (two ReLU
 * branches: 1.318, not 1) and averages the backward moments; average divides the forward moment by n² and the
 * backward moments by n² as well (each input receives 1/n of the gradient); scale multiplies by the factor²;
 * shape-only vertices pass the signal through. Any other vertex is assumed to give unit second moment, and the
 * plan says so. SameDiff layers and vertices are reported as unsupported by name (DL4J never calls a custom init
 * for them) and left unchanged, as is OCNNOutputLayer; a layer whose inits cannot be recorded gets an
 * UNSUPPORTED row naming the error, and the rest of the plan goes on.
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

    private final Sampler sampler;
    private final FanMode mode;
    private final GainConvention gainConvention;
    private final FanConvention fanConvention;
    private final IActivation inputActivation;
    private final InputType[] inputTypes;

    private HeConfigurer(Builder b) {
        this.sampler = b.sampler;
        this.mode = b.mode;
        this.gainConvention = b.gainConvention;
        this.fanConvention = b.fanConvention;
        this.inputActivation = b.inputActivation;
        this.inputTypes = b.inputTypes;
    }

    /** Options: sampler, mode, gain convention, fan convention, input nonlinearity, input types. */
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
        MultiLayerConfiguration out = copy(requireConf(conf));
        analyze(NetworkView.of(out, inputTypes), true);
        return out;
    }

    /** As {@link #configure(MultiLayerConfiguration)} for a graph. */
    public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration out = copy(requireConf(conf));
        analyze(NetworkView.of(out, inputTypes), true);
        return out;
    }

    /** The plan {@link #configure(MultiLayerConfiguration)} applies (conf is not modified). */
    public InitPlan planFor(MultiLayerConfiguration conf) {
        return analyze(NetworkView.of(copy(requireConf(conf)), inputTypes), false);
    }

    /** The plan {@link #configure(ComputationGraphConfiguration)} applies (conf is not modified). */
    public InitPlan planFor(ComputationGraphConfiguration conf) {
        return analyze(NetworkView.of(copy(requireConf(conf)), inputTypes), false);
    }

    // A JSON round trip, not clone(): DL4J's clone() shares nested layers (Bidirectional's fwd/bwd), so
    // setting an init on the clone would change the caller's configuration.
    private static MultiLayerConfiguration copy(MultiLayerConfiguration conf) {
        return MultiLayerConfiguration.fromJson(conf.toJson());
    }

    private static ComputationGraphConfiguration copy(ComputationGraphConfiguration conf) {
        return ComputationGraphConfiguration.fromJson(conf.toJson());
    }

    private static <T> T requireConf(T conf) {
        if (conf == null) {
            throw new IllegalArgumentException("configuration must be a built MultiLayerConfiguration or"
                    + " ComputationGraphConfiguration, got null");
        }
        return conf;
    }

    private InitPlan analyze(NetworkView view, boolean apply) {
        return new ConfigurationPass(new GainPolicy(sampler, mode, gainConvention), mode, gainConvention,
                fanConvention, inputActivation, inputTypes != null).run(view, apply);
    }

    /** Options for {@link HeConfigurer}. */
    public static final class Builder {
        private Sampler sampler = Sampler.NORMAL;
        private FanMode mode = FanMode.FAN_IN;
        private GainConvention gainConvention = GainConvention.SECOND_MOMENT;
        private FanConvention fanConvention = FanConvention.STRIDE_IGNORED;
        private IActivation inputActivation = new ActivationIdentity();
        private InputType[] inputTypes;

        private Builder() {
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
