package dev.heinit.prognosis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.heinit.diagnostics.Evidence;
import dev.heinit.internal.text.Json;

/**
 * A prediction of how a training run will end ({@link Prediction}), the evidence it rests on (the signals the rule
 * compared with thresholds, then every other measured signal), one plain sentence naming the failure mode and what
 * to try, the seed of ND4J's RNG during the probe, and the probe's cost: its CPU time and the mean CPU time of one
 * of its training steps (so that {@code probeCpuSeconds / (stepCpuSeconds · steps of the run)} is its share).
 */
public final class Prognosis {

    /** Format tag of {@link #toJson()}. */
    public static final String JSON_FORMAT = "dl4j-he-prognosis/1";

    private final Prediction prediction;
    private final List<Evidence> evidence;
    private final String sentence;
    private final long seed;
    private final int steps;
    private final double probeCpuSeconds;
    private final double stepCpuSeconds;

    /**
     * @param prediction      the prediction
     * @param evidence        judged evidence first, then the other signals
     * @param sentence        the failure mode and what to try, in one sentence
     * @param seed            ND4J RNG seed during the probe
     * @param steps           training steps the probe ran
     * @param probeCpuSeconds CPU time of the whole probe (copy, measurements, steps)
     * @param stepCpuSeconds  mean CPU time of one probe training step, NaN if none ran
     */
    public Prognosis(
            Prediction prediction,
            List<Evidence> evidence,
            String sentence,
            long seed,
            int steps,
            double probeCpuSeconds,
            double stepCpuSeconds) {
        this.prediction = Objects.requireNonNull(prediction, "prediction");
        this.evidence = Collections.unmodifiableList(new ArrayList<>(evidence));
        this.sentence = Objects.requireNonNull(sentence, "sentence");
        this.seed = seed;
        this.steps = steps;
        this.probeCpuSeconds = probeCpuSeconds;
        this.stepCpuSeconds = stepCpuSeconds;
    }

    /** TRAINS, STALLS, DIVERGES or UNSURE. */
    public Prediction prediction() {
        return prediction;
    }

    /** The evidence: judged signals first (with their thresholds), then the others (threshold NaN). */
    public List<Evidence> evidence() {
        return evidence;
    }

    /** The judged evidence only. */
    public List<Evidence> decisive() {
        List<Evidence> d = new ArrayList<>();
        for (Evidence e : evidence) {
            if (e.judged()) {
                d.add(e);
            }
        }
        return d;
    }

    /** The failure mode (or why it trains) and what to try. */
    public String sentence() {
        return sentence;
    }

    /** Seed of ND4J's RNG during the probe. */
    public long seed() {
        return seed;
    }

    /** Training steps the probe ran. */
    public int steps() {
        return steps;
    }

    /** CPU seconds of the probe. */
    public double probeCpuSeconds() {
        return probeCpuSeconds;
    }

    /** Mean CPU seconds of one probe training step. */
    public double stepCpuSeconds() {
        return stepCpuSeconds;
    }

    /** The probe's CPU time over the estimated CPU time of a run of {@code runSteps} steps (NaN if unknown). */
    public double costShare(long runSteps) {
        return probeCpuSeconds / (stepCpuSeconds * runSteps);
    }

    /** {@code PREDICTION: sentence} then one evidence line each for the judged signals. */
    public String toText() {
        StringBuilder sb = new StringBuilder(prediction.name()).append(": ").append(sentence);
        for (Evidence e : decisive()) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }

    /**
     * One JSON object: {@code {"format", "prediction", "sentence", "seed", "steps", "probe_cpu_s", "step_cpu_s",
     * "evidence": [{"signal", "layer", "value", "threshold"}]}}, non-finite numbers as null.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"format\":").append(str(JSON_FORMAT));
        sb.append(",\"prediction\":").append(str(prediction.name()));
        sb.append(",\"sentence\":").append(str(sentence));
        sb.append(",\"seed\":").append(seed);
        sb.append(",\"steps\":").append(steps);
        sb.append(",\"probe_cpu_s\":").append(num(probeCpuSeconds));
        sb.append(",\"step_cpu_s\":").append(num(stepCpuSeconds));
        sb.append(",\"evidence\":").append(evidenceJson(evidence));
        return sb.append('}').toString();
    }

    /** The evidence as a JSON array of {@code {"signal", "layer", "value", "threshold"}}. */
    public static String evidenceJson(List<Evidence> evidence) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            sb.append(i == 0 ? "" : ",")
                    .append("{\"signal\":")
                    .append(str(e.signal()))
                    .append(",\"layer\":")
                    .append(str(e.layer()))
                    .append(",\"value\":")
                    .append(num(e.value()))
                    .append(",\"threshold\":")
                    .append(num(e.threshold()))
                    .append('}');
        }
        return sb.append(']').toString();
    }

    /** A JSON number, null when not finite. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    /** A JSON string literal. */
    static String str(String s) {
        return Json.string(s);
    }

    @Override
    public String toString() {
        return toText();
    }
}
