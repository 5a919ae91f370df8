package dev.heinit.activation;

import java.util.function.DoubleUnaryOperator;

import org.nd4j.linalg.activations.IActivation;

/**
 * f and f' of each stable activation in plain double arithmetic, written from the textbook formulas (tanh GELU
 * through {@code Math.tanh}/{@code cosh}, exact GELU through a complementary error function implemented here),
 * not through the library's σ-gate rewriting or ND4J.
 */
enum ClosedForm {
    SILU(SiLU::new) {
        @Override
        double f(double z) {
            return z * sigmoid(z);
        }

        @Override
        double df(double z) {
            double s = sigmoid(z);
            return s + z * s * sigmoid(-z);
        }
    },
    GELU_EXACT(GELU::exact) {
        @Override
        double f(double z) {
            return z * cdf(z);
        }

        @Override
        double df(double z) {
            return cdf(z) + z * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        }
    },
    GELU_TANH(GELU::tanhApprox) {
        @Override
        double f(double z) {
            return 0.5 * z * (1 + Math.tanh(u(z)));
        }

        @Override
        double df(double z) {
            double c = Math.cosh(u(z));
            double sech2 = Double.isInfinite(c) ? 0 : 1 / (c * c);
            return 0.5 * (1 + Math.tanh(u(z))) + 0.5 * z * sech2 * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * z * z);
        }

        private double u(double z) {
            return Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z);
        }
    },
    GELU_SIGMOID(GELU::sigmoidApprox) {
        private final double a = 1.702f;

        @Override
        double f(double z) {
            return z * sigmoid(a * z);
        }

        @Override
        double df(double z) {
            double s = sigmoid(a * z);
            return s + a * z * s * sigmoid(-a * z);
        }
    };

    private final java.util.function.Supplier<IActivation> factory;

    ClosedForm(java.util.function.Supplier<IActivation> factory) {
        this.factory = factory;
    }

    IActivation activation() {
        return factory.get();
    }

    abstract double f(double z);

    abstract double df(double z);

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** Φ(z) = ½·erfc(−z/√2). */
    static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /**
     * erfc by the Maclaurin series of erf for |x| &lt; 2 (abs. error ~1e-16) and the Laplace continued fraction
     * {@code erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))} for x ≥ 2 (relative error ~1e-15,
     * evaluated from the tail up, 200 terms).
     */
    static double erfc(double x) {
        if (x < -2) {
            return 2 - erfc(-x);
        }
        if (x < 2) {
            double term = x;
            double sum = x;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        double k = x;
        for (int n = 200; n >= 1; n--) {
            k = x + (n / 2.0) / k;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / k;
    }

    static DoubleUnaryOperator of(ClosedForm c, boolean derivative) {
        return derivative ? c::df : c::f;
    }
}
