package dev.heinit.keras;

import java.util.List;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.heinit.internal.dl4j.FanOverrideInit;

/**
 * An init slot of one layer, drawn with Keras's inits and Keras's fans instead of the fans DL4J passes: a call
 * {@code init(dl4jFanIn, dl4jFanOut, shape, …)} is matched to the entry of that weight shape (DL4J's fans break ties)
 * and drawn as {@code entry.init.init(entry.fanIn, entry.fanOut, shape, …)} (the dispatch is
 * {@link FanOverrideInit}'s). One slot can serve two weights (a separable convolution's depthwise and pointwise kernels
 * both go through {@code getWeightInitFn()}), each with its own Keras initializer. A call that matches no entry fails
 * naming the shape. Immutable and JSON-serializable inside DL4J configurations; the class name is part of that JSON.
 */
public final class KerasFanInit extends FanOverrideInit<FanOverrideInit.Entry> {

    private static final long serialVersionUID = 2L;

    /**
     * @param entries the weights of the slot: DL4J's shape and fans, Keras's fans and Keras's init each
     * @throws IllegalArgumentException if entries is null, empty or holds a null
     */
    @JsonCreator
    public KerasFanInit(@JsonProperty("entries") List<FanOverrideInit.Entry> entries) {
        super(entries, null);
    }

    @Override
    protected String unmatchedMessage(String call) {
        return "no Keras init for " + call + ": was the layer's size changed after it was re-initialized?";
    }
}
