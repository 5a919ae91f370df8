package dev.heinit.config;

import java.util.Objects;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * {@code outer(inner(z))}: the nonlinearity a layer sees when an {@code ActivationLayer} follows a layer that
 * already has a non-identity activation. Derivative by the chain rule, {@code outer'(inner(z))·inner'(z)}.
 * Used by {@link HeConfigurer} to compute the feeding gain of such a stack; JSON-serializable.
 */
public final class ComposedActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("inner")
    private final IActivation inner;

    @JsonProperty("outer")
    private final IActivation outer;

    /**
     * @throws IllegalArgumentException if either activation is null
     */
    @JsonCreator
    public ComposedActivation(@JsonProperty("inner") IActivation inner, @JsonProperty("outer") IActivation outer) {
        if (inner == null || outer == null) {
            throw new IllegalArgumentException(
                    "inner and outer activations must not be null, got " + inner + ", " + outer);
        }
        this.inner = inner;
        this.outer = outer;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return outer.getActivation(inner.getActivation(in, training), training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        INDArray mid = inner.getActivation(in.dup(), false);
        INDArray dOuter = outer.backprop(mid, epsilon).getFirst();
        return inner.backprop(in, dOuter);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComposedActivation
                && inner.equals(((ComposedActivation) o).inner)
                && outer.equals(((ComposedActivation) o).outer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inner, outer);
    }

    @Override
    public String toString() {
        return outer + "∘" + inner;
    }
}
