package dev.heinit;

/**
 * Which fan a variance-scaling initializer divides by.
 *
 * <p>{@code Var(W) = scale / fan} with {@code fan = fan_in}, {@code fan_out} or {@code (fan_in + fan_out) / 2}:
 * fan_in preserves the forward signal's second moment, fan_out the backward gradient's, fan_avg is the
 * Glorot compromise (Keras {@code VarianceScaling(mode=...)}, PyTorch {@code mode=} without fan_avg).
 */
public enum FanMode {
    /** Divide by the number of inputs feeding one output unit: preserves activations (He et al. 2015, eq. 10). */
    FAN_IN(1.0, 0.0),
    /** Divide by the number of outputs one input unit feeds: preserves gradients (He et al. 2015, eq. 14). */
    FAN_OUT(0.0, 1.0),
    /** Divide by {@code (fan_in + fan_out) / 2} (Glorot &amp; Bengio 2010). */
    FAN_AVG(0.5, 0.5);

    private final double inWeight;
    private final double outWeight;

    FanMode(double inWeight, double outWeight) {
        this.inWeight = inWeight;
        this.outWeight = outWeight;
    }

    /** Weight of fan_in in {@code fan = inWeight·fan_in + outWeight·fan_out}. */
    public double inWeight() {
        return inWeight;
    }

    /** Weight of fan_out in {@code fan = inWeight·fan_in + outWeight·fan_out}. */
    public double outWeight() {
        return outWeight;
    }

    /** {@code inWeight·fanIn + outWeight·fanOut}. */
    public double fan(double fanIn, double fanOut) {
        return inWeight * fanIn + outWeight * fanOut;
    }
}
