package dev.heinit.fan;

import java.util.Locale;
import java.util.Objects;

/**
 * The true fans of one weight parameter: {@code in()} = how many input units feed one output unit,
 * {@code out()} = how many output units one input unit feeds (Glorot &amp; Bengio 2010; He et al. 2015), as
 * counted by a {@link FanConvention}. Parameters that are not fan-scaled weights (PReLU's slopes, center-loss
 * centers) have kind {@link Kind#NOT_FAN_SCALED} and NaN fans. Immutable.
 */
public final class Fan {

    /** What the parameter is, for the purpose of variance-scaling initialization. */
    public enum Kind {
        /** A weight applied to the layer's input. */
        WEIGHT,
        /** A recurrent weight, applied to the layer's own previous output. */
        RECURRENT_WEIGHT,
        /** Not a fan-scaled weight (a slope, a center, an element-wise scale): left to its own init. */
        NOT_FAN_SCALED
    }

    private final double in;
    private final double out;
    private final Kind kind;
    private final String note;

    Fan(double in, double out, Kind kind, String note) {
        this.in = in;
        this.out = out;
        this.kind = kind;
        this.note = note == null ? "" : note;
    }

    static Fan notFanScaled(String note) {
        return new Fan(Double.NaN, Double.NaN, Kind.NOT_FAN_SCALED, note);
    }

    /** fan_in: inputs summed by one output unit (NaN if not fan-scaled). */
    public double in() {
        return in;
    }

    /** fan_out: output units one input unit feeds (NaN if not fan-scaled). */
    public double out() {
        return out;
    }

    /** The parameter's kind. */
    public Kind kind() {
        return kind;
    }

    /** Whether the parameter is a fan-scaled weight. */
    public boolean isFanScaled() {
        return kind != Kind.NOT_FAN_SCALED;
    }

    /** How these fans were counted, or why the parameter is not fan-scaled; empty if nothing to say. */
    public String note() {
        return note;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Fan)) {
            return false;
        }
        Fan f = (Fan) o;
        return Double.compare(in, f.in) == 0
                && Double.compare(out, f.out) == 0
                && kind == f.kind
                && note.equals(f.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(in, out, kind, note);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "Fan(in=%s, out=%s, %s%s)", fmt(in), fmt(out), kind, note.isEmpty() ? "" : ", " + note);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
