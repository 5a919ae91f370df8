package dev.heinit.internal.dl4j;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Everything the library knows about one family of DL4J layer configurations, bound to one layer: how it is
 * unwrapped, whether it outputs {@code f(z)} of its own pre-activation, its weights (keys, geometry, init slots, and
 * the {@link WeightSlot}s DL4J initializes), its {@link Transfer} (the forward second-moment rule and the backward
 * derivative-moment rule, side by side), how LSUV treats it, and why it is unsupported. The configuration pass, the fans, LSUV, the diagnostics and the Keras
 * re-initialization ask {@link LayerRules#of} for a layer's rule; a new layer type is taught by one subclass,
 * registered with {@link LayerRules#teach}.
 *
 * <p>The defaults describe a layer the library does not know: no weights it models, its output not {@code f(z)},
 * looked through (moments unchanged, with a caveat) if it has no parameters and not modelled (unit second moment
 * assumed both ways) if it has some.
 */
public abstract class LayerRule {

    private final Layer configured;
    private final Layer layer;

    /**
     * @param configured the layer as configured (wrappers included)
     * @throws IllegalArgumentException if configured is null
     */
    protected LayerRule(Layer configured) {
        this.configured = configured;
        this.layer = unwrap(configured);
    }

    /**
     * The layer a FrozenLayer or wrapper ({@code BaseWrapperLayer}: FrozenLayerWithBackprop, LastTimeStep,
     * TimeDistributed, MaskZeroLayer …) answers for, through any depth of wrapping; the layer itself otherwise.
     * Bidirectional is not a wrapper: it holds two layers (its rule answers for both).
     *
     * @throws IllegalArgumentException if layer is null
     */
    public static Layer unwrap(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("layer must be a DL4J layer configuration, got null");
        }
        Layer l = layer;
        while (l instanceof FrozenLayer || l instanceof BaseWrapperLayer) {
            l = l instanceof FrozenLayer ? ((FrozenLayer) l).getLayer() : ((BaseWrapperLayer) l).getUnderlying();
        }
        return l;
    }

    /** The layer as configured (wrappers included). */
    public final Layer configured() {
        return configured;
    }

    /** The layer {@link #unwrap} answers for. */
    public final Layer layer() {
        return layer;
    }

    /** The configured layer's class, simple name (what plans and reports show). */
    public final String type() {
        return configured.getClass().getSimpleName();
    }

    /** True if a FrozenLayer wraps the layer: nothing below it is trained. */
    public final boolean isFrozen() {
        Layer l = configured;
        while (l instanceof FrozenLayer || l instanceof BaseWrapperLayer) {
            if (l instanceof FrozenLayer) {
                return true;
            }
            l = ((BaseWrapperLayer) l).getUnderlying();
        }
        return false;
    }

    /** The layer's nOut (its output channels) if it declares one, else −1. */
    public long nOut() {
        return layer instanceof FeedForwardLayer && ((FeedForwardLayer) layer).getNOut() > 0
                ? ((FeedForwardLayer) layer).getNOut()
                : -1;
    }

    /** True if the layer's output is its configured activation applied to its own pre-activation. */
    public boolean appliesActivation() {
        return false;
    }

    /** True if the pre-activation at step t contains the layer's own output at t−1. */
    public boolean isRecurrent() {
        return false;
    }

    /** True if the input is indices and a row is looked up. */
    public boolean isEmbedding() {
        return false;
    }

    /** True if the loss follows the layer (output layers, loss layers). */
    public boolean isOutput() {
        return false;
    }

    /** The loss function of an output or loss layer, else null. */
    public ILossFunction lossFunction() {
        return null;
    }

    /**
     * The parameter keys DL4J gives the layer's weights (fan-scaled or not), in DL4J's order; empty for layers
     * without weights and for types the library has no fan model for.
     */
    public Set<String> weightKeys() {
        return Collections.emptySet();
    }

    /** Why the layer's weights cannot be modelled, if so. */
    public Optional<String> unsupportedReason() {
        return Optional.empty();
    }

    /**
     * What the fans of weight {@code key} are computed from.
     *
     * @throws IllegalArgumentException if the layer has no fan model or key is not one of its weights
     */
    public WeightGeometry weight(String key) {
        throw new IllegalArgumentException("no fan model for layer type "
                + layer.getClass().getSimpleName()
                + " (layer '" + layer.getLayerName() + "'); supported: Dense, Output, RnnOutput, CenterLossOutput,"
                + " Convolution1D/2D/3D, Deconvolution2D/3D, DepthwiseConvolution2D, SeparableConvolution2D,"
                + " SimpleRnn, LSTM, GravesLSTM, GravesBidirectionalLSTM, Bidirectional, Embedding(Sequence), PReLU,"
                + " ElementWiseMultiplication, AutoEncoder and wrappers of these");
    }

    /**
     * The weights DL4J initializes for the layer, in call order, as the layer named {@code name} (plans name a chain's
     * unnamed layer by its index): key, shape, DL4J's fans and the init slot DL4J reads, recorded by running DL4J's
     * own parameter initializer on a copy of the layer. Their fans to draw with are not chosen yet (NaN): a fan
     * convention chooses them ({@link WeightSlot#withFans}).
     *
     * @throws IllegalStateException if the layer cannot be copied through JSON or a call's parameter cannot be told
     * @throws RuntimeException      whatever DL4J's initializer throws for this layer
     */
    public final List<WeightSlot> weightSlots(String name) {
        return InitCallRecorder.record(configured, name);
    }

    /**
     * The init slots whose inits DL4J calls for the layer's weights, in a fixed order (Bidirectional: fwd, bwd).
     */
    public List<InitSlot> initSlots() {
        return layer instanceof BaseLayer ? List.of(new InitSlot((BaseLayer) layer)) : List.of();
    }

    /**
     * The init slot whose init DL4J calls for weight {@code key}.
     *
     * @throws IllegalArgumentException if key is not one of the layer's weights
     */
    public InitSlot initSlot(String key) {
        List<InitSlot> slots = initSlots();
        if (!weightKeys().contains(key) || slots.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' is not a weight parameter of " + type() + " (layer '"
                    + configured.getLayerName() + "'); its weight parameters: " + String.join(", ", weightKeys()));
        }
        return slots.get(0);
    }

    /**
     * The activation of the layer's output, for the signal it feeds on: its configured activation where the output
     * is f(z); otherwise the closest one with the assumption in words, or null if the output is not modelled.
     */
    public OutputActivation output() {
        if (appliesActivation() && layer instanceof BaseLayer) {
            return new OutputActivation(((BaseLayer) layer).getActivationFn(), "");
        }
        return new OutputActivation(null, "output of " + layer.getClass().getSimpleName() + " not modelled");
    }

    /**
     * What the layer does to the signal: {@link Transfer.Kind#WEIGHTED} for a layer with weights and init slots,
     * UNSUPPORTED with {@link #unsupportedReason}, else {@link #parameterFreeTransfer()}; a layer with parameters
     * but no init slot is not modelled.
     */
    public Transfer transfer() {
        Optional<String> unsupported = unsupportedReason();
        if (unsupported.isPresent()) {
            return Transfer.unsupported(unsupported.get());
        }
        if (!hasParams()) {
            return parameterFreeTransfer();
        }
        return initSlots().isEmpty() ? Transfer.of(Transfer.Kind.UNKNOWN) : Transfer.of(Transfer.Kind.WEIGHTED);
    }

    /** The transfer of the layer without parameters: by default looked through, moments taken as unchanged. */
    protected Transfer parameterFreeTransfer() {
        return Transfer.lookedThrough("moments assumed unchanged", "");
    }

    /** True if DL4J gives the layer parameters (or cannot count them). */
    public final boolean hasParams() {
        try {
            return configured.initializer().numParams(configured) > 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * Why LSUV leaves the initialized layer {@code implementation} of this configuration alone, if it does (its
     * parameters are not one weight W it can rescale); empty for layers it adjusts or passes through.
     */
    public final Optional<String> lsuvLeftAlone(org.deeplearning4j.nn.api.Layer implementation) {
        Map<String, INDArray> params = implementation.paramTable();
        return lsuvLeftAlone(
                implementation.getClass().getSimpleName(),
                implementation.numParams(),
                params == null ? Set.of() : params.keySet(),
                implementation instanceof org.deeplearning4j.nn.layers.BaseLayer);
    }

    /**
     * {@link #lsuvLeftAlone(org.deeplearning4j.nn.api.Layer)} from the initialized layer's facts.
     *
     * @param implementation the initialized layer's class, simple name
     * @param numParams the initialized layer's parameter count
     * @param paramKeys the keys of the initialized layer's parameters
     * @param baseImplementation true if the initialized layer is a DL4J {@code BaseLayer} (one weight W, one bias)
     */
    protected Optional<String> lsuvLeftAlone(
            String implementation, long numParams, Set<String> paramKeys, boolean baseImplementation) {
        if (lsuvPassesThrough(numParams)) {
            return Optional.empty();
        }
        if (isRecurrent() || paramKeys.contains("RW")) {
            return Optional.of("recurrent layer: not handled, left alone");
        }
        if (!baseImplementation || !(layer instanceof BaseLayer) || !paramKeys.contains("W")) {
            return Optional.of(implementation + ": parameters " + paramKeys + " not handled, left alone");
        }
        return Optional.empty();
    }

    /** True if LSUV measures the layer but has nothing to rescale in it (no parameters, or BN/PReLU's own). */
    public boolean lsuvPassesThrough(long params) {
        return params == 0;
    }

    /** True if LSUV's orthonormal start applies to the layer's weight of this rank. */
    public boolean lsuvOrthonormal(int rank) {
        return rank == 2;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + type() + ")";
    }

    /** The activation a layer's output carries, and what is assumed about it ("" if exact). */
    public static final class OutputActivation {
        private final IActivation activation;
        private final String assumption;

        OutputActivation(IActivation activation, String assumption) {
            this.activation = activation;
            this.assumption = assumption;
        }

        /** The activation, or null if the output is not modelled. */
        public IActivation activation() {
            return activation;
        }

        /** What is assumed ("" if nothing). */
        public String assumption() {
            return assumption;
        }

        /** True if the output is exactly f(z). */
        public boolean exact() {
            return activation != null && assumption.isEmpty();
        }

        @Override
        public String toString() {
            return activation + (assumption.isEmpty() ? "" : " (" + assumption + ")");
        }
    }
}
