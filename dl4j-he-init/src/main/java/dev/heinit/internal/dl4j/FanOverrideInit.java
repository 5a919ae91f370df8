package dev.heinit.internal.dl4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonPropertyOrder;

/**
 * An init slot that replaces the fans DL4J passes, per weight shape: a call {@code init(dl4jFanIn, dl4jFanOut, shape,
 * …)} is matched to the entry of that shape (DL4J's fans break ties between equal shapes) and drawn as
 * {@code entry.init.init(entry.fanIn, entry.fanOut, shape, …)}. Keyed on the shape because one slot can serve several
 * weights (a separable convolution's depthwise and pointwise kernels both go through {@code getWeightInitFn()}). A
 * call no entry matches goes to the {@code fallback} init with DL4J's fans, or fails naming the shape if there is
 * none. The base of {@code dev.heinit.config.TrueFanInit} (true fans, He inits) and
 * {@code dev.heinit.keras.KerasFanInit} (Keras's fans and initializers); the concrete class name is what DL4J's JSON
 * persists. Immutable.
 *
 * @param <E> the entry type
 */
public abstract class FanOverrideInit<E extends FanOverrideInit.Entry> implements IWeightInit {

    private static final long serialVersionUID = 1L;

    /**
     * One weight: its {@link WeightSlot} as persisted ({@link WeightSlot#drawnPart()}: the shape and fans DL4J
     * passes, the fans to draw with) and the init to draw with. The JSON form is that of its accessors.
     */
    @JsonPropertyOrder({"dl4jFanIn", "dl4jFanOut", "fanIn", "fanOut", "init", "shape"})
    public static class Entry implements Serializable {
        private static final long serialVersionUID = 2L;

        @JsonIgnore
        private final WeightSlot weight;

        @JsonProperty("init")
        private final IWeightInit init;

        /**
         * @param weight the weight, drawn with its fans ({@link WeightSlot#withFans})
         * @throws IllegalArgumentException if weight or init is null
         */
        public Entry(WeightSlot weight, IWeightInit init) {
            if (weight == null || init == null) {
                throw new IllegalArgumentException("weight and init must not be null, got " + weight + " and " + init);
            }
            this.weight = weight.drawnPart();
            this.init = init;
        }

        /** @throws IllegalArgumentException if shape or init is null */
        @JsonCreator
        public Entry(
                @JsonProperty("shape") long[] shape,
                @JsonProperty("dl4jFanIn") double dl4jFanIn,
                @JsonProperty("dl4jFanOut") double dl4jFanOut,
                @JsonProperty("fanIn") double fanIn,
                @JsonProperty("fanOut") double fanOut,
                @JsonProperty("init") IWeightInit init) {
            this(WeightSlot.drawn(shape, dl4jFanIn, dl4jFanOut, fanIn, fanOut), init);
        }

        /** The weight: shape, DL4J's fans and the fans drawn with (no layer or key: they are not persisted). */
        public WeightSlot weight() {
            return weight;
        }

        /** The weight shape DL4J passes. */
        @JsonProperty("shape")
        public long[] shape() {
            return weight.shape();
        }

        /** The fan_in DL4J passes with this shape. */
        @JsonProperty("dl4jFanIn")
        public double dl4jFanIn() {
            return weight.dl4jFanIn();
        }

        /** The fan_out DL4J passes with this shape. */
        @JsonProperty("dl4jFanOut")
        public double dl4jFanOut() {
            return weight.dl4jFanOut();
        }

        /** The fan_in drawn with. */
        @JsonProperty("fanIn")
        public double fanIn() {
            return weight.fanIn();
        }

        /** The fan_out drawn with. */
        @JsonProperty("fanOut")
        public double fanOut() {
            return weight.fanOut();
        }

        /** The init drawn with. */
        public IWeightInit init() {
            return init;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (o == null || o.getClass() != getClass()) {
                return false;
            }
            Entry e = (Entry) o;
            return weight.equals(e.weight) && init.equals(e.init);
        }

        @Override
        public int hashCode() {
            return Objects.hash(weight, init);
        }

        @Override
        public String toString() {
            return weight + ", " + init;
        }
    }

    @JsonProperty("entries")
    private final List<E> entries;

    @JsonProperty("fallback")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private final IWeightInit fallback;

    /**
     * @param entries  the weights this init serves, at least one
     * @param fallback the init for calls no entry matches (DL4J's fans are passed on), or null to fail on them
     * @throws IllegalArgumentException if entries is null, empty or holds a null
     */
    protected FanOverrideInit(List<E> entries, IWeightInit fallback) {
        if (entries == null || entries.isEmpty() || entries.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("entries must be a non-empty list without nulls, got " + entries);
        }
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.fallback = fallback;
    }

    /** The entries, in order. */
    public List<E> entries() {
        return entries;
    }

    /** The init for calls no entry matches, or null. */
    public IWeightInit fallback() {
        return fallback;
    }

    /** The entry for a call with these shape and DL4J fans, or null. */
    public E entryFor(double fanIn, double fanOut, long[] shape) {
        E byShape = null;
        int n = 0;
        for (E e : entries) {
            if (e.weight().matches(fanIn, fanOut, shape)) {
                return e;
            }
            if (e.weight().hasShape(shape)) {
                byShape = e;
                n++;
            }
        }
        return n == 1 ? byShape : null;
    }

    /**
     * The message of the error for a call no entry matches when there is no fallback.
     *
     * @param call the call and this init's entries, as text
     */
    protected abstract String unmatchedMessage(String call);

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        E e = entryFor(fanIn, fanOut, shape);
        if (e != null) {
            return e.init().init(e.fanIn(), e.fanOut(), shape, order, paramView);
        }
        if (fallback != null) {
            return fallback.init(fanIn, fanOut, shape, order, paramView);
        }
        throw new IllegalArgumentException(unmatchedMessage("weight shape " + Arrays.toString(shape) + " (DL4J fans "
                + fanIn + "/" + fanOut + "); this init serves " + entries));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        FanOverrideInit<?> t = (FanOverrideInit<?>) o;
        return entries.equals(t.entries) && Objects.equals(fallback, t.fallback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries, fallback);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + entries + (fallback == null ? "" : ", fallback=" + fallback) + ")";
    }
}
