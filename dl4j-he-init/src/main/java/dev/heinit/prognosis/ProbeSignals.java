package dev.heinit.prognosis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.heinit.diagnostics.Evidence;

/**
 * What a {@link TrainingProbe} measured on a copy of the network: the loss on a fixed batch before and after
 * {@code k} training steps, the forward ratio (RMS of the last hidden pre-activation over the first's) before and
 * after, the last hidden layer's activation RMS and cosine between examples, and how far each weight matrix moved,
 * {@code ‖W_k − W_0‖ / ‖W_0‖}. Only forward quantities: the backward ratio did not separate the validation
 * matrix's outcomes, and leaving out the backward pass halves the cost of the two measurements.
 *
 * <p>Values are by name ({@link #names()}), so that a rule can be refitted from a probe's JSON without rerunning it.
 */
public final class ProbeSignals {

    /**
     * The reference loss {@code L_0}: the lower of the loss at init on the fixed batch and, for class labels, the
     * entropy of the batch's label frequencies (the loss of predicting them, which a net reaches by learning only
     * its output biases).
     */
    public static final String REFERENCE_LOSS = "reference_loss";
    /** Loss on the fixed batch at init. */
    public static final String LOSS_INIT = "loss_init";
    /** Loss on the fixed batch after the probe. */
    public static final String LOSS_END = "loss_end";
    /** Loss on the fixed batch after the probe over the reference loss: {@code L_k / L_0}. */
    public static final String LOSS_RATIO = "loss_ratio";
    /** Mean training loss of the probe's last quarter of steps over its first step's. */
    public static final String STEP_LOSS_RATIO = "step_loss_ratio";
    /** Largest training loss seen over the loss at init on the fixed batch. */
    public static final String LOSS_PEAK = "loss_peak";
    /** First probe step (1-based) whose loss was NaN/∞, or 0. */
    public static final String NON_FINITE_STEP = "non_finite_step";
    /** Forward ratio at init. */
    public static final String FORWARD_INIT = "forward_ratio_init";
    /** Forward ratio after the probe. */
    public static final String FORWARD_END = "forward_ratio_end";
    /** Last hidden layer's activation RMS after the probe over at init. */
    public static final String RMS_GROWTH = "last_hidden_rms_growth";
    /** Last hidden layer's activation RMS after the probe. */
    public static final String RMS_END = "last_hidden_rms_end";
    /** Relative change of the first weighted layer's weights over the probe. */
    public static final String FIRST_MOVE = "first_layer_move";
    /** Median relative weight change over the weighted layers. */
    public static final String MEDIAN_MOVE = "median_layer_move";
    /** Relative change of the output layer's weights. */
    public static final String OUTPUT_MOVE = "output_layer_move";
    /** Mean cosine between two examples at the last hidden layer after the probe (1: every input alike). */
    public static final String COSINE_END = "last_hidden_cosine_end";

    private final Map<String, Double> values;
    private final Map<String, String> layers;
    private final int steps;
    private final int weightedLayers;

    /**
     * @param values         signal values by name (the constants of this class; others are kept and reported)
     * @param layers         the layer each signal was measured at, by name ({@code "-"} when missing)
     * @param steps          training steps the probe ran (fewer than asked when the loss became non-finite)
     * @param weightedLayers weighted layers of the network (the forward ratio spans this many minus one)
     */
    public ProbeSignals(Map<String, Double> values, Map<String, String> layers, int steps, int weightedLayers) {
        this.values = new LinkedHashMap<>(Objects.requireNonNull(values, "values"));
        this.layers = new LinkedHashMap<>(Objects.requireNonNull(layers, "layers"));
        this.steps = steps;
        this.weightedLayers = weightedLayers;
    }

    /** The value of a signal, NaN if it was not measured. */
    public double get(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }

    /** The layer a signal was measured at, or {@code "-"}. */
    public String layer(String name) {
        return layers.getOrDefault(name, "-");
    }

    /** Signal names in measurement order. */
    public Iterable<String> names() {
        return values.keySet();
    }

    /** Steps the probe trained. */
    public int steps() {
        return steps;
    }

    /** Weighted layers of the network. */
    public int weightedLayers() {
        return weightedLayers;
    }

    /** The signal as evidence compared with {@code threshold} (NaN: reported only). */
    public Evidence evidence(String name, double threshold) {
        return new Evidence(name, layer(name), get(name), threshold);
    }
}
