package dev.heinit.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.nd4j.linalg.activations.IActivation;

import dev.heinit.dl4j.LayerCatalog;
import dev.heinit.dl4j.NetworkView;

/**
 * The backward side of fan_out and fan_avg (He et al. 2015, eqs. 13–14): for each weighted layer, the second moment
 * {@code E[(∂x_next/∂y)²]} of the derivative from its pre-activation to the inputs of the next weighted layers,
 * found by walking the network's consumers from the layer, over the forward pass's signals.
 *
 * <p>The backward condition Var[Δx_l] = n̂_l·Var[w_l]·E[(Δy_l)²], Δy_l = f_l'(y_l)·Δx_{l+1}, needs the derivative of what
 * lies <em>after</em> the layer, up to the next weighted layers' inputs: its own activation composed with any
 * ActivationLayer, dropout or pooling after it (in a chain: E[f'²] of the signal feeding the next weighted layer).
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
    private static final class Walk {
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
    static Map<String, Back> of(Map<String, Signal> out, Set<String> weighted, NetworkView view) {
        Map<String, Back> result = new HashMap<>();
        for (String v : weighted) {
            Walk w = new Walk();
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
                note = Signal.join(note, n);
            }
            result.put(v, new Back(w.sum, desc, note, false));
        }
        return result;
    }

    private static void walk(
            String u,
            Signal s,
            double factor,
            Map<String, Signal> out,
            Set<String> weighted,
            NetworkView view,
            Walk w,
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
            Layer l = cn.kind() == NetworkView.Kind.LAYER ? cn.layer() : null;
            if (l != null) {
                if (l instanceof ActivationLayer) {
                    IActivation g = ((ActivationLayer) l).getActivationFn();
                    if (s != null && s.activation != null) {
                        walk(c, Signal.activate(s, g), factor, out, weighted, view, w, depth + 1);
                    } else {
                        // pass 1 took E[g'(x)²] at the mixed input's moments when what fed c was mixed
                        Signal fed = out.get(u);
                        Signal after = out.get(c);
                        double rel = fed != null && fed.activation == null && after != null
                                ? after.backward
                                : Signal.lenient(g).backward;
                        walk(c, null, here * rel, out, weighted, view, w, depth + 1);
                    }
                } else if (l instanceof BatchNormalization) {
                    w.notes.add("BatchNormalization '" + c + "' between: its 1/σ scaling of the gradient is not"
                            + " modelled");
                    walk(c, s, factor, out, weighted, view, w, depth + 1);
                } else if (LayerCatalog.unwrap(l) instanceof LocalResponseNormalization) {
                    // y ≈ x·k^−β at init (see ForwardMoments): the gradient scales by the same factor
                    LocalResponseNormalization lrn = (LocalResponseNormalization) LayerCatalog.unwrap(l);
                    double c2 = Math.pow(lrn.getK(), -2 * lrn.getBeta());
                    w.notes.add(String.format(
                            Locale.ROOT,
                            "LocalResponseNormalization '%s' between: gradient" + " second moment ×k^−2β = %.4g",
                            c,
                            c2));
                    walk(c, null, here * c2, out, weighted, view, w, depth + 1);
                } else if (LayerCatalog.unsupportedReason(l).isPresent() || hasParams(l)) {
                    w.unknown.add(l.getClass().getSimpleName() + " '" + c + "'");
                } else {
                    // dropout (the identity in expectation), pooling, a loss layer …: looked through
                    if (!(l instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer)
                            && !LayerCatalog.isOutputLayer(l)) {
                        w.notes.add("looked through " + l.getClass().getSimpleName() + " ('" + c + "'), gradient"
                                + " moment assumed unchanged"
                                + (LayerCatalog.pooling(l).isPresent()
                                        ? " (" + LayerCatalog.pooling(l).get()
                                                + " pooling routes it to some inputs: not" + " modelled)"
                                        : ""));
                    }
                    walk(c, s, factor, out, weighted, view, w, depth + 1);
                }
                continue;
            }
            GraphVertex gv = cn.kind() == NetworkView.Kind.VERTEX ? cn.vertex() : null;
            if (gv instanceof MergeVertex
                    || gv instanceof PreprocessorVertex
                    || gv instanceof ReshapeVertex
                    || gv instanceof ReverseTimeSeriesVertex) {
                // a concatenation hands each input its own slice of the gradient
                walk(c, s, factor, out, weighted, view, w, depth + 1);
            } else if (gv instanceof ScaleVertex) {
                double k = ((ScaleVertex) gv).getScaleFactor();
                walk(c, null, here * k * k, out, weighted, view, w, depth + 1);
            } else if (gv instanceof ElementWiseVertex && isSum(((ElementWiseVertex) gv).getOp())) {
                double n = cn.inputs().size();
                // add/subtract pass the gradient (±) unchanged; average passes 1/n of it
                double k = ((ElementWiseVertex) gv).getOp() == ElementWiseVertex.Op.Average ? 1.0 / (n * n) : 1.0;
                walk(c, null, here * k, out, weighted, view, w, depth + 1);
            } else {
                w.unknown.add((gv == null ? "vertex" : gv.getClass().getSimpleName()) + " '" + c + "'");
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

    private static boolean isSum(ElementWiseVertex.Op op) {
        return op == ElementWiseVertex.Op.Add
                || op == ElementWiseVertex.Op.Subtract
                || op == ElementWiseVertex.Op.Average;
    }

    private static boolean hasParams(Layer l) {
        try {
            return l.initializer().numParams(l) > 0;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
