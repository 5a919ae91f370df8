package dev.heinit.prognosis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.heinit.diagnostics.Evidence;

/**
 * Turns {@link ProbeSignals} into a {@link Prognosis}, in this order:
 * <ol>
 *   <li>DIVERGES if a probe step's loss or parameters became NaN/∞;</li>
 *   <li>TRAINS if the loss on the fixed batch fell: {@code L_k / L_0 ≤ trainLossRatio};</li>
 *   <li>otherwise the loss is flat, and the signal decides: STALLS (ordered) if the last hidden layer maps different
 *       inputs alike, mean cosine between examples ≥ {@code collapsedCosine}; STALLS (vanished) if the forward ratio
 *       (RMS of the last hidden pre-activation over the first's) after the probe is below {@code vanishingForward}; STALLS (frozen) if the first layer's
 *       weights moved less than {@code minFirstMove} of their norm; else TRAINS (the signal is alive and the first
 *       layer learns: the loss follows later).</li>
 * </ol>
 * Thresholds are fields, so that a rule can be refitted; {@link #DEFAULT} uses the documented constants, fitted on
 * the 44-run validation matrix of the examples (30-layer plain CNNs under five activations and eight inits, a
 * 110-layer residual CNN; 35 probe steps; outcome after 10 / 5 epochs), where every threshold separates the
 * nearest runs on either side by the factor given with it.
 */
public final class PrognosisRule {

    /**
     * Loss on the fixed batch after the probe over the reference loss, at or below which the run is TRAINS. Matrix:
     * every run that stalled ended its probe at 0.998–1.003, the slowest clear learner at 0.982 (ReLU lsuv-small);
     * 0.985 lies between (runs above it are judged by their signal, which catches learners like ReLU lsuv at 0.99).
     */
    public static final double TRAIN_LOSS_RATIO = 0.985;
    /**
     * Mean cosine between two examples at the last hidden layer after the probe, at or above which the net maps every
     * input alike (the ordered phase: nothing to tell the classes apart with). Matrix: the stalled runs 0.990–1.000
     * except SiLU lsuv (0.91, caught by its collapse), the runs that trained at most 0.974 (residual he-auto, leaky
     * he-fanout).
     */
    public static final double COLLAPSED_COSINE = 0.985;
    /**
     * Forward ratio after the probe below which the signal has vanished on its way up. Matrix, among the runs whose
     * loss stayed flat and whose inputs stayed apart: SiLU lsuv (stalled; its signal fell from 1.5 at init to 0.0041:
     * LSUV's unit variance is an unstable fixed point for SiLU) and SiLU he (trained after a four-epoch plateau,
     * 0.0070); 0.0054 is their geometric mean, a factor of only 1.3 from either.
     */
    public static final double VANISHING_FORWARD = 0.0054;
    /**
     * First-layer relative weight change {@code ‖W_k − W_0‖ / ‖W_0‖} below which the first layer does not learn
     * (the gradient vanished on its way down). Matrix: the vanishing runs moved 0 (xavier, smooth activations) to
     * 2.6e-6 (GELU he), the slowest that trained 7.3e-5 (SiLU he) and 7.5e-5 (ReLU he): 1e-5 lies between.
     */
    public static final double MIN_FIRST_MOVE = 1e-5;

    /** The rule with the documented constants. */
    public static final PrognosisRule DEFAULT =
            new PrognosisRule(TRAIN_LOSS_RATIO, COLLAPSED_COSINE, VANISHING_FORWARD, MIN_FIRST_MOVE);

    private final double trainLossRatio;
    private final double collapsedCosine;
    private final double vanishingForward;
    private final double minFirstMove;

    /**
     * @param trainLossRatio  TRAINS at or below this loss ratio
     * @param collapsedCosine STALLS at or above this cosine between examples at the last hidden layer
     * @param vanishingForward STALLS below this forward ratio after the probe
     * @param minFirstMove    STALLS below this first-layer weight change
     */
    public PrognosisRule(double trainLossRatio, double collapsedCosine, double vanishingForward, double minFirstMove) {
        this.trainLossRatio = trainLossRatio;
        this.collapsedCosine = collapsedCosine;
        this.vanishingForward = vanishingForward;
        this.minFirstMove = minFirstMove;
    }

    /** The loss-ratio threshold. */
    public double trainLossRatio() {
        return trainLossRatio;
    }

    /** The ordered-phase threshold on the cosine between examples. */
    public double collapsedCosine() {
        return collapsedCosine;
    }

    /** The vanishing threshold on the forward ratio after the probe. */
    public double vanishingForward() {
        return vanishingForward;
    }

    /** The frozen-first-layer threshold. */
    public double minFirstMove() {
        return minFirstMove;
    }

    /** Judges the signals; the seed and costs are passed through into the prognosis. */
    public Prognosis judge(ProbeSignals s, long seed, double probeCpuSeconds, double stepCpuSeconds) {
        List<Evidence> judged = new ArrayList<>();
        Prediction p;
        String sentence;
        double nonFinite = s.get(ProbeSignals.NON_FINITE_STEP);
        double perLayer = perLayer(s.get(ProbeSignals.FORWARD_INIT), s.weightedLayers());
        if (nonFinite > 0) {
            judged.add(s.evidence(ProbeSignals.NON_FINITE_STEP, 0));
            p = Prediction.DIVERGES;
            sentence = String.format(
                    Locale.ROOT,
                    "diverges: the loss is not finite at probe step %d (the signal grows x%.3g per layer at init, "
                            + "forward ratio %.3g): lower the learning rate or the init's gain",
                    (int) nonFinite,
                    perLayer,
                    s.get(ProbeSignals.FORWARD_INIT));
        } else if (s.get(ProbeSignals.LOSS_RATIO) <= trainLossRatio) {
            judged.add(s.evidence(ProbeSignals.LOSS_RATIO, trainLossRatio));
            p = Prediction.TRAINS;
            sentence = String.format(
                    Locale.ROOT,
                    "trains: the loss on a fixed batch fell %.0f %% in %d steps",
                    100 * (1 - s.get(ProbeSignals.LOSS_RATIO)),
                    s.steps());
        } else {
            judged.add(s.evidence(ProbeSignals.LOSS_RATIO, trainLossRatio));
            double cosine = s.get(ProbeSignals.COSINE_END);
            double growth = s.get(ProbeSignals.RMS_GROWTH);
            double forward = s.get(ProbeSignals.FORWARD_END);
            double move = s.get(ProbeSignals.FIRST_MOVE);
            if (cosine >= collapsedCosine) {
                judged.add(s.evidence(ProbeSignals.COSINE_END, collapsedCosine));
                p = Prediction.STALLS;
                sentence = String.format(
                        Locale.ROOT,
                        "stalls: the last hidden layer maps every input alike (cosine between examples %.3f after %d "
                                + "steps; forward ratio %.3g at init, x%.3g per layer) and the loss stays flat: the "
                                + "signal is in the ordered phase; use the activation's critical gain "
                                + "(HeInit.critical) or Lsuv.smallSignal()",
                        cosine,
                        s.steps(),
                        s.get(ProbeSignals.FORWARD_INIT),
                        perLayer);
            } else if (forward < vanishingForward) {
                judged.add(s.evidence(ProbeSignals.COSINE_END, collapsedCosine));
                judged.add(s.evidence(ProbeSignals.FORWARD_END, vanishingForward));
                p = Prediction.STALLS;
                sentence = String.format(
                        Locale.ROOT,
                        "stalls: the signal vanishes on its way up once training starts (forward ratio %.3g at init, "
                                + "%.3g after %d steps; last hidden RMS x%.3g): the init sits on an unstable fixed "
                                + "point; use Lsuv.smallSignal() or HeInit.critical",
                        s.get(ProbeSignals.FORWARD_INIT),
                        forward,
                        s.steps(),
                        growth);
            } else if (move < minFirstMove) {
                judged.add(s.evidence(ProbeSignals.COSINE_END, collapsedCosine));
                judged.add(s.evidence(ProbeSignals.FORWARD_END, vanishingForward));
                judged.add(s.evidence(ProbeSignals.FIRST_MOVE, minFirstMove));
                p = Prediction.STALLS;
                sentence = String.format(
                        Locale.ROOT,
                        "stalls: the first layer does not learn (its weights moved %.2g in %d steps) and the loss is "
                                + "flat: the gradient vanishes on its way down; use a larger gain or Lsuv.smallSignal()",
                        move,
                        s.steps());
            } else {
                judged.add(s.evidence(ProbeSignals.COSINE_END, collapsedCosine));
                judged.add(s.evidence(ProbeSignals.FORWARD_END, vanishingForward));
                judged.add(s.evidence(ProbeSignals.FIRST_MOVE, minFirstMove));
                p = Prediction.TRAINS;
                sentence = String.format(
                        Locale.ROOT,
                        "trains after a plateau: the loss is still flat after %d steps, but inputs stay apart at the "
                                + "last hidden layer (cosine %.3f), the signal reaches it (forward ratio %.3g) and the "
                                + "first layer learns (moved %.2g)",
                        s.steps(),
                        cosine,
                        forward,
                        move);
            }
        }
        List<Evidence> all = new ArrayList<>(judged);
        Set<String> seen = new LinkedHashSet<>();
        for (Evidence e : judged) {
            seen.add(e.signal());
        }
        for (String n : s.names()) {
            if (!seen.contains(n)) {
                all.add(s.evidence(n, Double.NaN));
            }
        }
        return new Prognosis(p, all, sentence, seed, s.steps(), probeCpuSeconds, stepCpuSeconds);
    }

    /** Geometric mean factor per layer of a ratio spanning {@code layers − 1} layers. */
    private static double perLayer(double ratio, int layers) {
        return layers > 2 ? Math.pow(ratio, 1.0 / (layers - 2)) : ratio;
    }
}
