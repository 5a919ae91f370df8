package dev.heinit.examples.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Splits each {@code fit} of a MultiLayerNetwork into phases by the times DL4J calls its listeners: forward
 * (fit start → {@code onForwardPass}), backward (→ {@code onBackwardPass}: output layer, loss, all layers'
 * gradients), updater (→ {@code iterationDone}: gradient normalization, the updater, the parameter step) and the
 * rest of fit (→ return: iteration counters, constraints, clearing inputs). CPU nanoseconds of the training
 * thread (with one OpenMP thread, ND4J's native ops run on it), so that other processes on a shared machine
 * distort the split less than wall time would; summed over the iterations between {@link #start} and {@link #end}.
 */
public final class PhaseTimer extends BaseTrainingListener {

    /** Phase names in order. */
    public static final List<String> PHASES = List.of("forward", "backward", "updater", "rest of fit");

    private final long[] sums = new long[PHASES.size()];
    private long last;
    private int next;
    private int iterations;

    /** Call just before {@code fit}. */
    public void start() {
        last = now();
        next = 0;
    }

    /** Call just after {@code fit} returns. */
    public void end() {
        mark(3);
        iterations++;
    }

    private void mark(int phase) {
        long now = now();
        if (phase >= next) {
            sums[phase] += now - last;
            last = now;
            next = phase + 1;
        }
    }

    /** CPU nanoseconds of the calling thread. */
    public static long now() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        mark(0);
    }

    @Override
    public void onBackwardPass(Model model) {
        mark(1);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        mark(2);
    }

    /** Mean CPU milliseconds per iteration, by phase. */
    public Map<String, Double> millisPerIteration() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.size(); i++) {
            m.put(PHASES.get(i), iterations == 0 ? Double.NaN : sums[i] / 1e6 / iterations);
        }
        return m;
    }
}
