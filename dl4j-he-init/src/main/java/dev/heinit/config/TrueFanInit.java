package dev.heinit.config;

import java.util.List;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.heinit.HeInit;
import dev.heinit.internal.dl4j.FanOverrideInit;
import dev.heinit.internal.dl4j.WeightSlot;

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
 * the {@code fallback} init with DL4J's fans, or fails naming the shape if there is none (the dispatch is
 * {@link FanOverrideInit}'s). Immutable and JSON-serializable inside DL4J configurations ({@code ModelSerializer}
 * included); the class name is part of that JSON.
 */
public final class TrueFanInit extends FanOverrideInit<TrueFanInit.Entry> {

    private static final long serialVersionUID = 2L;

    /** One parameter: the shape and fans DL4J passes, the true fans, and the He init to use. */
    public static final class Entry extends FanOverrideInit.Entry {
        private static final long serialVersionUID = 2L;

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
            super(shape, dl4jFanIn, dl4jFanOut, fanIn, fanOut, init);
            init.std(fanIn, fanOut); // validates the fans the mode uses now, not at network init
        }

        /** {@code weight} drawn with {@code init} at its fans; validated as the public constructor. */
        Entry(WeightSlot weight, HeInit init) {
            super(weight, init);
            init.std(weight.fanIn(), weight.fanOut());
        }

        /** The He init used with the true fans. */
        @Override
        public HeInit init() {
            return (HeInit) super.init();
        }

        /** The standard deviation drawn with: {@code init.std(fanIn, fanOut)}. */
        public double std() {
            return init().std(fanIn(), fanOut());
        }
    }

    /**
     * @param entries  the parameters this init serves, at least one
     * @param fallback the init for calls no entry matches (DL4J's fans are passed on), or null to fail on them
     * @throws IllegalArgumentException if entries is null, empty or holds a null
     */
    @JsonCreator
    public TrueFanInit(@JsonProperty("entries") List<Entry> entries, @JsonProperty("fallback") IWeightInit fallback) {
        super(entries, fallback);
    }

    @Override
    protected String unmatchedMessage(String call) {
        return "no true fans for " + call + ": was the layer's size changed after HeConfigurer configured it?";
    }
}
