package dev.heinit.internal.dl4j;

import java.util.Objects;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which DL4J layers output {@code a = f(z)}, their configured activation f applied to their own pre-activation
 * {@code z = W·x + b} (or its convolution / lookup analogue), and how to get that z: run the layer with f
 * temporarily replaced by the identity. Shared by {@link dev.heinit.diagnostics.SignalPropagation} (δ = f'(z) ⊙ ∂L/∂a, He et al. 2015
 * §2.2) and LSUV (Mishkin &amp; Matas 2016, which measures the variance of z).
 *
 * <p>The layers are those of {@link LayerRule#appliesActivation} (the one whitelist, shared with the
 * configuration pass), less the recurrent ones: SimpleRnn's output is f of its pre-activation, but that
 * pre-activation contains its own previous output, so running it with the identity would change z itself
 * ({@link LayerRule#isRecurrent}). {@code ActivationLayer} applies f to its input and has no weights: its z is
 * its input, handled by the caller.
 */
public final class LayerActivations {

    private static final IActivation IDENTITY = new ActivationIdentity();

    private LayerActivations() {}

    /**
     * Whether {@code layer}'s output is its configured activation applied to its own pre-activation z, so that
     * {@link #withIdentityActivation} returns z. False for null, for layers without an activation, and for the
     * layers listed in the class comment that carry one they do not apply that way.
     */
    public static boolean appliesConfiguredActivation(Layer layer) {
        // A wrapper implementation (Frozen, LastTimeStep, TimeDistributed, MaskZero) reshapes or masks what the
        // wrapped layer outputs: it is measured as the wrapped layer, never swapped itself.
        if (layer == null
                || layer instanceof org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer
                || !(layer.conf().getLayer() instanceof BaseLayer)
                || ((BaseLayer) layer.conf().getLayer()).getActivationFn() == null) {
            return false;
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        LayerRule rule = LayerRules.of(conf);
        return rule.layer() == conf && rule.appliesActivation() && !rule.isRecurrent();
    }

    /** The activation f that {@code layer} applies to its z, or null if {@link #appliesConfiguredActivation} is false. */
    public static IActivation configuredActivation(Layer layer) {
        return appliesConfiguredActivation(layer) ? ((BaseLayer) layer.conf().getLayer()).getActivationFn() : null;
    }

    /**
     * Runs {@code forward} (a forward pass of {@code layer}) with the layer's activation replaced by the identity,
     * restored in a {@code finally}; the pass then returns z. The configuration object is shared by every user of
     * the layer: do not run the network on another thread meanwhile.
     *
     * @throws IllegalArgumentException if {@link #appliesConfiguredActivation} is false for {@code layer}
     */
    public static <T> T withIdentityActivation(Layer layer, Supplier<T> forward) {
        Objects.requireNonNull(forward, "forward");
        if (!appliesConfiguredActivation(layer)) {
            throw new IllegalArgumentException(
                    "layer " + (layer == null ? "null" : layer.getClass().getSimpleName())
                            + " does not output its configured activation of its pre-activation; allowed: the layers"
                            + " listed in LayerActivations' class comment");
        }
        BaseLayer conf = (BaseLayer) layer.conf().getLayer();
        IActivation f = conf.getActivationFn();
        conf.setActivationFn(IDENTITY);
        try {
            return forward.get();
        } finally {
            conf.setActivationFn(f);
        }
    }

    /**
     * Whether {@code f(z)}, computed directly on the z that {@link #withIdentityActivation} returned, equals the
     * layer's real output, so a second forward pass can be saved. False when a mask is set (the layer multiplies
     * f(z), not z, by the mask; they differ when f(0) ≠ 0) and for a softmax on z of rank above 2 (RnnOutput,
     * CnnLoss apply it per example and position along dimension 1 after a reshape to rank 2).
     */
    public static boolean outputIsActivationOf(Layer layer, INDArray z) {
        if (!appliesConfiguredActivation(layer) || layer.getMaskArray() != null || z == null) {
            return false;
        }
        return z.rank() == 2 || !(configuredActivation(layer) instanceof ActivationSoftmax);
    }
}
