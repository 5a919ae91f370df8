package dev.heinit.internal.dl4j;

import java.util.Optional;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.activations.IActivation;

/**
 * The one cache key for an {@link IActivation}: its JSON form as DL4J's configuration mapper writes it (class name
 * and every configured field). Not {@code toString()}: DL4J 1.0.0-M2.1's {@code ActivationReLU.toString()} is
 * {@code "relu"} whatever its max value, threshold or negative slope, so {@code new ActivationReLU(null, null, 0.1)}
 * (a leaky ReLU) would share plain ReLU's cached moments. An activation that cannot be serialized has no key: its
 * users compute every time rather than cache under a key it might share with a differently configured one.
 * Immutable value type.
 */
public final class ActivationKey {

    private final String json;

    private ActivationKey(String json) {
        this.json = json;
    }

    /**
     * The key of {@code activation}, or empty if DL4J's mapper cannot write it.
     *
     * @throws IllegalArgumentException if activation is null
     */
    public static Optional<ActivationKey> of(IActivation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("activation must be a DL4J IActivation, got null");
        }
        try {
            return Optional.of(new ActivationKey(
                    NeuralNetConfiguration.mapper().writerFor(IActivation.class).writeValueAsString(activation)));
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The JSON form the key compares. */
    public String json() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationKey && json.equals(((ActivationKey) o).json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "ActivationKey(" + json + ")";
    }
}
