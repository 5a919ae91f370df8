package dev.heinit.config;

import java.lang.reflect.Field;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;

import dev.heinit.dl4j.LayerCatalog;

/**
 * Which nonlinearity a DL4J layer configuration really applies to give its output {@code y = f(z)}: not always
 * its configured activation. PReLU ignores it (DL4J's default sigmoid is configured but never applied; the
 * output is leaky ReLU with the learned slope α, at init the constant of its alpha init, usually 0 → ReLU);
 * a variational autoencoder's output is its {@code pzxActivationFunction}; an LSTM's is {@code σ(o)⊙act(c)}.
 *
 * <p>Otherwise the layers of {@link LayerCatalog#appliesActivation} (the one whitelist, shared with the
 * diagnostics and LSUV) output their configured activation; wrappers (Frozen, LastTimeStep, TimeDistributed,
 * MaskZero) answer for the wrapped layer. Anything else is reported as not modelled ({@link Output#activation()}
 * null).
 */
public final class LayerOutputs {

    private LayerOutputs() {}

    /** What a layer outputs: an activation (null if not modelled) and an assumption, empty if exact. */
    public static final class Output {
        private final IActivation activation;
        private final String assumption;

        Output(IActivation activation, String assumption) {
            this.activation = activation;
            this.assumption = assumption;
        }

        /** The nonlinearity whose value is the layer's output at init, or null if the layer is not modelled. */
        public IActivation activation() {
            return activation;
        }

        /** Empty if {@code activation()} is exact; otherwise what is assumed (or why it is unknown). */
        public String assumption() {
            return assumption;
        }

        /** True if the output is exactly {@code activation()} of the layer's pre-activation. */
        public boolean exact() {
            return activation != null && assumption.isEmpty();
        }

        @Override
        public String toString() {
            return activation + (assumption.isEmpty() ? "" : " (" + assumption + ")");
        }
    }

    /**
     * The nonlinearity {@code layer} applies to give its output.
     *
     * @throws IllegalArgumentException if layer is null
     */
    public static Output of(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("layer must be a DL4J layer configuration, got null");
        }
        Layer l = LayerCatalog.unwrap(layer);
        String type = l.getClass().getSimpleName();
        if (l instanceof PReLULayer) {
            IWeightInit alphaInit = ((PReLULayer) l).getWeightInitFn();
            Double alpha = constant(alphaInit);
            if (alpha != null) {
                return new Output(alpha == 0.0 ? new ActivationReLU() : new ActivationLReLU(alpha), "");
            }
            return new Output(
                    new ActivationReLU(),
                    "PReLU with non-constant alpha init " + alphaInit + ": output assumed ReLU (alpha ≈ 0)");
        }
        if (l instanceof VariationalAutoencoder) {
            return new Output(((VariationalAutoencoder) l).getPzxActivationFn(), "");
        }
        if (l instanceof Bidirectional) {
            Output inner = of(((Bidirectional) l).getFwd());
            return new Output(
                    inner.activation,
                    join(
                            inner.assumption,
                            "Bidirectional (" + ((Bidirectional) l).getMode()
                                    + "): output taken as the wrapped layer's"));
        }
        if (l instanceof AbstractLSTM) {
            return new Output(
                    ((BaseLayer) l).getActivationFn(), type + " output h = σ(o)⊙act(c), approximated by act(z)");
        }
        if (LayerCatalog.appliesActivation(l)) {
            return new Output(((BaseLayer) l).getActivationFn(), "");
        }
        return new Output(null, "output of " + type + " not modelled");
    }

    /** The value of a constant init (WeightInitConstant keeps it in a private field without a getter). */
    private static Double constant(IWeightInit init) {
        if (!(init instanceof WeightInitConstant)) {
            return null;
        }
        try {
            Field f = WeightInitConstant.class.getDeclaredField("value");
            f.setAccessible(true);
            return f.getDouble(init);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
