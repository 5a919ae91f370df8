package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.LayerRules;

/**
 * The early-warning judgement of {@link SignalListener}, fed the loss after every iteration (cheap: one reduction
 * over the parameters per iteration, one copy of the first weight matrix per window). Each mode fires at most once.
 *
 * <p>DIVERGING, either: the parameters' norm is no longer finite or has grown more than {@value #PARAMETER_GROWTH}×
 * since before the first update (the next loss will be NaN/∞), or, after the loss has once come down to within
 * {@value #NEAR_CHANCE} × the chance loss ({@code ln C} for a softmax output of C classes; otherwise the first loss
 * seen), it rises above {@value #RISING_LOSS} × chance. (DL4J clips the softmax cross-entropy near
 * {@code −ln 1e-10 ≈ 10 × ln 10}, so the loss alone cannot tell an exploding signal from a bad start.)
 *
 * <p>STALLED: at the end of each window of {@value #STALL_WINDOW} iterations after the first, the window's mean loss
 * is within {@value #FLAT_BAND} (relative) of the previous window's and the first weight matrix moved less than
 * {@value #STALL_MOVE} ({@code ‖W_end − W_start‖ / ‖W_start‖}) over the window.
 */
final class EarlyWarnings {

    /**
     * Growth of the parameters' norm {@code ‖θ_t‖ / ‖θ_0‖} (θ_0 before the first update) above which a run is
     * diverging. A run that trains moves its weights by a fraction of their norm per epoch (the training probe on
     * the validation matrix: the fastest layer moved 0.4 of its norm in 35 steps, the median ≤ 0.14); a tenfold
     * growth is an explosion (residual-110 He: each block doubles the stream's variance, the first gradient is
     * ~1e6 times too large).
     */
    static final double PARAMETER_GROWTH = 10;
    /**
     * Loss over chance that, once the loss had come near chance, means the run is leaving it upwards. GELU
     * he-critical (30 layers, lr 0.002): 2.30 for ten steps, then 2.5, 4.1, 21.6 and NaN four steps later; the
     * training runs of the matrix that start above chance (tanh he-fanout: 5.7, 3.9, 3.8, 4.1, 4.8, 5.3) never
     * came near chance first.
     */
    static final double RISING_LOSS = 4;
    /** "Near chance": within this factor of the chance loss. */
    static final double NEAR_CHANCE = 1.1;
    /** Iterations per stall window: long enough that a net which trains has moved its first layer. */
    static final int STALL_WINDOW = 100;
    /** Relative change of the mean loss from one window to the next that counts as flat. */
    static final double FLAT_BAND = 0.02;
    /**
     * First-layer relative weight change per window below which its updates are negligible. The training probe on
     * the validation matrix (35 steps): runs that stall by vanishing moved 1e-9 (ReLU xavier), 3e-8 (SiLU he-relu),
     * 0 (SiLU xavier); the slowest that trained, 7e-5 (ReLU he, SiLU he): 1e-6 sits between, a factor ≥ 30 from both.
     */
    static final double STALL_MOVE = 1e-6;

    private final Set<EarlyWarning.Mode> fired = EnumSet.noneOf(EarlyWarning.Mode.class);
    private final List<EarlyWarning> warnings = new ArrayList<>();
    private double chance = Double.NaN;
    private double initialNorm = Double.NaN;
    private boolean nearChance;
    private INDArray windowStart;
    private int windowStartIteration;
    private double windowLossSum;
    private double previousWindowLoss = Double.NaN;
    private int windowLossCount;

    /** Judges one finished iteration; returns a new warning, or null. */
    EarlyWarning observe(Model model, int iteration, int epoch) {
        double loss = model.score();
        if (Double.isNaN(chance)) {
            chance = chanceLoss(model, loss);
        }
        EarlyWarning w = null;
        if (!fired.contains(EarlyWarning.Mode.DIVERGING)) {
            w = diverging(model, loss, iteration, epoch);
        }
        if (w == null && !fired.contains(EarlyWarning.Mode.STALLED)) {
            w = stalled(model, loss, iteration, epoch);
        }
        if (w != null) {
            fired.add(w.mode());
            warnings.add(w);
        }
        return w;
    }

    List<EarlyWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Before the first update: the parameters' norm, the reference of their growth. */
    void beforeUpdate(Model model) {
        if (Double.isNaN(initialNorm) && model.params() != null) {
            initialNorm = model.params().norm2Number().doubleValue();
        }
    }

    private EarlyWarning diverging(Model model, double loss, int iteration, int epoch) {
        double norm = model.params() == null
                ? Double.NaN
                : model.params().norm2Number().doubleValue();
        double growth = norm / initialNorm;
        if (!Double.isFinite(norm) || growth > PARAMETER_GROWTH) {
            return new EarlyWarning(
                    EarlyWarning.Mode.DIVERGING,
                    iteration,
                    epoch,
                    List.of(new Evidence("parameter_norm_growth", "-", growth, PARAMETER_GROWTH)),
                    Double.isFinite(norm)
                            ? "the parameters' norm grew more than tenfold: lower the learning rate or the init's gain"
                            : "the parameters are no longer finite after this update: lower the learning rate or "
                                    + "the init's gain");
        }
        double over = loss / chance;
        if (nearChance && Double.isFinite(loss) && over > RISING_LOSS) {
            return new EarlyWarning(
                    EarlyWarning.Mode.DIVERGING,
                    iteration,
                    epoch,
                    List.of(new Evidence("loss_over_chance", "-", over, RISING_LOSS)),
                    "the loss left chance upwards: lower the learning rate or the init's gain");
        }
        nearChance |= over <= NEAR_CHANCE;
        return null;
    }

    private EarlyWarning stalled(Model model, double loss, int iteration, int epoch) {
        if (!Double.isFinite(loss)) {
            return null;
        }
        if (windowStart == null) {
            INDArray w = firstWeights(model);
            windowStart = w == null ? null : w.dup();
            windowStartIteration = iteration;
            return null;
        }
        windowLossSum += loss;
        windowLossCount++;
        if (iteration - windowStartIteration < STALL_WINDOW) {
            return null;
        }
        INDArray w = firstWeights(model);
        double meanLoss = windowLossSum / windowLossCount;
        double move = w.sub(windowStart).norm2Number().doubleValue()
                / windowStart.norm2Number().doubleValue();
        double flat = Math.abs(meanLoss / previousWindowLoss - 1);
        previousWindowLoss = meanLoss;
        windowStart = w.dup();
        windowStartIteration = iteration;
        windowLossSum = 0;
        windowLossCount = 0;
        if (flat <= FLAT_BAND && move < STALL_MOVE) {
            return new EarlyWarning(
                    EarlyWarning.Mode.STALLED,
                    iteration,
                    epoch,
                    List.of(
                            new Evidence("loss_change_per_window", "-", flat, FLAT_BAND),
                            new Evidence("first_layer_move", firstWeightName(model), move, STALL_MOVE)),
                    "the loss is flat and the first layer does not learn (the gradient vanishes on its "
                            + "way down): use the activation's critical gain (HeInit.critical) or Lsuv.smallSignal()");
        }
        return null;
    }

    /** ln C for a softmax output of C classes; else the first loss seen. */
    private static double chanceLoss(Model model, double firstLoss) {
        Layer out = null;
        if (model instanceof MultiLayerNetwork) {
            out = ((MultiLayerNetwork) model).getOutputLayer();
        } else if (model instanceof ComputationGraph && ((ComputationGraph) model).getNumOutputArrays() == 1) {
            out = ((ComputationGraph) model).getOutputLayer(0);
        }
        if (out != null) {
            LayerRule rule = LayerRules.of(out.conf().getLayer());
            INDArray bias = out.paramTable().get("b");
            // one bias per class: its length is the number of classes of a softmax output layer
            if (rule.isOutput()
                    && rule.output().activation() instanceof ActivationSoftmax
                    && bias != null
                    && bias.length() > 1) {
                return Math.log(bias.length());
            }
        }
        return firstLoss;
    }

    private static INDArray firstWeights(Model model) {
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            if (e.getKey().endsWith("_W")) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String firstWeightName(Model model) {
        for (String k : model.paramTable().keySet()) {
            if (k.endsWith("_W")) {
                return k.substring(0, k.length() - 2);
            }
        }
        return "-";
    }
}
