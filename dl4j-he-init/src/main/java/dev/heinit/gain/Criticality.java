package dev.heinit.gain;

import java.util.Locale;
import java.util.Objects;

/**
 * The edge-of-chaos (critical) initialization of one activation f for a given bias scale σ_b: weights
 * {@code N(0, σ_w²/fan_in)}, biases {@code N(0, σ_b²)} (Poole et al. 2016, "Exponential expressivity in deep neural
 * networks through transient chaos"; Schoenholz et al. 2017, "Deep information propagation"; Hayou, Doucet &amp;
 * Rousseau 2019, "On the impact of the activation function on deep neural networks training").
 *
 * <p>With z ~ N(0, 1), a wide layer maps its pre-activation variance q by the variance map
 * {@code V(q) = σ_w²·E[f(√q·z)²] + σ_b²}; the critical point is the pair (σ_w, q*) with
 * <pre>
 *   q*  = σ_w²·E[f(√q*·z)²] + σ_b²        (q* is a fixed point of V)
 *   χ   = σ_w²·E[f'(√q*·z)²] = 1           (per-layer gradient factor)
 * </pre>
 * χ is also the slope of the correlation map at c = 1 (Poole et al. 2016, χ₁): below 1 nearby inputs are pulled
 * together with depth (order), above 1 pulled apart (chaos). {@link #stability()} is the variance map's slope at
 * q*, {@code V'(q*) = σ_w²·E[f(√q*·z)·f'(√q*·z)·z]/√q*}: below 1 the fixed point attracts, above 1 it repels.
 *
 * <p>Three kinds of answer ({@link Kind}): a fixed point q* &gt; 0; the small-signal limit q* → 0 (σ_b = 0 and no
 * q* &gt; 0 exists; σ_w = 1/|f'(0)|, the two one-sided slopes averaged in square where f has a kink at 0); or a
 * scale-invariant (ReLU-family) activation, where σ_w = √(2/(1+a²)) gives χ = 1 at every q.
 * Obtained from {@link Gains#critical}; immutable.
 */
public final class Criticality {

    /** Which kind of critical point was found. */
    public enum Kind {
        /** A fixed point q* &gt; 0 with χ(q*) = 1. */
        FIXED_POINT,
        /**
         * No q* &gt; 0 exists (σ_b = 0): the limit q* → 0, σ_w = 1/|f'(0)|, where χ = 1 and the variance map's slope
         * is 1 (marginal).
         */
        SMALL_SIGNAL,
        /**
         * Positively homogeneous f (ReLU, leaky ReLU, identity): χ = 1 at every q for σ_w = 1/√E[f'(z)²]. With σ_b = 0
         * every q is a fixed point; with σ_b &gt; 0 there is none (q grows by σ_b² per layer). {@link #fixedPoint()}
         * is NaN.
         */
        SCALE_INVARIANT
    }

    private final String activation;
    private final Kind kind;
    private final double sigmaW;
    private final double sigmaB;
    private final double fixedPoint;
    private final double chi;
    private final double stability;

    Criticality(
            String activation,
            Kind kind,
            double sigmaW,
            double sigmaB,
            double fixedPoint,
            double chi,
            double stability) {
        if (activation == null || kind == null) {
            throw new IllegalArgumentException("activation and kind must not be null");
        }
        if (!(sigmaW > 0) || !Double.isFinite(sigmaW) || !(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new IllegalArgumentException(
                    "sigmaW must be > 0 and sigmaB >= 0, both finite; got " + sigmaW + ", " + sigmaB);
        }
        if (kind == Kind.SCALE_INVARIANT ? !Double.isNaN(fixedPoint) : !(fixedPoint >= 0)) {
            throw new IllegalArgumentException("fixedPoint must be NaN for SCALE_INVARIANT and >= 0 otherwise, got "
                    + fixedPoint + " for " + kind);
        }
        this.activation = activation;
        this.kind = kind;
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.fixedPoint = fixedPoint;
        this.chi = chi;
        this.stability = stability;
    }

    /** The activation, as its {@code toString()}. */
    public String activation() {
        return activation;
    }

    /** Fixed point, small-signal limit or scale-invariant. */
    public Kind kind() {
        return kind;
    }

    /** σ_w: weights are drawn with variance σ_w²/fan_in. */
    public double sigmaW() {
        return sigmaW;
    }

    /** σ_b: biases are drawn from N(0, σ_b²). */
    public double sigmaB() {
        return sigmaB;
    }

    /** q*, the pre-activation variance the critical point holds; 0 in the small-signal limit, NaN if scale-invariant. */
    public double fixedPoint() {
        return fixedPoint;
    }

    /**
     * χ = σ_w²·E[f'(√q*·z)²], the per-layer factor on the gradient's second moment and the correlation map's slope
     * at c = 1; 1 at the critical point, up to rounding.
     */
    public double chi() {
        return chi;
    }

    /** The variance map's slope at q*: below 1 the fixed point attracts, above 1 it repels; 1 in the limits. */
    public double stability() {
        return stability;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Criticality)) {
            return false;
        }
        Criticality that = (Criticality) o;
        return activation.equals(that.activation)
                && kind == that.kind
                && Double.compare(sigmaW, that.sigmaW) == 0
                && Double.compare(sigmaB, that.sigmaB) == 0
                && Double.compare(fixedPoint, that.fixedPoint) == 0
                && Double.compare(chi, that.chi) == 0
                && Double.compare(stability, that.stability) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(activation, kind, sigmaW, sigmaB, fixedPoint, chi, stability);
    }

    @Override
    public String toString() {
        String q;
        switch (kind) {
            case FIXED_POINT:
                q = String.format(Locale.ROOT, "q* %.6g", fixedPoint);
                break;
            case SMALL_SIGNAL:
                q = "q* -> 0 (small-signal limit: no q* > 0 exists)";
                break;
            default:
                q = sigmaB == 0
                        ? "every q is a fixed point (scale-invariant)"
                        : "no finite fixed point: q grows by sigma_b^2 per layer (scale-invariant)";
        }
        return String.format(
                Locale.ROOT,
                "Criticality(%s, sigma_b %s: sigma_w %.6f, %s, chi %.6f, stability %.6f)",
                activation,
                sigmaB,
                sigmaW,
                q,
                chi,
                stability);
    }
}
