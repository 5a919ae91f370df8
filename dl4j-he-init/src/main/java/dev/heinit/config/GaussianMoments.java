package dev.heinit.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.nd4j.linalg.activations.IActivation;

import dev.heinit.gain.Gains;
import dev.heinit.internal.dl4j.ActivationKey;
import dev.heinit.internal.quadrature.GaussianQuadrature;

/**
 * {@code E[f(x)]}, {@code E[f(x)²]}, {@code E[f'(x)²]} for x ~ N(μ, σ²), by the adaptive Gauss–Legendre rule of
 * {@link GaussianQuadrature} (kinks need not be known). The mean is what a sum of branches needs: for independent
 * x₁, x₂, {@code E[(x₁+x₂)²] = E[x₁²] + E[x₂²] + 2·E[x₁]·E[x₂]}.
 */
final class GaussianMoments {

    private static final double REL_TOL = 1e-10;
    private static final double MIN_WIDTH = 1e-6;
    private static final int MAX_PANELS = 4000;
    private static final Map<ActivationKey, Double> MEANS = new ConcurrentHashMap<>();

    private GaussianMoments() {}

    /** {@code E[f(z)]}, z ~ N(0,1); cached by {@link ActivationKey} (computed every time without one). */
    static double mean(IActivation f) {
        Optional<ActivationKey> key = ActivationKey.of(f);
        Double m = key.map(MEANS::get).orElse(null);
        if (m == null) {
            m = at(f, 0.0, 1.0)[0];
            if (key.isPresent()) {
                MEANS.putIfAbsent(key.get(), m);
            }
        }
        return m;
    }

    /** {E[f(x)], E[f(x)²], E[f'(x)²]} for x = μ + σz, z ~ N(0,1). */
    static double[] at(IActivation f, double mu, double variance) {
        double sigma = Math.sqrt(variance);
        // The adaptive rule's tolerance is relative to each integral, and E[f] may be 0 (tanh): integrate f + f²
        // (whose integral is E[f²] > 0 plus the mean) and subtract E[f²] afterwards.
        double[] r = GaussianQuadrature.adaptiveExpectations(
                x -> {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = mu + sigma * x[i];
                    }
                    double[][] v = Gains.values(f, y);
                    double[][] out = new double[3][x.length];
                    for (int i = 0; i < x.length; i++) {
                        out[0][i] = v[0][i] + v[0][i] * v[0][i];
                        out[1][i] = v[0][i] * v[0][i];
                        out[2][i] = v[1][i] * v[1][i];
                    }
                    return out;
                },
                REL_TOL,
                MIN_WIDTH,
                MAX_PANELS);
        return new double[] {r[0] - r[1], r[1], r[2]};
    }
}
