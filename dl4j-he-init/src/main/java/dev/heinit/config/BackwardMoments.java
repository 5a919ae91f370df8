package dev.heinit.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.nd4j.linalg.activations.IActivation;

import dev.heinit.gain.PoolingMoments;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.PoolTransfer;
import dev.heinit.internal.dl4j.Transfer;

/**
 * The backward side of fan_out and fan_avg (He et al. 2015, eqs. 13–14): for each weighted layer, the second moment
 * {@code E[(∂x_next/∂y)²]} of the derivative from its pre-activation to the inputs of the next weighted layers,
 * found by walking the network's consumers from the layer, over the forward pass's signals.
 *
 * <p>The backward condition Var[Δx_l] = n̂_l·Var[w_l]·E[(Δy_l)²], Δy_l = f_l'(y_l)·Δx_{l+1}, needs the derivative of what
 * lies <em>after</em> the layer, up to the next weighted layers' inputs: its own activation composed with any
 * ActivationLayer or dropout after it (in a chain: E[f'²] of the signal feeding the next weighted layer); a pool
 * routes the gradient ({@link PoolTransfer#backward}: max pooling to each window's argmax, c/n·E[f'(z*)²]; average
 * to all n, c/n²·E[f'²]).
 * A layer whose output feeds several consumers gets the sum of their moments (independent gradients add); add and
 * subtract pass the gradient unchanged, average passes 1/n of it (moment / n²), scale c multiplies it by c², a
 * concatenation hands each input its slice; after a sum an activation's E[g'²] is taken at the sum's moments. The
 * last weighted layer (and any path that reaches a network output) gets 1: the loss follows and its input is taken
 * as linear logits. A path through anything else (SameDiff, product/max vertices, unsupported layers) makes the
 * moment 1 with an ASSUMPTION row; BatchNormalization is looked through with a note (its 1/σ is not modelled).
 * Recurrent weights keep their own activation on both sides (it is what lies after them in time too). The plan's
 * feeding column says {@code out: tanh'} in fan_out mode and {@code in: relu; out: tanh'} in fan_avg mode.
 */
final class BackwardMoments {

    private BackwardMoments() {}

    /** E[(∂x_next/∂y)²] for one weighted layer: what its fan_out condition divides by. */
    static final class Back {
        final double moment;
        final String description;
        final String note;
        final boolean assumed;

        Back(double moment, String description, String note, boolean assumed) {
            this.moment = moment;
            this.description = description;
            this.note = note;
            this.assumed = assumed;
        }
    }

    /** Collects a walk's contributions: the gradient at y is the sum of its consumers' gradients. */
    private static final class Contributions {
        double sum;
        final List<String> terms = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> unknown = new ArrayList<>();
    }

    /**
     * For every weighted node of pass 1: the second moment of the derivative from its pre-activation to the inputs of
     * the next weighted layers, summed over consumers (independent gradients add). Through single-input layers the
     * nonlinearities compose exactly (an ActivationLayer after a layer: E[((g∘f)')²]); at add/subtract the gradient
     * passes unchanged, at average 1/n of it (moment / n²), at scale c (moment · c²), at a concatenation the slice;
     * after a sum an activation's E[g'(x)²] is taken at the sum (Gaussian, independent of the rest). A network output
     * contributes 1: the loss follows, and its input is taken as linear logits.
     */
    static Map<String, Back> of(Map<String, Feed> out, Set<String> weighted, NetworkView view) {
        Map<String, Back> result = new HashMap<>();
        for (String v : weighted) {
            Contributions w = new Contributions();
            walk(v, out.get(v), 1.0, out, weighted, view, w, 0);
            if (!w.unknown.isEmpty()) {
                result.put(
                        v,
                        new Back(
                                1.0,
                                "1 (assumed)",
                                "ASSUMPTION: backward moment taken as 1: the gradient" + " passes through "
                                        + String.join(", ", w.unknown) + ", which the pass does not model",
                                true));
                continue;
            }
            String desc = String.join(" + ", w.terms);
            String note = String.format(
                    Locale.ROOT,
                    "fan_out side: E[(∂x_next/∂y)²] = %.6g = %s (He et al. 2015,"
                            + " eq. 14: derivative from this layer's pre-activation to the next weighted layers' inputs)",
                    w.sum,
                    desc);
            for (String n : w.notes) {
                note = Feed.join(note, n);
            }
            result.put(v, new Back(w.sum, desc, note, false));
        }
        return result;
    }

    private static void walk(
            String u,
            Feed s,
            double factor,
            Map<String, Feed> out,
            Set<String> weighted,
            NetworkView view,
            Contributions w,
            int depth) {
        if (depth > 10_000) {
            w.unknown.add("a path longer than 10000 vertices");
            return;
        }
        // s: the composed nonlinearity since the layer's pre-activation, or null after a sum (then factor holds it all)
        double here = factor * (s == null ? 1.0 : s.backward);
        for (String c : view.node(u).consumers()) {
            if (weighted.contains(c)) {
                w.sum += here;
                w.terms.add(
                        s != null && s.activation != null
                                ? s.description + "'"
                                : String.format(Locale.ROOT, "%.4g (into '%s')", here, c));
                continue;
            }
            NetworkView.Node cn = view.node(c);
            Transfer t = cn.transfer();
            String type = cn.type();
            switch (t.kind()) {
                case ACTIVATION:
                    IActivation g = t.activation();
                    if (s != null && s.activation != null) {
                        walk(c, Feed.activate(s, g), factor, out, weighted, view, w, depth + 1);
                    } else {
                        // pass 1 took E[g'(x)²] at the mixed input's moments when what fed c was mixed
                        Feed fed = out.get(u);
                        Feed after = out.get(c);
                        double rel = fed != null && fed.activation == null && after != null
                                ? after.backward
                                : Feed.lenient(g).backward;
                        walk(c, null, here * rel, out, weighted, view, w, depth + 1);
                    }
                    break;
                case NORMALIZE:
                    w.notes.add(type + " '" + c + "' between: " + t.backwardNote());
                    walk(c, s, factor, out, weighted, view, w, depth + 1);
                    break;
                case SCALE:
                    double k = t.factor();
                    if (t.backwardNote() != null) {
                        w.notes.add(String.format(
                                Locale.ROOT, "%s '%s' between: gradient second moment ×k^−2β = %.4g", type, c, k * k));
                    }
                    walk(c, null, here * k * k, out, weighted, view, w, depth + 1);
                    break;
                case POOL:
                    PoolTransfer p = t.pooling();
                    int window = p.size(cn.inputType());
                    if (window > 0) {
                        // the derivative since the pre-activation is taken where the gradient lands (max: the argmax)
                        boolean own = s != null && s.activation != null;
                        PoolingMoments at = p.forward(own ? s.activation : null, 0, 1, window);
                        w.notes.add(type + " '" + c + "' between: " + p.backwardDescription(window, at));
                        walk(
                                c,
                                null,
                                (own ? factor : here) * p.backward(at, window),
                                out,
                                weighted,
                                view,
                                w,
                                depth + 1);
                        break;
                    }
                // sum and p-norm pooling, or a global pool of unknown size: looked through
                case LOOKED_THROUGH:
                    if (t.backwardNote() != null) {
                        w.notes.add("looked through " + type + " ('" + c + "'), gradient moment assumed unchanged"
                                + t.backwardNote());
                    }
                    walk(c, s, factor, out, weighted, view, w, depth + 1);
                    break;
                case IDENTITY:
                case CONCAT:
                    // dropout and shape-only nodes pass the gradient; a concatenation hands each input its slice
                    walk(c, s, factor, out, weighted, view, w, depth + 1);
                    break;
                case SUM:
                case SUBTRACT:
                    walk(c, null, here, out, weighted, view, w, depth + 1);
                    break;
                case AVERAGE:
                    double n = cn.inputs().size();
                    walk(c, null, here / (n * n), out, weighted, view, w, depth + 1);
                    break;
                default:
                    w.unknown.add(type + " '" + c + "'");
            }
        }
        if (view.networkOutputs().contains(u)) {
            w.sum += factor;
            w.terms.add(
                    depth == 0
                            ? "1 (last weighted layer: the loss follows, logits taken as linear)"
                            : "1 (network output '" + u + "': the loss follows, taken as linear)");
        }
    }
}
