package dev.heinit.diagnostics;

import java.util.Locale;
import java.util.Objects;

/**
 * One measured signal behind a judgement (a {@code dev.heinit.prognosis.Prognosis} or a {@link SignalListener} early
 * warning): its name, the layer it was measured at ({@code "-"} for the
 * whole network), the value, and the threshold it was compared with (NaN when it is only reported).
 */
public final class Evidence {

    private final String signal;
    private final String layer;
    private final double value;
    private final double threshold;

    /**
     * @param signal    signal name, e.g. {@code "loss_ratio"}
     * @param layer     layer name, or {@code "-"} for the network
     * @param value     measured value
     * @param threshold threshold the rule compared the value with, or NaN
     */
    public Evidence(String signal, String layer, double value, double threshold) {
        this.signal = Objects.requireNonNull(signal, "signal");
        this.layer = Objects.requireNonNull(layer, "layer");
        this.value = value;
        this.threshold = threshold;
    }

    /** Signal name. */
    public String signal() {
        return signal;
    }

    /** Layer name, or {@code "-"}. */
    public String layer() {
        return layer;
    }

    /** Measured value. */
    public double value() {
        return value;
    }

    /** Threshold it was compared with, or NaN. */
    public double threshold() {
        return threshold;
    }

    /** True when {@link #threshold()} is a number (the signal decided something). */
    public boolean judged() {
        return !Double.isNaN(threshold);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Evidence)) {
            return false;
        }
        Evidence e = (Evidence) o;
        return signal.equals(e.signal)
                && layer.equals(e.layer)
                && Double.compare(value, e.value) == 0
                && Double.compare(threshold, e.threshold) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(signal, layer, value, threshold);
    }

    /** e.g. {@code loss_ratio = 0.998 (threshold 0.97)} or {@code first_layer_move @ 0 = 1.2e-05}. */
    @Override
    public String toString() {
        String at = layer.equals("-") ? "" : " @ " + layer;
        String th = judged() ? String.format(Locale.ROOT, " (threshold %.3g)", threshold) : "";
        return String.format(Locale.ROOT, "%s%s = %.3g%s", signal, at, value, th);
    }
}
