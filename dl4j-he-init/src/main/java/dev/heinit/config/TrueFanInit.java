package dev.heinit.config;

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

import dev.heinit.HeInit;

/**
 * A {@link HeInit} that uses the <em>true</em> fans instead of the ones DL4J passes: DL4J hands an
 * {@code IWeightInit} wrong fans for several layer types (Conv1D counts k², depthwise counts nIn·k², LSTM input
 * weights get the recurrent fan), so {@link HeConfigurer} bakes the true ones in. Each entry holds the weight
 * shape DL4J passes, the fans DL4J passes with it, the true fans and the He init to draw with:
 * {@code init(dl4jFanIn, dl4jFanOut, shape, …)} draws with {@code std = entry.init.std(trueFanIn, trueFanOut)}.
 *
 * <p>Keyed on the shape because one init slot can serve several parameters (a separable convolution's
 * depthwise and pointwise weights both go through {@code getWeightInitFn()}); DL4J's fans break ties between
 * equal shapes. A call that matches no entry (a parameter that is not fan-scaled, such as PReLU's slopes) goes to
 * the {@code fallback} init with DL4J's fans, or fails naming the shape if there is none. Immutable and
 * JSON-serializable inside DL4J configurations ({@code ModelSerializer} included).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrueFanInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    /** One parameter: the shape and fans DL4J passes, the true fans, and the He init to use. */
    public static final class Entry implements java.io.Serializable {
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
        private final HeInit init;

        /**
         * @throws IllegalArgumentException if shape or init is null, or the init rejects the true fans
         */
        @JsonCreator
        public Entry(
                @JsonProperty("shape") long[] shape,
                @JsonProperty("dl4jFanIn") double dl4jFanIn,
                @JsonProperty("dl4jFanOut") double dl4jFanOut,
                @JsonProperty("fanIn") double fanIn,
                @JsonProperty("fanOut") double fanOut,
                @JsonProperty("init") HeInit init) {
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
            init.std(fanIn, fanOut); // validates the fans the mode uses now, not at network init
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

        /** The true fan_in. */
        public double fanIn() {
            return fanIn;
        }

        /** The true fan_out. */
        public double fanOut() {
            return fanOut;
        }

        /** The He init used with the true fans. */
        public HeInit init() {
            return init;
        }

        /** The standard deviation drawn with: {@code init.std(fanIn, fanOut)}. */
        public double std() {
            return init.std(fanIn, fanOut);
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Entry)) {
                return false;
            }
            Entry e = (Entry) o;
            return Arrays.equals(shape, e.shape)
                    && Double.compare(dl4jFanIn, e.dl4jFanIn) == 0
                    && Double.compare(dl4jFanOut, e.dl4jFanOut) == 0
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
    private final List<Entry> entries;

    @JsonProperty("fallback")
    private final IWeightInit fallback;

    /**
     * @param entries  the parameters this init serves, at least one
     * @param fallback the init for calls no entry matches (DL4J's fans are passed on), or null to fail on them
     * @throws IllegalArgumentException if entries is null or empty
     */
    @JsonCreator
    public TrueFanInit(@JsonProperty("entries") List<Entry> entries, @JsonProperty("fallback") IWeightInit fallback) {
        if (entries == null || entries.isEmpty() || entries.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("entries must be a non-empty list without nulls, got " + entries);
        }
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.fallback = fallback;
    }

    /** The entries, in order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The init for calls no entry matches, or null. */
    public IWeightInit fallback() {
        return fallback;
    }

    /** The entry for a call with these shape and DL4J fans, or null. */
    public Entry entryFor(double fanIn, double fanOut, long[] shape) {
        Entry byShape = null;
        int n = 0;
        for (Entry e : entries) {
            if (Arrays.equals(e.shape, shape)) {
                if (Double.compare(e.dl4jFanIn, fanIn) == 0 && Double.compare(e.dl4jFanOut, fanOut) == 0) {
                    return e;
                }
                byShape = e;
                n++;
            }
        }
        return n == 1 ? byShape : null;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        Entry e = entryFor(fanIn, fanOut, shape);
        if (e != null) {
            return e.init.init(e.fanIn, e.fanOut, shape, order, paramView);
        }
        if (fallback != null) {
            return fallback.init(fanIn, fanOut, shape, order, paramView);
        }
        throw new IllegalArgumentException("no true fans for weight shape " + Arrays.toString(shape) + " (DL4J fans "
                + fanIn + "/" + fanOut + "); this init serves " + entries
                + ": was the layer's size changed after HeConfigurer configured it?");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrueFanInit)) {
            return false;
        }
        TrueFanInit t = (TrueFanInit) o;
        return entries.equals(t.entries) && Objects.equals(fallback, t.fallback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries, fallback);
    }

    @Override
    public String toString() {
        return "TrueFanInit(" + entries + (fallback == null ? "" : ", fallback=" + fallback) + ")";
    }
}
