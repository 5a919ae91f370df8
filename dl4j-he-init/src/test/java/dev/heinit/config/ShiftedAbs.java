package dev.heinit.config;

import java.util.Objects;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A user's custom activation for the tests: {@code f(z) = |z − c|}, with a kink at c. Closed forms:
 * {@code E[f²] = 1 + c²}, {@code E[f'²] = 1}, so its gain is {@code 1/√(1 + c²)} in both modes.
 */
public final class ShiftedAbs extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("c")
    private double c;

    @SuppressWarnings("unused")
    private ShiftedAbs() {
        // for JSON
    }

    public ShiftedAbs(double c) {
        this.c = c;
    }

    public double c() {
        return c;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        in.subi(c);
        return Transforms.abs(in, false);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        INDArray d = Transforms.sign(in.subi(c), false).muli(epsilon);
        return new Pair<>(d, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShiftedAbs && Double.compare(c, ((ShiftedAbs) o).c) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash("ShiftedAbs", c);
    }

    @Override
    public String toString() {
        return "shiftedAbs(" + c + ")";
    }
}
