package dev.heinit.activation;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SiLU / swish, {@code f(z) = z·σ(z)} (Elfwing, Uchibe &amp; Doya 2018; Ramachandran, Zoph &amp; Le 2017), with
 * derivative {@code f'(z) = σ(z)·(1 + z·σ(−z))}, finite for every finite z in FLOAT, DOUBLE, HALF and BFLOAT16.
 *
 * <p>The same function as DL4J's {@code ActivationSwish} ({@code Activation.SWISH}), whose derivative overflows:
 * in ND4J 1.0.0-M2.1 it returns NaN for z ≥ 44.37 in FLOAT (z ≥ 5.53 in HALF, 354.9 in DOUBLE) where the true
 * value is 1. Here f' → 1 as z → ∞ and f' → 0 as z → −∞ without an intermediate overflow.
 *
 * <p>{@link #getActivation} transforms its input in place and returns it; {@link #backprop} returns a new
 * {@code dL/dz = f'(z)·ε} and null parameter gradients, leaving its input unchanged. Stateless: all instances are
 * equal. JSON: {@code {"@class":"dev.heinit.activation.SiLU"}}.
 */
public final class SiLU extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    /** SiLU, {@code z·σ(z)}. */
    public SiLU() {}

    /**
     * @throws IllegalArgumentException if {@code in} is null or not FLOAT, DOUBLE, HALF or BFLOAT16
     */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return StableForms.forward(in, StableForms::silu);
    }

    /**
     * @throws IllegalArgumentException if {@code in} is null or not FLOAT, DOUBLE, HALF or BFLOAT16
     * @throws IllegalStateException    if {@code epsilon}'s shape differs from {@code in}'s (DL4J's check)
     */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        StableForms.checkFloatingPoint(in, "input");
        assertShape(in, epsilon);
        return new Pair<>(StableForms.backward(in, epsilon, x -> StableForms.sigmoidGateDerivative(x, 1.0)), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiLU;
    }

    @Override
    public int hashCode() {
        return SiLU.class.getName().hashCode();
    }

    @Override
    public String toString() {
        return "silu";
    }
}
