package dev.heinit.keras;

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
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * An init slot of one layer, drawn with Keras's inits and Keras's fans instead of the fans DL4J passes: a call
 * {@code init(dl4jFanIn, dl4jFanOut, shape, …)} is matched to the entry of that weight shape (DL4J's fans break ties)
 * and drawn as {@code entry.init.init(entry.fanIn, entry.fanOut, shape, …)}. One slot can serve two weights (a
 * separable convolution's depthwise and pointwise kernels both go through {@code getWeightInitFn()}), each with its own
 * Keras initializer. A call that matches no entry fails naming the shape. Immutable and JSON-serializable inside
 * DL4J configurations.
 */
public final class KerasFanInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    /** One weight: its DL4J shape and fans, Keras's fans, and Keras's init. */
    public static final class Entry implements Serializable {
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

        /** Keras's fan_in of this weight. */
        public double fanIn() {
            return fanIn;
        }

        /** Keras's fan_out of this weight. */
        public double fanOut() {
            return fanOut;
        }

        /** Keras's init. */
        public IWeightInit init() {
            return init;
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
                    "%s (DL4J fans %s/%s) -> Keras fans %s/%s, %s",
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

    /** @throws IllegalArgumentException if entries is null, empty or holds a null */
    @JsonCreator
    public KerasFanInit(@JsonProperty("entries") List<Entry> entries) {
        if (entries == null || entries.isEmpty() || entries.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("entries must be a non-empty list without nulls, got " + entries);
        }
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /** The entries, in order. */
    public List<Entry> entries() {
        return entries;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        Entry byShape = null;
        int n = 0;
        for (Entry e : entries) {
            if (Arrays.equals(e.shape, shape)) {
                if (Double.compare(e.dl4jFanIn, fanIn) == 0 && Double.compare(e.dl4jFanOut, fanOut) == 0) {
                    return e.init.init(e.fanIn, e.fanOut, shape, order, paramView);
                }
                byShape = e;
                n++;
            }
        }
        if (n == 1) {
            return byShape.init.init(byShape.fanIn, byShape.fanOut, shape, order, paramView);
        }
        throw new IllegalArgumentException("no Keras init for weight shape " + Arrays.toString(shape) + " (DL4J fans "
                + fanIn + "/" + fanOut + "); this init serves " + entries
                + ": was the layer's size changed after it was re-initialized?");
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof KerasFanInit && entries.equals(((KerasFanInit) o).entries));
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "KerasFanInit(" + entries + ")";
    }
}
