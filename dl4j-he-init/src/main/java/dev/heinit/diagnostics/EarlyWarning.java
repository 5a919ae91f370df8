package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A failure mode a {@link SignalListener} saw during training, at most once per mode and run: the run starts to
 * diverge (before its loss is NaN/∞) or has stalled (loss flat near its initial value while the first layer's
 * weights barely move), with the iteration and the evidence.
 */
public final class EarlyWarning {

    /** The failure mode. */
    public enum Mode {
        /** Loss far above chance, or parameters no longer finite: the next steps will give NaN/∞. */
        DIVERGING,
        /** Loss flat near its initial value and the first layer's updates negligible. */
        STALLED
    }

    private final Mode mode;
    private final int iteration;
    private final int epoch;
    private final List<Evidence> evidence;
    private final String advice;

    /**
     * @param mode      failure mode
     * @param iteration iteration it was seen at
     * @param epoch     epoch it was seen in
     * @param evidence  the signals that decided it, with their thresholds
     * @param advice    what to try
     */
    public EarlyWarning(Mode mode, int iteration, int epoch, List<Evidence> evidence, String advice) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.iteration = iteration;
        this.epoch = epoch;
        this.evidence = Collections.unmodifiableList(new ArrayList<>(evidence));
        this.advice = Objects.requireNonNull(advice, "advice");
    }

    /** The failure mode. */
    public Mode mode() {
        return mode;
    }

    /** Iteration it was seen at. */
    public int iteration() {
        return iteration;
    }

    /** Epoch it was seen in. */
    public int epoch() {
        return epoch;
    }

    /** The deciding signals. */
    public List<Evidence> evidence() {
        return evidence;
    }

    /** What to try. */
    public String advice() {
        return advice;
    }

    /** e.g. {@code DIVERGING at iteration 7 (epoch 1): loss_over_chance = 31.2 (threshold 10.0): lower …}. */
    @Override
    public String toString() {
        return mode + " at iteration " + iteration + " (epoch " + epoch + "): "
                + evidence.stream().map(Evidence::toString).collect(Collectors.joining("; ")) + ": " + advice;
    }
}
