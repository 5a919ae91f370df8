package dev.heinit.gain;

import java.util.Locale;

import dev.heinit.internal.quadrature.GaussianQuadrature;

/**
 * Finds the critical point of {@link Criticality} for a function given as {@code x ↦ {f(x), f'(x)}}.
 *
 * <p>Eliminating σ_w² = 1/E[f'(√q·z)²] leaves one equation in q: {@code h(q) = A(q)/B(q) + σ_b² − q = 0}, with
 * {@code A(q) = E[f(√q·z)²]}, {@code B(q) = E[f'(√q·z)²]} by {@link GaussianQuadrature#adaptiveExpectations}, so
 * kinks anywhere are handled. For σ_b &gt; 0, {@code h(σ_b²) = A/B ≥ 0}, so the scan starts there and steps q up by
 * 4× until h turns negative (up to q = 10⁴, i.e. |x| ≤ 1200 fed to f); the bracketed root is refined by the
 * Illinois variant of regula falsi. Positively homogeneous functions (A(q)/q and B(q) constant and equal) are
 * recognised first: there h ≡ σ_b².
 */
final class CriticalPointSolver {

    private static final double REL_TOL = 1e-13;
    private static final double MIN_WIDTH = 1e-12;
    private static final int MAX_PANELS = 4096;
    private static final double[] HOMOGENEITY_PROBE = {0.01, 1.0, 100.0};
    /** Relative; libnd4j takes some slopes as float, so f and f' of one leaky ReLU can differ by ~1e-9. */
    private static final double HOMOGENEITY_TOL = 1e-7;

    private static final double Q_MIN = 1e-4;
    private static final double Q_MAX = 1e4;
    private static final double STEP = 4.0;
    /** |h| below this times max(q, σ_b²) is quadrature noise, not a sign. */
    private static final double SIGN_TOL = 1e-10;

    private static final double KINK_PROBE = 1e-9;
    /** f'(0)² below this is a vanishing slope (x² has f'(±1e-9) = ±2e-9), not a small-signal gain of 10⁶. */
    private static final double MIN_SLOPE_SQUARED = 1e-12;

    private CriticalPointSolver() {}

    static Criticality solve(String name, GaussianQuadrature.VectorIntegrand fn, double sigmaB) {
        if (!(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new IllegalArgumentException(
                    "biasStd (sigma_b) must be >= 0 and finite, got " + sigmaB + " (for activation " + name + ")");
        }
        double sb2 = sigmaB * sigmaB;
        double[] unit = moments(fn, 1.0);
        if (isHomogeneous(fn, unit)) {
            double sw = 1 / Math.sqrt(unit[1]);
            return new Criticality(
                    name,
                    Criticality.Kind.SCALE_INVARIANT,
                    sw,
                    sigmaB,
                    Double.NaN,
                    sw * sw * unit[1],
                    sw * sw * unit[2]);
        }
        double q = sigmaB > 0 ? sb2 : Q_MIN;
        double lastPositiveQ = Double.NaN;
        double lastPositiveH = Double.NaN;
        while (q <= Q_MAX) {
            double h = h(fn, q, sb2);
            if (!Double.isFinite(h)) {
                break; // f or f' not finite at this scale: no bracket beyond it
            }
            double tol = SIGN_TOL * Math.max(q, sb2);
            if (h > tol) {
                lastPositiveQ = q;
                lastPositiveH = h;
            } else if (h < -tol && !Double.isNaN(lastPositiveQ)) {
                return fixedPoint(name, fn, sigmaB, refine(fn, sb2, lastPositiveQ, lastPositiveH, q, h));
            }
            q *= STEP;
        }
        return smallSignal(name, fn, sigmaB);
    }

    /** {E[f(√q z)²], E[f'(√q z)²], E[f(√q z)·f'(√q z)·z]}. */
    static double[] moments(GaussianQuadrature.VectorIntegrand fn, double q) {
        double s = Math.sqrt(q);
        return GaussianQuadrature.adaptiveExpectations(
                x -> {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = s * x[i];
                    }
                    double[][] v = fn.apply(y);
                    double[][] out = new double[3][x.length];
                    for (int i = 0; i < x.length; i++) {
                        out[0][i] = v[0][i] * v[0][i];
                        out[1][i] = v[1][i] * v[1][i];
                        out[2][i] = v[0][i] * v[1][i] * x[i];
                    }
                    return out;
                },
                REL_TOL,
                MIN_WIDTH,
                MAX_PANELS);
    }

    private static double h(GaussianQuadrature.VectorIntegrand fn, double q, double sb2) {
        double[] m = moments(fn, q);
        return m[0] / m[1] + sb2 - q;
    }

    private static boolean isHomogeneous(GaussianQuadrature.VectorIntegrand fn, double[] unit) {
        if (!(unit[1] > 0)
                || !Double.isFinite(unit[0])
                || !Double.isFinite(unit[1])
                || Math.abs(unit[0] - unit[1]) > HOMOGENEITY_TOL * unit[1]) {
            return false;
        }
        for (double q : HOMOGENEITY_PROBE) {
            double[] m = q == 1.0 ? unit : moments(fn, q);
            if (!(Math.abs(m[0] / q - unit[0]) <= HOMOGENEITY_TOL * unit[0])
                    || !(Math.abs(m[1] - unit[1]) <= HOMOGENEITY_TOL * unit[1])) {
                return false;
            }
        }
        return true;
    }

    /** Illinois regula falsi on a bracket with h(a) &gt; 0 &gt; h(b); returns q*. */
    private static double refine(
            GaussianQuadrature.VectorIntegrand fn, double sb2, double a, double fa, double b, double fb) {
        int side = 0;
        double c = b;
        for (int iter = 0; iter < 100; iter++) {
            c = (a * fb - b * fa) / (fb - fa);
            double fc = h(fn, c, sb2);
            if (Math.abs(fc) <= 1e-14 * Math.max(c, sb2) || Math.abs(b - a) <= 1e-14 * c) {
                return c;
            }
            if (fc > 0) {
                a = c;
                fa = fc;
                if (side == 1) {
                    fb /= 2;
                }
                side = 1;
            } else {
                b = c;
                fb = fc;
                if (side == -1) {
                    fa /= 2;
                }
                side = -1;
            }
        }
        return c;
    }

    private static Criticality fixedPoint(String name, GaussianQuadrature.VectorIntegrand fn, double sigmaB, double q) {
        double[] m = moments(fn, q);
        double sw2 = 1 / m[1];
        return new Criticality(
                name, Criticality.Kind.FIXED_POINT, Math.sqrt(sw2), sigmaB, q, sw2 * m[1], sw2 * m[2] / Math.sqrt(q));
    }

    private static Criticality smallSignal(String name, GaussianQuadrature.VectorIntegrand fn, double sigmaB) {
        double[][] v = fn.apply(new double[] {-KINK_PROBE, 0.0, KINK_PROBE});
        double f0 = v[0][1];
        double left = v[1][0];
        double right = v[1][2];
        // Smooth at 0: f'(0) itself; a kink at 0 (ELU with α ≠ 1): the small-signal B(0+) = (f'(0-)² + f'(0+)²)/2.
        double b0 = Math.abs(left - right) <= 1e-6 * Math.max(Math.abs(left), Math.abs(right))
                ? v[1][1] * v[1][1]
                : 0.5 * (left * left + right * right);
        if (sigmaB == 0 && Math.abs(f0) <= 1e-12 && b0 > MIN_SLOPE_SQUARED && Double.isFinite(b0)) {
            double sw = 1 / Math.sqrt(b0);
            return new Criticality(name, Criticality.Kind.SMALL_SIGNAL, sw, 0.0, 0.0, sw * sw * b0, sw * sw * b0);
        }
        String why = sigmaB > 0
                ? "sigma_b > 0 rules out the small-signal limit q* -> 0"
                : Math.abs(f0) > 1e-12
                        ? String.format(Locale.ROOT, "f(0) = %.6g is not 0, so q = 0 is not a fixed point", f0)
                        : String.format(
                                Locale.ROOT,
                                "f'(0) = %.6g, so the small-signal limit 1/|f'(0)| does not exist",
                                v[1][1]);
        throw new IllegalArgumentException("activation " + name + " has no critical point at sigma_b = " + sigmaB
                + ": no q* in [" + (sigmaB > 0 ? sigmaB * sigmaB : Q_MIN) + ", " + Q_MAX
                + "] solves q* = sigma_w^2 E[f(sqrt(q*) z)^2] + sigma_b^2 with sigma_w^2 E[f'(sqrt(q*) z)^2] = 1, "
                + why + ", and it is not positively homogeneous (ReLU family); allowed are activations with such a "
                + "fixed point, with f(0) = 0 and f'(0) != 0 at sigma_b = 0, or of the ReLU family");
    }
}
