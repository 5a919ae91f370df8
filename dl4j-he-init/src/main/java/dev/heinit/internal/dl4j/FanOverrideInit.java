package dev.heinit.internal.dl4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

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

    /** One weight: the shape and fans DL4J passes, the fans to draw with, and the init to draw with. */
    public static class Entry implements Serializable {
        private static final long serialVersionUID = 1L;

        @JsonProperty("shape")
        private final long[] shape;

        @JsonProperty("dl4jFanIn")
        private final double dl4jFanIn;

        @JsonProperty("dl4jFanOut")
        private final double dl4jFanOut;

        @JsonProperty("fanIn")
        private final double fanIn;

        @JsonProperty("fanOut")
        private final double fanOut;

        @JsonProperty("init")
        private final IWeightInit init;

        /** @throws IllegalArgumentException if shape or init is null */
        @JsonCreator
        public Entry(
                @JsonProperty("shape") long[] shape,
                @JsonProperty("dl4jFanIn") double dl4jFanIn,
                @JsonProperty("dl4jFanOut") double dl4jFanOut,
                @JsonProperty("fanIn") double fanIn,
                @JsonProperty("fanOut") double fanOut,
                @JsonProperty("init") IWeightInit init) {
            if (shape == null || init == null) {
                throw new IllegalArgumentException(
                        "shape and init must not be null, got " + Arrays.toString(shape) + " and " + init);
            }
            this.shape = shape.clone();
            this.dl4jFanIn = dl4jFanIn;
            this.dl4jFanOut = dl4jFanOut;
            this.fanIn = fanIn;
            this.fanOut = fanOut;
            this.init = init;
        }

        /** The weight shape DL4J passes. */
        public long[] shape() {
            return shape.clone();
        }

        /** The fan_in DL4J passes with this shape. */
        public double dl4jFanIn() {
            return dl4jFanIn;
        }

        /** The fan_out DL4J passes with this shape. */
        public double dl4jFanOut() {
            return dl4jFanOut;
        }

        /** The fan_in drawn with. */
        public double fanIn() {
            return fanIn;
        }

        /** The fan_out drawn with. */
        public double fanOut() {
            return fanOut;
        }

        /** The init drawn with. */
        public IWeightInit init() {
            return init;
        }

        boolean hasShape(long[] shape) {
            return Arrays.equals(this.shape, shape);
        }

        /** True if a call with this shape and these DL4J fans is this entry's. */
        boolean matches(double fanIn, double fanOut, long[] shape) {
            return hasShape(shape) && Double.compare(dl4jFanIn, fanIn) == 0 && Double.compare(dl4jFanOut, fanOut) == 0;
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
            return e.matches(dl4jFanIn, dl4jFanOut, shape)
                    && Double.compare(fanIn, e.fanIn) == 0
                    && Double.compare(fanOut, e.fanOut) == 0
                    && init.equals(e.init);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(shape), dl4jFanIn, dl4jFanOut, fanIn, fanOut, init);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s (DL4J fans %s/%s) -> fans %s/%s, %s",
                    Arrays.toString(shape),
                    dl4jFanIn,
                    dl4jFanOut,
                    fanIn,
                    fanOut,
                    init);
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
            if (e.matches(fanIn, fanOut, shape)) {
                return e;
            }
            if (e.hasShape(shape)) {
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
