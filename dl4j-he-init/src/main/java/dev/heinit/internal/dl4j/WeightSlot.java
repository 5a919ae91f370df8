package dev.heinit.internal.dl4j;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One weight DL4J initializes, as a layer's rule hands it out ({@link LayerRule#weightSlots}): the layer (as plans
 * name it) and its type, the parameter key, the init DL4J reads for it (index {@link #initSlot()} into
 * {@link LayerRule#initSlots}, its recurrent init or not), the shape and fans DL4J passes to
 * {@code IWeightInit.init(fanIn, fanOut, shape, …)}, and the fans to draw with instead ({@link #fanIn()},
 * {@link #fanOut()}: NaN until a fan convention chose them, {@link #withFans}). The configuration plan's rows, the
 * Keras plan's rows and {@link FanOverrideInit}'s entries each carry one, so the four agree on what a weight is.
 * Immutable value type.
 */
public final class WeightSlot implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String type;
    private final String key;
    private final int initSlot;
    private final boolean recurrent;
    private final long[] shape;
    private final double dl4jFanIn;
    private final double dl4jFanOut;
    private final double fanIn;
    private final double fanOut;

    /** A call DL4J made ({@link InitCallRecorder}), or one of the factories' slots; NaN fans: not chosen. */
    WeightSlot(
            String layer,
            String type,
            String key,
            int initSlot,
            boolean recurrent,
            long[] shape,
            double dl4jFanIn,
            double dl4jFanOut,
            double fanIn,
            double fanOut) {
        this.layer = text(layer);
        this.type = text(type);
        this.key = text(key);
        this.initSlot = initSlot;
        this.recurrent = recurrent;
        this.shape = shape.clone();
        this.dl4jFanIn = dl4jFanIn;
        this.dl4jFanOut = dl4jFanOut;
        this.fanIn = fanIn;
        this.fanOut = fanOut;
    }

    /**
     * A row's parameter that DL4J passes to no init (a bias "b", or "-" for a row about a whole layer or vertex):
     * no shape, no fans.
     */
    public static WeightSlot named(String layer, String type, String key) {
        return new WeightSlot(
                text(layer),
                text(type),
                text(key),
                -1,
                false,
                new long[0],
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN);
    }

    /**
     * What a {@link FanOverrideInit} entry persists of a slot: the shape and DL4J's fans it is matched by, the fans it
     * draws with; no layer, key or init slot.
     *
     * @throws IllegalArgumentException if shape is null
     */
    public static WeightSlot drawn(long[] shape, double dl4jFanIn, double dl4jFanOut, double fanIn, double fanOut) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must be the weight's shape, got null");
        }
        return new WeightSlot("", "", "", -1, false, shape, dl4jFanIn, dl4jFanOut, fanIn, fanOut);
    }

    /** This slot drawn with fans {@code in}/{@code out} (NaN: none). */
    public WeightSlot withFans(double in, double out) {
        return new WeightSlot(layer, type, key, initSlot, recurrent, shape, dl4jFanIn, dl4jFanOut, in, out);
    }

    /** {@link #drawn} of this slot. */
    public WeightSlot drawnPart() {
        return drawn(shape, dl4jFanIn, dl4jFanOut, fanIn, fanOut);
    }

    /** The layer's name as plans show it (a chain's index when unnamed); "" if not known. */
    public String layer() {
        return layer;
    }

    /** The configured layer's class, simple name; "" if not known. */
    public String type() {
        return type;
    }

    /** The parameter key in the layer's parameter table (W, RW, pW, fW, …), "b" or "-" for a row; "" if not known. */
    public String key() {
        return key;
    }

    /** Index into {@link LayerRule#initSlots} of the init DL4J reads for this weight; −1 if none. */
    public int initSlot() {
        return initSlot;
    }

    /** True if DL4J reads the init slot's recurrent init ({@code getWeightInitFnRecurrent()}), else its weight init. */
    public boolean recurrent() {
        return recurrent;
    }

    /** The weight shape DL4J passes (empty if none). */
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as plans print it, {@code [a, b, …]}; "" if none. */
    public String shapeText() {
        return shape.length == 0 ? "" : Arrays.toString(shape);
    }

    /** The fan_in DL4J passes (NaN if none). */
    public double dl4jFanIn() {
        return dl4jFanIn;
    }

    /** The fan_out DL4J passes (NaN if none). */
    public double dl4jFanOut() {
        return dl4jFanOut;
    }

    /** The fan_in drawn with (NaN if not chosen). */
    public double fanIn() {
        return fanIn;
    }

    /** The fan_out drawn with (NaN if not chosen). */
    public double fanOut() {
        return fanOut;
    }

    boolean hasShape(long[] s) {
        return Arrays.equals(shape, s);
    }

    /** True if a call with this shape and these DL4J fans is this slot's. */
    boolean matches(double callFanIn, double callFanOut, long[] callShape) {
        return hasShape(callShape)
                && Double.compare(dl4jFanIn, callFanIn) == 0
                && Double.compare(dl4jFanOut, callFanOut) == 0;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WeightSlot)) {
            return false;
        }
        WeightSlot w = (WeightSlot) o;
        return w.matches(dl4jFanIn, dl4jFanOut, shape)
                && layer.equals(w.layer)
                && type.equals(w.type)
                && key.equals(w.key)
                && initSlot == w.initSlot
                && recurrent == w.recurrent
                && Double.compare(fanIn, w.fanIn) == 0
                && Double.compare(fanOut, w.fanOut) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                layer, type, key, initSlot, recurrent, Arrays.hashCode(shape), dl4jFanIn, dl4jFanOut, fanIn, fanOut);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (DL4J fans %s/%s) -> fans %s/%s",
                (layer.isEmpty() ? "" : layer + "/" + key + " ") + Arrays.toString(shape),
                dl4jFanIn,
                dl4jFanOut,
                fanIn,
                fanOut);
    }
}
