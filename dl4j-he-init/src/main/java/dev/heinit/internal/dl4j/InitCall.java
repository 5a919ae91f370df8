package dev.heinit.internal.dl4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One call DL4J makes to a layer's weight init: which parameter, with which shape and which fans
 * ({@code IWeightInit.init(fanIn, fanOut, shape, …)}), and through which init slot of which of the layer's
 * {@link LayerRule#initSlots init slots}. Recorded by {@link InitCallRecorder}. Immutable value type.
 */
public final class InitCall {

    /** The init slot DL4J reads: {@code getWeightInitFn()} or, for recurrent layers, {@code getWeightInitFnRecurrent()}. */
    public enum Slot {
        /** {@code BaseLayer.getWeightInitFn()}. */
        WEIGHT,
        /** {@code BaseRecurrentLayer.getWeightInitFnRecurrent()}. */
        RECURRENT
    }

    private final int baseLayer;
    private final Slot slot;
    private final String paramKey;
    private final long[] shape;
    private final double dl4jFanIn;
    private final double dl4jFanOut;

    /**
     * @throws IllegalArgumentException if baseLayer is negative, or slot, paramKey or shape is null
     */
    public InitCall(int baseLayer, Slot slot, String paramKey, long[] shape, double dl4jFanIn, double dl4jFanOut) {
        if (baseLayer < 0 || slot == null || paramKey == null || shape == null) {
            throw new IllegalArgumentException("baseLayer must be >= 0 and slot, paramKey, shape non-null, got "
                    + baseLayer + ", " + slot + ", " + paramKey + ", " + Arrays.toString(shape));
        }
        this.baseLayer = baseLayer;
        this.slot = slot;
        this.paramKey = paramKey;
        this.shape = shape.clone();
        this.dl4jFanIn = dl4jFanIn;
        this.dl4jFanOut = dl4jFanOut;
    }

    /** Index into {@link LayerRule#initSlots} of the layer whose slot was called. */
    public int baseLayer() {
        return baseLayer;
    }

    /** Which init slot was called. */
    public Slot slot() {
        return slot;
    }

    /** The parameter key the call initialized (as in the layer's parameter table, e.g. "W", "RW", "fW"). */
    public String paramKey() {
        return paramKey;
    }

    /** The weight shape DL4J passed. */
    public long[] shape() {
        return shape.clone();
    }

    /** The fan_in DL4J passed. */
    public double dl4jFanIn() {
        return dl4jFanIn;
    }

    /** The fan_out DL4J passed. */
    public double dl4jFanOut() {
        return dl4jFanOut;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InitCall)) {
            return false;
        }
        InitCall c = (InitCall) o;
        return baseLayer == c.baseLayer
                && slot == c.slot
                && paramKey.equals(c.paramKey)
                && Arrays.equals(shape, c.shape)
                && Double.compare(dl4jFanIn, c.dl4jFanIn) == 0
                && Double.compare(dl4jFanOut, c.dl4jFanOut) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseLayer, slot, paramKey, Arrays.hashCode(shape), dl4jFanIn, dl4jFanOut);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "InitCall(base %d %s, %s %s, DL4J fans %s/%s)",
                baseLayer,
                slot,
                paramKey,
                Arrays.toString(shape),
                dl4jFanIn,
                dl4jFanOut);
    }
}
