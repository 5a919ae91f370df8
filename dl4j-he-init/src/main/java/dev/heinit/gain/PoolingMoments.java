package dev.heinit.gain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

import dev.heinit.internal.dl4j.ActivationKey;
import dev.heinit.internal.quadrature.GaussianQuadrature;

/**
 * The moments of one pooled output when a window of {@code n} independent pre-activations
 * {@code z_i ~ N(0, q)} passes through an element-wise activation f and is then pooled, and the factor by which
 * pooling scales the gradient's second moment on the way back.
 *
 * <ul>
 *   <li>Max pooling: {@code M = max_i f(z_i)}, {@code E[M^k] = ∫₀¹ Q(u)^k · n·u^{n−1} du}, Q the quantile
 *       function of {@code y = f(z)} (since {@code P(M ≤ t) = P(y ≤ t)^n}). For a non-decreasing f this is
 *       {@code E[f(√q·z)^k · n·Φ(z)^{n−1}]}, the max's density {@code n·Φ^{n−1}·φ}; the CDF form needs no
 *       monotonicity, so GELU's and SiLU's dip below zero and the flat parts of ReLU, hardtanh or ReLU6 are exact
 *       too. Global max pooling is the same with {@code n = H·W}.
 *   <li>Average pooling: {@code A = (1/n)·Σ f(z_i)}, {@code E[A²] = E[f²]/n + (1 − 1/n)·E[f]²}, {@code E[A] = E[f]}.
 *   <li>Backward, per input unit, averaged over the input: with {@code c} windows covering an input unit
 *       ({@code c = k_h·k_w/(s_h·s_w)} away from the borders, exactly {@code n·N_out/N_in} on average), max pooling
 *       sends each window's gradient to its argmax, which is any one of its n inputs with probability 1/n, so
 *       {@code E[δ_in²] = c·(1/n)·E[δ_out²]} (= {@code E[δ_out²]/n} for non-overlapping windows); average pooling
 *       sends {@code δ_out/n} to each of the n, so {@code E[δ_in²] = c·(1/n²)·E[δ_out²]}. Both take the gradients
 *       of different output units as uncorrelated, as the rest of the backward model does. Through the activation
 *       before the pool the gradient is multiplied by {@code f'} at the input it reaches: for max pooling the
 *       argmax, so the factor is {@code (c/n)·E[f'(z*)²]} ({@link #derivativeMoment}), not {@code (c/n)·E[f'²]}:
 *       ReLU and a 2×2 window give {@code (1/4)·(15/16)}, not {@code (1/4)·(1/2)}.
 * </ul>
 *
 * <p>Quadrature: the Gauss–Legendre nodes of N(0,1) ({@link GaussianQuadrature}, panels 0.01 wide, 48 000 nodes)
 * are mapped to {@code y_k = f(√q·z_k)} through the activation's own code (as {@link Gains} evaluates it) and sorted
 * by value; node k carries its weight w_k, so with {@code C_k} the cumulative weight the max of n copies takes
 * {@code y_(k)} with probability {@code C_k^n − C_{k−1}^n}. Ties (a flat part of f) telescope to the right mass.
 * The error falls as the panel width squared: below 1e-7 relative at this width.
 *
 * <p>The inputs are assumed independent. On natural images neighbouring pixels, and so neighbouring activations,
 * are positively correlated, so the largest of a window exceeds the typical value by less than for independent
 * inputs: these factors are upper bounds of what a trained or image-fed network shows, and LSUV, which measures
 * each layer on data instead of assuming, is the way to take the correlation into account.
 */
public final class PoolingMoments {

    private static final int PANELS_PER_UNIT = 100; // panels 0.01 wide
    private static final GaussianQuadrature FINE = fineRule();
    private static final int CACHE_LIMIT = 256;
    private static final Map<String, double[][]> SORTED = new ConcurrentHashMap<>();
    private static final IActivation IDENTITY = new ActivationIdentity();

    private final double mean;
    private final double secondMoment;
    private final double derivativeMoment;

    private PoolingMoments(double mean, double secondMoment, double derivativeMoment) {
        this.mean = mean;
        this.secondMoment = secondMoment;
        this.derivativeMoment = derivativeMoment;
    }

    /** {@code E[out]} of a pooled output. */
    public double mean() {
        return mean;
    }

    /** {@code E[out²]} of a pooled output. */
    public double secondMoment() {
        return secondMoment;
    }

    /**
     * {@code E[f'(z*)²]} at the input the gradient reaches: for max pooling the argmax z* of the window, which is
     * not a typical input (ReLU: {@code 1 − 2^−n}, not 1/2: the largest of n is positive unless all are); for
     * average pooling any input, {@code E[f'(z)²]}; 1 for a Gaussian signal (no activation of its own).
     */
    public double derivativeMoment() {
        return derivativeMoment;
    }

    /**
     * Max pooling of n inputs {@code f(z_i)}, {@code z_i ~ N(0, q)} independent: {@code E[M]} and {@code E[M²]},
     * {@code M = max_i f(z_i)}.
     *
     * @param activation f, element-wise (as accepted by {@link Gains#of})
     * @param q          the pre-activations' second moment, &gt; 0
     * @param n          the window size (k_h·k_w, or H·W for global pooling), ≥ 1
     * @throws IllegalArgumentException if q or n is out of range, or the activation is rejected by {@link Gains#of}
     */
    public static PoolingMoments max(IActivation activation, double q, int n) {
        return maxOfIndependent(sortedValues(activation, q, n), n);
    }

    /**
     * Average pooling of n independent inputs {@code f(z_i)}, {@code z_i ~ N(0, q)}: {@code E[A] = E[f]} and
     * {@code E[A²] = E[f²]/n + (1 − 1/n)·E[f]²}.
     *
     * @throws IllegalArgumentException as {@link #max}
     */
    public static PoolingMoments average(IActivation activation, double q, int n) {
        PoolingMoments one = maxOfIndependent(sortedValues(activation, q, n), 1); // E[f], E[f²], E[f'²]
        return new PoolingMoments(
                one.mean, one.secondMoment / n + (1 - 1.0 / n) * one.mean * one.mean, one.derivativeMoment);
    }

    /**
     * Max pooling of n independent draws of a Gaussian signal of mean m and second moment s (a mixture, as after a
     * sum, taken as N(m, v), v = s − m²): {@code E[M] = m + √v·E[max Z]},
     * {@code E[M²] = m² + 2m·√v·E[max Z] + v·E[(max Z)²]}; derivative moment 1.
     *
     * @throws IllegalArgumentException if n &lt; 1 or the moments are not finite
     */
    public static PoolingMoments maxOfNormal(double mean, double secondMoment, int n) {
        double v = variance(mean, secondMoment);
        PoolingMoments z = maxOfIndependent(sortedValues(IDENTITY, 1.0, n), n);
        return new PoolingMoments(
                mean + Math.sqrt(v) * z.mean, mean * mean + 2 * mean * Math.sqrt(v) * z.mean + v * z.secondMoment, 1.0);
    }

    /**
     * Average pooling of n independent draws of a Gaussian signal of mean m and second moment s:
     * {@code E[A] = m}, {@code E[A²] = m² + (s − m²)/n}; derivative moment 1.
     *
     * @throws IllegalArgumentException as {@link #maxOfNormal}
     */
    public static PoolingMoments averageOfNormal(double mean, double secondMoment, int n) {
        double v = variance(mean, secondMoment);
        if (n < 1) {
            throw new IllegalArgumentException("window size n must be >= 1, got " + n);
        }
        return new PoolingMoments(mean, mean * mean + v / n, 1.0);
    }

    private static double variance(double mean, double secondMoment) {
        if (!Double.isFinite(mean) || !Double.isFinite(secondMoment)) {
            throw new IllegalArgumentException(
                    "mean and second moment must be finite, got " + mean + " and " + secondMoment);
        }
        return Math.max(secondMoment - mean * mean, 0);
    }

    /**
     * The max of n draws from the discrete law "y_(k) with weight C_k − C_{k−1}": it is y_(k) with probability
     * {@code C_k^n − C_{k−1}^n} (n = 1: the law itself).
     */
    private static PoolingMoments maxOfIndependent(double[][] sorted, int n) {
        double[] y = sorted[0];
        double[] c = sorted[1];
        double[] d = sorted[2];
        double m1 = 0;
        double m2 = 0;
        double d2 = 0;
        double below = 0;
        for (int k = 0; k < y.length; k++) {
            double at = n == 1 ? c[k] : Math.pow(c[k], n);
            double p = at - below;
            below = at;
            m1 += p * y[k];
            m2 += p * y[k] * y[k];
            d2 += p * d[k] * d[k]; // tied values lie on a flat part of f, where f' is the same (0) for all
        }
        return new PoolingMoments(m1, m2, d2);
    }

    /**
     * Windows covering one input unit away from the borders, {@code (k_h/s_h)·(k_w/s_w)}: 1 for non-overlapping
     * windows, more when the stride is smaller than the kernel, less when it is larger (inputs no window sees).
     *
     * @throws IllegalArgumentException if a kernel or stride size is not positive
     */
    public static double windowsPerInput(int kernelH, int kernelW, int strideH, int strideW) {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "kernel and stride sizes must be >= 1, got kernel %dx%d, stride %dx%d",
                    kernelH,
                    kernelW,
                    strideH,
                    strideW));
        }
        return (double) kernelH * kernelW / ((double) strideH * strideW);
    }

    /**
     * {@code E[δ_in²]/E[δ_out²]} through a max pool, averaged over input units: {@code windowsPerInput/n} (each
     * window's gradient reaches one of its n inputs, the argmax, any one with probability 1/n).
     *
     * @param n               the window size
     * @param windowsPerInput windows covering an input unit on average ({@link #windowsPerInput}, or
     *                        {@code n·N_out/N_in} to include the borders)
     * @throws IllegalArgumentException if n &lt; 1 or windowsPerInput is not positive and finite
     */
    public static double maxGradientFactor(int n, double windowsPerInput) {
        checkWindows(n, windowsPerInput);
        return windowsPerInput / n;
    }

    /**
     * {@code E[δ_in²]/E[δ_out²]} through an average pool, averaged over input units: {@code windowsPerInput/n²}
     * (each of the n inputs receives δ_out/n from every window covering it; different windows' δ uncorrelated).
     *
     * @throws IllegalArgumentException as {@link #maxGradientFactor}
     */
    public static double averageGradientFactor(int n, double windowsPerInput) {
        checkWindows(n, windowsPerInput);
        return windowsPerInput / ((double) n * n);
    }

    private static void checkWindows(int n, double windowsPerInput) {
        if (n < 1) {
            throw new IllegalArgumentException("window size n must be >= 1, got " + n);
        }
        if (!(windowsPerInput > 0) || !Double.isFinite(windowsPerInput)) {
            throw new IllegalArgumentException("windowsPerInput must be > 0 and finite, got " + windowsPerInput);
        }
    }

    /** {y sorted ascending, cumulative weights C_k (the last one 1), f'} for y_k = f(√q·z_k) on the fine rule. */
    private static double[][] sortedValues(IActivation activation, double q, int n) {
        if (!(q > 0) || !Double.isFinite(q)) {
            throw new IllegalArgumentException("q (the pre-activations' second moment) must be > 0 and finite, got " + q
                    + (activation == null ? "" : " (for activation " + activation + ")"));
        }
        if (n < 1) {
            throw new IllegalArgumentException("window size n must be >= 1, got " + n);
        }
        Gains.of(activation); // validates: non-null, element-wise, evaluable alone, finite moments
        Optional<ActivationKey> key = ActivationKey.of(activation);
        if (!key.isPresent()) {
            return sort(activation, q); // not JSON-serializable: no key to cache it under
        }
        String k = key.get().json() + "|q=" + Double.toString(q);
        double[][] table = SORTED.get(k);
        if (table == null) {
            if (SORTED.size() >= CACHE_LIMIT) {
                SORTED.clear(); // a pass asks for a few (activation, q) pairs; this only bounds a long-running process
            }
            table = sort(activation, q);
            SORTED.putIfAbsent(k, table);
        }
        return table;
    }

    /** Sorted values and cumulative weights for one activation and q (shared, never modified). */
    private static double[][] sort(IActivation activation, double q) {
        double[] z = FINE.nodes();
        double[] w = FINE.weights();
        double s = Math.sqrt(q);
        double[] x = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = s * z[i];
        }
        double[][] values = Gains.values(activation, x);
        double[] y = values[0];
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(y[a], y[b]));
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] ys = new double[y.length];
        double[] c = new double[y.length];
        double[] d = new double[y.length];
        double acc = 0;
        for (int k = 0; k < order.length; k++) {
            ys[k] = y[order[k]];
            d[k] = values[1][order[k]];
            acc += w[order[k]];
            c[k] = Math.min(1.0, acc / total); // the weights sum to 1 within 1e-15; C_last = 1 exactly
        }
        c[c.length - 1] = 1.0;
        return new double[][] {ys, c, d};
    }

    private static GaussianQuadrature fineRule() {
        // edges i/100 exactly as decimals, so the rule's own 0.25-wide edges coincide with them (no sliver panels)
        int half = (int) Math.round(GaussianQuadrature.LIMIT * PANELS_PER_UNIT);
        double[] edges = new double[2 * half + 1];
        for (int i = -half; i <= half; i++) {
            edges[i + half] = i / (double) PANELS_PER_UNIT;
        }
        return GaussianQuadrature.withBreakpoints(edges);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "PoolingMoments(E[out] %.9g, E[out^2] %.9g, E[f'^2] %.9g)",
                mean,
                secondMoment,
                derivativeMoment);
    }
}
