package dev.heinit.config;

import java.util.function.DoubleUnaryOperator;

import dev.heinit.NormalOracle;

/**
 * The activations written out in closed form, independent of DL4J's, with {@link NormalOracle}'s E[g(z)] and Φ.
 */
final class Simpson {

    private Simpson() {}

    static double expectation(DoubleUnaryOperator g) {
        return NormalOracle.expectation(g);
    }

    /** The standard normal CDF Φ(t), by Simpson on [0, t]. */
    static double cdf(double t) {
        return NormalOracle.cdf(t, 24_000);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double relu(double z) {
        return z > 0 ? z : 0;
    }

    static double elu(double z) {
        return z > 0 ? z : Math.expm1(z);
    }

    static final double SELU_L = 1.0507009873554804934193349852946;
    static final double SELU_A = 1.6732632423543772848170429916717;

    static double selu(double z) {
        return z > 0 ? SELU_L * z : SELU_L * SELU_A * Math.expm1(z);
    }

    /** DL4J's ActivationGELU: the sigmoid approximation z·σ(1.702z). */
    static double geluSigmoid(double z) {
        return z * sigmoid(1.702 * z);
    }

    static double swish(double z) {
        return z * sigmoid(z);
    }

    /** {@code 1/√E[f(z)²]}. */
    static double forwardGain(DoubleUnaryOperator f) {
        return 1 / Math.sqrt(expectation(z -> f.applyAsDouble(z) * f.applyAsDouble(z)));
    }
}
