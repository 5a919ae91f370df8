package dev.heinit.diagnostics;

/**
 * What a {@link SignalReport} concludes about a network's signal propagation. Each verdict is decided
 * by one named threshold of {@link SignalThresholds}; a report's {@link SignalReport#verdicts()} holds
 * {@link #HEALTHY} only when no other verdict holds.
 *
 * <p>The forward ratio is {@code RMS(z_last) / RMS(z_first)} over the weighted layers (those with a
 * {@code W} parameter), z the pre-activations; the backward ratio is
 * {@code √P_first·RMS(δ_first) / (√P_ref·RMS(δ_ref))} with δ = ∂L/∂z, P the positions a layer applies each weight
 * at ({@link LayerSignal#positions()}: pooling thins δ per unit, not the weight gradient) and {@code ref} the last weighted layer below the output layer (the one-off fan ratio
 * of the output layer, c₂/d_L in He et al. 2015 §2.2, is not a depth effect). He et al. 2015, "Delving
 * Deep into Rectifiers", eqs. 10 and 14; Glorot &amp; Bengio 2010 for saturation.
 */
public enum Verdict {
    /** Forward or backward ratio below {@link SignalThresholds#vanishingRatio()} (default 0.1). */
    VANISHING,
    /** Forward or backward ratio above {@link SignalThresholds#explodingRatio()} (default 10). */
    EXPLODING,
    /** A hidden layer with more than {@link SignalThresholds#deadFraction()} (default 0.5) of its units
     *  exactly zero for every example of the batch. */
    DEAD_UNITS,
    /** A hidden layer with a bounded activation and more than {@link SignalThresholds#saturatedFraction()}
     *  (default 0.5) of its activations within {@link SignalThresholds#saturationMargin()} of a bound. */
    SATURATED,
    /**
     * Chaotic: different inputs are pulled apart with depth. The last hidden layer's mean cosine between different
     * examples' outputs ({@link LayerSignal#cosineRaw()}) is below {@link SignalThresholds#decorrelationRatio()}
     * (default 0.75) times the first weighted layer's (Poole et al. 2016; Schoenholz et al. 2017: beyond the edge of
     * chaos nearby inputs decorrelate towards a fixed point c* &lt; 1). Layers: the hidden layers below that bound.
     */
    DECORRELATING,
    /**
     * Ordered: every input is mapped alike. The last hidden layer's mean cosine between different examples' outputs
     * is above {@link SignalThresholds#collapsedCosine()} (default 0.99), so the output barely depends on which
     * input came in. Layers: the hidden layers above that bound.
     */
    COLLAPSING,
    /** Any NaN or ±∞ in a pre-activation, activation, δ, weight, gradient or the loss. */
    NON_FINITE,
    /** None of the above. */
    HEALTHY
}
