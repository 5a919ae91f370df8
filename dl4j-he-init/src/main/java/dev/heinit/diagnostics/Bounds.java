package dev.heinit.diagnostics;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.internal.dl4j.ActivationKey;

/**
 * The output range of a bounded activation, and which of its bounds count as saturation.
 *
 * <p>Rule: a bound counts unless it is a <em>floor</em>, the exact value of f on the whole half-line
 * z ≤ 0 (ReLU, ReLU capped at 6, thresholded ReLU: f = 0 there). Outputs at a floor are inactive units, not
 * saturated ones: they are what the dead-unit statistics measure, and about half of any healthy ReLU layer's
 * outputs sit there. Bounds approached asymptotically (sigmoid, tanh) or reached by clipping away from 0
 * (HardTanh's −1 for z ≤ −1, a capped ReLU's maximum) count.
 */
final class Bounds {

    private static final double PROBE_NEAR = 1e3;
    private static final double PROBE_FAR = 1e4;

    final double lower;
    final double upper;
    final boolean lowerIsFloor;

    Bounds(double lower, double upper, boolean lowerIsFloor) {
        this.lower = lower;
        this.upper = upper;
        this.lowerIsFloor = lowerIsFloor;
    }

    /** Outputs at or below this are saturated low (−∞ if the lower bound is a floor). */
    double lowThreshold(double margin) {
        return lowerIsFloor ? Double.NEGATIVE_INFINITY : lower + margin * (upper - lower);
    }

    /** Outputs at or above this are saturated high. */
    double highThreshold(double margin) {
        return upper - margin * (upper - lower);
    }

    /** Bounds per activation configuration ({@link ActivationKey}: toString() omits parameters, e.g. ReLU's max). */
    private static final Map<ActivationKey, Bounds> BOUNDS = new ConcurrentHashMap<>();

    private static final Bounds UNBOUNDED = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);

    /**
     * The activation's finite, distinct limits at ±∞ (probed at ±1e3, ±1e4), else null. Cached by the
     * activation's JSON; an activation that does not serialize is probed every time rather than cached under a
     * key it might share with a differently configured one.
     */
    static Bounds of(IActivation act) {
        Optional<ActivationKey> key = ActivationKey.of(act);
        Bounds cached = key.map(BOUNDS::get).orElse(null);
        if (cached == null) {
            cached = probeBounds(act);
            if (key.isPresent()) {
                BOUNDS.putIfAbsent(key.get(), cached);
            }
        }
        return cached == UNBOUNDED ? null : cached;
    }

    private static Bounds probeBounds(IActivation act) {
        double loFar = probe(act, -PROBE_FAR);
        double loNear = probe(act, -PROBE_NEAR);
        double hiFar = probe(act, PROBE_FAR);
        double hiNear = probe(act, PROBE_NEAR);
        if (Double.isFinite(loFar) && Double.isFinite(hiFar) && hiFar > loFar) {
            double tol = 1e-3 * (hiFar - loFar);
            if (Math.abs(loFar - loNear) <= tol && Math.abs(hiFar - hiNear) <= tol) {
                // exactly the lower limit from −1e4 up to just below 0: a floor (see Bounds)
                boolean floor = loNear == loFar && probe(act, -1.0) == loFar && probe(act, -1e-6) == loFar;
                return new Bounds(loFar, hiFar, floor);
            }
        }
        return UNBOUNDED;
    }

    @SuppressWarnings("try") // the scope only detaches allocations from any open workspace
    private static double probe(IActivation act, double x) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray in = Nd4j.create(new double[] {x}, new long[] {1, 1}, 'c');
            return act.getActivation(in, false).getDouble(0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
