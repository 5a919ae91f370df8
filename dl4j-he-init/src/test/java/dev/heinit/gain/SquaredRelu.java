package dev.heinit.gain;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A custom activation the library has never seen: {@code f(z) = max(0, z)²}, f'(z) = 2·max(0, z). Closed forms at
 * pre-activation variance q: {@code E[f²] = 3q²/2}, {@code E[f'²] = 2q}, so A/B = 3q/4 and the critical point is
 * {@code q* = 4σ_b²}, {@code σ_w = 1/√(8σ_b²)}, variance-map slope {@code σ_w²·3q* = 3/2}; f'(0) = 0, so at σ_b = 0
 * there is none.
 */
public final class SquaredRelu extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        Transforms.relu(in, false);
        return in.muli(in);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        INDArray d = Transforms.relu(in, false).muli(2).muli(epsilon);
        return new Pair<>(d, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SquaredRelu;
    }

    @Override
    public int hashCode() {
        return SquaredRelu.class.getName().hashCode();
    }

    @Override
    public String toString() {
        return "squaredRelu";
    }
}
