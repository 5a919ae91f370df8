package dev.heinit.config;

import java.util.function.DoubleUnaryOperator;

/**
 * A test oracle independent of the library's Gauss–Legendre quadrature and of DL4J's activations: E[g(z)],
 * z ~ N(0,1), by the composite Simpson rule on a uniform grid over [−12, 0] and [0, 12] (split at 0, where every
 * function used in the tests has its kink), with the functions written out in closed form here.
 */
final class Simpson {

    private static final int N = 24_000; // intervals per half: h = 5e-4, error ~h⁴ ≈ 1e-13 on smooth halves

    private Simpson() {}

    static double expectation(DoubleUnaryOperator g) {
        return half(g, -12, 0) + half(g, 0, 12);
    }

    private static double half(DoubleUnaryOperator g, double a, double b) {
        double h = (b - a) / N;
        double sum = 0;
        for (int i = 0; i <= N; i++) {
            double z = a + i * h;
            // the value on the half's own side of a kink: approach the end points from inside
            double zz = i == 0 ? z + 1e-300 * (b - a) : i == N ? z - 1e-300 * (b - a) : z;
            double w = i == 0 || i == N ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * g.applyAsDouble(zz) * Math.exp(-0.5 * z * z);
        }
        return sum * h / 3 / Math.sqrt(2 * Math.PI);
    }

    /** The standard normal CDF Φ(t) = 1/2 + ∫₀ᵗ φ, by Simpson on [0, t] (a smooth integrand). */
    static double cdf(double t) {
        double h = t / N;
        double sum = 0;
        for (int i = 0; i <= N; i++) {
            double z = i * h;
            double w = i == 0 || i == N ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.exp(-0.5 * z * z);
        }
        return 0.5 + sum * h / 3 / Math.sqrt(2 * Math.PI);
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
