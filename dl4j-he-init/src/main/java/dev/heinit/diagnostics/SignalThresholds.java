package dev.heinit.diagnostics;

import java.util.Locale;
import java.util.Objects;

/**
 * The named thresholds behind each {@link Verdict}; immutable, every {@code withX} returns a copy.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>name</th><th>default</th><th>verdict when</th></tr>
 *   <tr><td>vanishingRatio</td><td>0.1</td><td>forward or backward ratio &lt; it: VANISHING</td></tr>
 *   <tr><td>explodingRatio</td><td>10</td><td>forward or backward ratio &gt; it: EXPLODING</td></tr>
 *   <tr><td>deadFraction</td><td>0.5</td><td>a hidden layer's dead-unit fraction &gt; it: DEAD_UNITS</td></tr>
 *   <tr><td>saturatedFraction</td><td>0.5</td><td>a hidden layer's saturated fraction &gt; it: SATURATED</td></tr>
 *   <tr><td>saturationMargin</td><td>0.01</td><td>an activation within margin·(upper − lower) of a bound
 *       counts as saturated (tanh: |a| &gt; 0.98, i.e. |z| &gt; 2.30); a floor, the value of f on all of
 *       z ≤ 0 (ReLU capped at 6: 0), does not count, only its cap (a &gt; 5.94)</td></tr>
 *   <tr><td>decorrelationRatio</td><td>0.75</td><td>the last hidden layer's mean cosine between different
 *       examples' outputs &lt; it × the first weighted layer's: DECORRELATING</td></tr>
 *   <tr><td>collapsedCosine</td><td>0.99</td><td>the last hidden layer's mean cosine between different examples'
 *       outputs &gt; it: COLLAPSING</td></tr>
 * </table>
 * The cosine thresholds come from 30-layer nets measured on a 28×28 batch with values in [0, 1) (two seeds each,
 * 16-channel 3×3 CNN): the last hidden layer over the first is 0.58 (SiLU) and 0.60 (GELU) at the He gain, the
 * chaotic phase, against 1.17 (ReLU, He) and 1.22 (ReLU, Xavier); 0.75 sits between them. A cosine above 0.99 leaves
 * the examples' outputs differing by a few percent of their norm; deep ReLU nets approach it only slowly
 * (0.93–0.97 at depth 30).
 * The ratio thresholds are symmetric in log scale (a factor 10 either way): a single deep finite-width
 * network random-walks in log scale (per-network log-SD ≈ 0.5 at depth 30–40), so a He-initialized net
 * stays well inside while Xavier on ReLU (×0.71 per layer, 4e-5 over 29 layers) is far outside.
 */
public final class SignalThresholds {

    private static final SignalThresholds DEFAULTS = new SignalThresholds(0.1, 10, 0.5, 0.5, 0.01, 0.75, 0.99);

    private final double vanishingRatio;
    private final double explodingRatio;
    private final double deadFraction;
    private final double saturatedFraction;
    private final double saturationMargin;
    private final double decorrelationRatio;
    private final double collapsedCosine;

    private SignalThresholds(
            double vanishingRatio,
            double explodingRatio,
            double deadFraction,
            double saturatedFraction,
            double saturationMargin,
            double decorrelationRatio,
            double collapsedCosine) {
        if (!(vanishingRatio > 0) || !(vanishingRatio < 1)) {
            throw new IllegalArgumentException("vanishingRatio must be in (0, 1), got " + vanishingRatio);
        }
        if (!(explodingRatio > 1) || Double.isInfinite(explodingRatio)) {
            throw new IllegalArgumentException("explodingRatio must be finite and > 1, got " + explodingRatio);
        }
        checkFraction("deadFraction", deadFraction);
        checkFraction("saturatedFraction", saturatedFraction);
        if (!(saturationMargin > 0) || !(saturationMargin < 0.5)) {
            throw new IllegalArgumentException("saturationMargin must be in (0, 0.5), got " + saturationMargin);
        }
        this.vanishingRatio = vanishingRatio;
        this.explodingRatio = explodingRatio;
        this.deadFraction = deadFraction;
        this.saturatedFraction = saturatedFraction;
        if (!(decorrelationRatio > 0) || !(decorrelationRatio < 1)) {
            throw new IllegalArgumentException("decorrelationRatio must be in (0, 1), got " + decorrelationRatio);
        }
        if (!(collapsedCosine > 0) || !(collapsedCosine < 1)) {
            throw new IllegalArgumentException("collapsedCosine must be in (0, 1), got " + collapsedCosine);
        }
        this.saturationMargin = saturationMargin;
        this.decorrelationRatio = decorrelationRatio;
        this.collapsedCosine = collapsedCosine;
    }

    private static void checkFraction(String name, double v) {
        if (!(v >= 0) || !(v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
    }

    /** vanishing 0.1, exploding 10, dead 0.5, saturated 0.5, saturation margin 0.01, decorrelation 0.75, collapsed 0.99. */
    public static SignalThresholds defaults() {
        return DEFAULTS;
    }

    /** A copy with the VANISHING threshold on the forward/backward ratio, in (0, 1). */
    public SignalThresholds withVanishingRatio(double v) {
        return new SignalThresholds(
                v,
                explodingRatio,
                deadFraction,
                saturatedFraction,
                saturationMargin,
                decorrelationRatio,
                collapsedCosine);
    }

    /** A copy with the EXPLODING threshold on the forward/backward ratio, finite and &gt; 1. */
    public SignalThresholds withExplodingRatio(double v) {
        return new SignalThresholds(
                vanishingRatio,
                v,
                deadFraction,
                saturatedFraction,
                saturationMargin,
                decorrelationRatio,
                collapsedCosine);
    }

    /** A copy with the DEAD_UNITS threshold on a hidden layer's dead fraction, in [0, 1). */
    public SignalThresholds withDeadFraction(double v) {
        return new SignalThresholds(
                vanishingRatio,
                explodingRatio,
                v,
                saturatedFraction,
                saturationMargin,
                decorrelationRatio,
                collapsedCosine);
    }

    /** A copy with the SATURATED threshold on a hidden layer's saturated fraction, in [0, 1). */
    public SignalThresholds withSaturatedFraction(double v) {
        return new SignalThresholds(
                vanishingRatio, explodingRatio, deadFraction, v, saturationMargin, decorrelationRatio, collapsedCosine);
    }

    /** A copy with the saturation margin, in (0, 0.5). Used while measuring (it defines which activations count as saturated), not when re-judging a report. */
    public SignalThresholds withSaturationMargin(double v) {
        return new SignalThresholds(
                vanishingRatio,
                explodingRatio,
                deadFraction,
                saturatedFraction,
                v,
                decorrelationRatio,
                collapsedCosine);
    }

    /** A copy with the DECORRELATING threshold (last hidden cosine over the first's), in (0, 1). */
    public SignalThresholds withDecorrelationRatio(double v) {
        return new SignalThresholds(
                vanishingRatio, explodingRatio, deadFraction, saturatedFraction, saturationMargin, v, collapsedCosine);
    }

    /** A copy with the COLLAPSING threshold on the last hidden layer's mean cosine, in (0, 1). */
    public SignalThresholds withCollapsedCosine(double v) {
        return new SignalThresholds(
                vanishingRatio,
                explodingRatio,
                deadFraction,
                saturatedFraction,
                saturationMargin,
                decorrelationRatio,
                v);
    }

    /** DECORRELATING when the last hidden layer's mean cosine is below this times the first's (default 0.75). */
    public double decorrelationRatio() {
        return decorrelationRatio;
    }

    /** COLLAPSING when the last hidden layer's mean cosine is above this (default 0.99). */
    public double collapsedCosine() {
        return collapsedCosine;
    }

    /** VANISHING below this ratio (default 0.1). */
    public double vanishingRatio() {
        return vanishingRatio;
    }

    /** EXPLODING above this ratio (default 10). */
    public double explodingRatio() {
        return explodingRatio;
    }

    /** DEAD_UNITS above this dead fraction (default 0.5). */
    public double deadFraction() {
        return deadFraction;
    }

    /** SATURATED above this saturated fraction (default 0.5). */
    public double saturatedFraction() {
        return saturatedFraction;
    }

    /** Margin, as a fraction of the activation's range, within which an output counts as saturated (default 0.01). */
    public double saturationMargin() {
        return saturationMargin;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SignalThresholds)) {
            return false;
        }
        SignalThresholds t = (SignalThresholds) o;
        return Double.compare(vanishingRatio, t.vanishingRatio) == 0
                && Double.compare(explodingRatio, t.explodingRatio) == 0
                && Double.compare(deadFraction, t.deadFraction) == 0
                && Double.compare(saturatedFraction, t.saturatedFraction) == 0
                && Double.compare(saturationMargin, t.saturationMargin) == 0
                && Double.compare(decorrelationRatio, t.decorrelationRatio) == 0
                && Double.compare(collapsedCosine, t.collapsedCosine) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                vanishingRatio,
                explodingRatio,
                deadFraction,
                saturatedFraction,
                saturationMargin,
                decorrelationRatio,
                collapsedCosine);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "SignalThresholds{vanishingRatio=%s, explodingRatio=%s, deadFraction=%s, "
                        + "saturatedFraction=%s, saturationMargin=%s, decorrelationRatio=%s, collapsedCosine=%s}",
                vanishingRatio,
                explodingRatio,
                deadFraction,
                saturatedFraction,
                saturationMargin,
                decorrelationRatio,
                collapsedCosine);
    }
}
