package dev.heinit.gain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.internal.dl4j.ActivationKey;
import dev.heinit.internal.quadrature.GaussianQuadrature;

/**
 * He gains for any DL4J {@link IActivation}, computed rather than looked up:
 * {@code E[f(z)²] = ∫ f(z)² φ(z) dz} and {@code E[f'(z)²] = ∫ f'(z)² φ(z) dz}, z ~ N(0,1), evaluated through
 * the activation's own {@code getActivation(in, false)} and {@code backprop(in, 1)} in double precision, so a
 * user's custom activation gets its gain like the built-in ones (He et al. 2015, generalized).
 *
 * <p>Quadrature: {@link GaussianQuadrature#adaptiveExpectations} (20-point Gauss–Legendre panels on [−12, 12],
 * bisected where a panel and its two halves disagree). Kinks and jumps need not be known: ReLU6's kink at 6,
 * a thresholded ReLU's jump at θ or a custom activation's kink anywhere are found by the bisection, which
 * narrows their panel to 10⁻¹² wide, so results are accurate to ~1e-11 relative.
 *
 * <p>Conventions: the activation is evaluated in inference mode ({@code training = false}). RReLU is taken at
 * its mean slope (l+u)/2, as DL4J applies it at inference (its {@code backprop} needs training-mode state).
 * Rejected with {@link IllegalArgumentException}: activations that are not element-wise (softmax: f applied to a
 * row differs from f applied to each entry), activations that cannot be evaluated on their own (PReLU needs its
 * alpha parameter), and those whose moments vanish or are not finite. Results are cached per activation
 * configuration (its JSON form), so asking twice costs a map lookup.
 *
 * <p>{@link #critical(IActivation, double)} gives the activation's edge-of-chaos point ({@link Criticality}) by the
 * same quadrature, cached per configuration and bias scale.
 */
public final class Gains {

    private static final double REL_TOL = 1e-13;
    private static final double MIN_WIDTH = 1e-12;
    private static final int MAX_PANELS = 4096;
    private static final double[] PROBE = {-2.3, -0.7, 0.0, 0.4, 1.9, 3.1, 7.5};

    private static final Map<ActivationKey, ActivationMoments> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Criticality> CRITICAL = new ConcurrentHashMap<>();

    private Gains() {}

    /**
     * The gains of {@code activation}.
     *
     * @throws IllegalArgumentException if the activation is null, not element-wise, cannot be evaluated alone,
     *                                  or has {@code E[f²] = 0}, {@code E[f'²] = 0} or a non-finite moment
     */
    public static ActivationMoments of(IActivation activation) {
        if (activation == null) {
            throw new IllegalArgumentException(
                    "activation must be a DL4J IActivation such as new ActivationReLU(), got null");
        }
        Optional<ActivationKey> key = ActivationKey.of(activation);
        if (!key.isPresent()) {
            return compute(
                    activation); // not JSON-serializable: computed every time rather than cached under a wrong key
        }
        ActivationMoments g = CACHE.get(key.get());
        if (g == null) {
            g = compute(activation);
            CACHE.putIfAbsent(key.get(), g);
        }
        return g;
    }

    /**
     * The moments of {@code activation} at an input of second moment {@code secondMoment} instead of 1:
     * {@code E[f(σz)²]} and {@code E[f'(σz)²]}, σ = √secondMoment, z ~ N(0,1); {@code forward()} and
     * {@code backward()} are the corresponding gains. For the ReLU family the moments scale by σ² and 1; for
     * other activations they change shape. Not cached.
     *
     * @throws IllegalArgumentException as {@link #of(IActivation)}, or if secondMoment is not positive and finite
     */
    public static ActivationMoments at(IActivation activation, double secondMoment) {
        if (!(secondMoment > 0) || !Double.isFinite(secondMoment)) {
            throw new IllegalArgumentException("secondMoment must be > 0 and finite, got " + secondMoment);
        }
        ActivationMoments unit = of(activation); // validates: element-wise, non-vanishing
        if (secondMoment == 1.0) {
            return unit;
        }
        IActivation f = evaluable(activation);
        double sigma = Math.sqrt(secondMoment);
        double[] m = GaussianQuadrature.adaptiveExpectations(
                x -> {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = sigma * x[i];
                    }
                    double[][] v = evaluate(f, y);
                    for (int k = 0; k < 2; k++) {
                        for (int i = 0; i < x.length; i++) {
                            v[k][i] *= v[k][i];
                        }
                    }
                    return v;
                },
                REL_TOL,
                MIN_WIDTH,
                MAX_PANELS);
        return new ActivationMoments(activation + " at E[x^2]=" + secondMoment, m[0], m[1]);
    }

    /**
     * The edge-of-chaos point of {@code activation} for biases N(0, σ_b²): σ_w and q* with
     * {@code q* = σ_w²·E[f(√q*·z)²] + σ_b²} and {@code χ = σ_w²·E[f'(√q*·z)²] = 1} (see {@link Criticality}), by
     * quadrature through the activation's own code, custom activations included. Where no q* &gt; 0 exists and
     * σ_b = 0, the small-signal limit σ_w = 1/|f'(0)|; for the ReLU family √(2/(1+a²)) at every q. Cached per
     * activation configuration (its JSON form) and σ_b.
     *
     * @param biasStd σ_b, the standard deviation of the biases; 0 for zero biases
     * @throws IllegalArgumentException if biasStd is negative, NaN or infinite, if the activation is rejected by
     *                                  {@link #of(IActivation)}, or if it has no critical point (the message says why)
     */
    public static Criticality critical(IActivation activation, double biasStd) {
        if (!(biasStd >= 0) || !Double.isFinite(biasStd)) {
            throw new IllegalArgumentException("biasStd (sigma_b) must be >= 0 and finite, got " + biasStd
                    + (activation == null ? "" : " (for activation " + activation + ")"));
        }
        of(activation); // validates: non-null, element-wise, evaluable alone, finite non-vanishing moments
        Optional<ActivationKey> key = ActivationKey.of(activation);
        IActivation f = evaluable(activation);
        if (!key.isPresent()) {
            return CriticalPointSolver.solve(activation.toString(), x -> evaluate(f, x), biasStd);
        }
        return critical(key.get().json(), activation.toString(), x -> evaluate(f, x), biasStd);
    }

    /** The critical point of {@code x ↦ {f(x), f'(x)}}, cached under the activation's key and σ_b (checked). */
    private static Criticality critical(
            String key, String name, Function<double[], double[][]> valuesAndDerivatives, double biasStd) {
        String k = key + "|sigma_b=" + Double.toString(biasStd);
        Criticality c = CRITICAL.get(k);
        if (c == null) {
            c = CriticalPointSolver.solve(name, valuesAndDerivatives::apply, biasStd);
            CRITICAL.putIfAbsent(k, c);
        }
        return c;
    }

    private static ActivationMoments compute(IActivation activation) {
        IActivation f = evaluable(activation);
        checkElementWise(activation, f);
        double[] m = GaussianQuadrature.adaptiveExpectations(
                x -> {
                    double[][] v = evaluate(f, x);
                    for (int k = 0; k < 2; k++) {
                        for (int i = 0; i < x.length; i++) {
                            v[k][i] *= v[k][i];
                        }
                    }
                    return v;
                },
                REL_TOL,
                MIN_WIDTH,
                MAX_PANELS);
        String[] what = {"E[f(z)^2]", "E[f'(z)^2]"};
        for (int k = 0; k < 2; k++) {
            if (!Double.isFinite(m[k])) {
                throw new IllegalArgumentException(what[k] + " is " + m[k] + " for activation " + activation
                        + ": allowed are activations with finite moments under z ~ N(0,1)");
            }
            if (!(m[k] > 1e-300)) {
                throw new IllegalArgumentException(what[k] + " = " + m[k] + " for activation " + activation
                        + ": the activation " + (k == 0 ? "vanishes" : "is constant")
                        + " on N(0,1), so no gain can give unit second moment; allowed are activations with "
                        + what[k] + " > 0");
            }
        }
        return new ActivationMoments(activation.toString(), m[0], m[1]);
    }

    /** The activation actually evaluated: RReLU at its mean slope, as at inference. */
    private static IActivation evaluable(IActivation a) {
        if (a instanceof ActivationRReLU) {
            ActivationRReLU r = (ActivationRReLU) a;
            return new ActivationLReLU(0.5 * (r.getL() + r.getU()));
        }
        return a;
    }

    /**
     * {@code {f(x), f'(x)}} for each point, through DL4J in double precision, on copies (activations overwrite
     * their input); RReLU at its mean slope.
     */
    public static double[][] values(IActivation f, double[] x) {
        if (f == null || x == null) {
            throw new IllegalArgumentException("activation and points must not be null");
        }
        return evaluate(evaluable(f), x);
    }

    /** {f(x), f'(x)} through DL4J; on copies, because activations overwrite their input. */
    static double[][] evaluate(IActivation f, double[] x) {
        INDArray in = Nd4j.createFromArray(x).reshape(1, x.length);
        INDArray out = f.getActivation(in.dup(), false);
        Pair<INDArray, INDArray> bp = f.backprop(in.dup(), Nd4j.ones(DataType.DOUBLE, 1, x.length));
        return new double[][] {
            out.castTo(DataType.DOUBLE).reshape(x.length).toDoubleVector(),
            bp.getFirst().castTo(DataType.DOUBLE).reshape(x.length).toDoubleVector()
        };
    }

    private static void checkElementWise(IActivation original, IActivation f) {
        double[][] row;
        try {
            row = evaluate(f, PROBE);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "activation " + original + " cannot be evaluated on its own (" + e
                            + "); allowed are element-wise activations without parameters of their own",
                    e);
        }
        for (int i = 0; i < PROBE.length; i++) {
            double[][] one = evaluate(f, new double[] {PROBE[i]});
            for (int k = 0; k < 2; k++) {
                double a = row[k][i];
                double b = one[k][0];
                if (!(Math.abs(a - b) <= 1e-12 * Math.max(1.0, Math.abs(a)))) {
                    throw new IllegalArgumentException("activation " + original + " is not element-wise: f("
                            + PROBE[i] + ") is " + b + " alone but " + a + " inside a row (softmax-like activations"
                            + " normalize over a row); allowed are element-wise activations");
                }
            }
        }
    }
}
