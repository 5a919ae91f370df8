package dev.heinit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.nd4j.linalg.activations.IActivation;

import dev.heinit.dl4j.LayerCatalog;
import dev.heinit.dl4j.NetworkView;
import dev.heinit.gain.Gains;

/**
 * The forward moment algebra of the configuration pass: what a graph vertex or an ActivationLayer makes of the
 * signals feeding it. Independent inputs of a sum: {@code E[(Σ±xᵢ)²] = Σ E[xᵢ²] + 2·Σ_{i<j} (±E[xᵢ])(±E[xⱼ])}
 * (two ReLU branches: 1.318, not 1); average divides by n²; scale c multiplies by c²; a concatenation averages
 * its inputs' moments weighted by their sizes (equally without input types); shape-only vertices pass the signal
 * through; an activation after a mixture takes the mixture as Gaussian. Anything else is assumed to give unit
 * second moment, with an ASSUMPTION row.
 */
final class ForwardMoments {

    private ForwardMoments() {}

    /**
     * An ActivationLayer g after a mixed signal (a sum, a concatenation) of mean m and second moment q: the mixture
     * is taken as Gaussian N(m, q − m²), giving E[g], E[g²], E[g'²] at those moments; the row says so.
     */
    static Signal activation(String name, String type, IActivation a, Signal feed, List<InitPlan.Row> rows) {
        try {
            Gains.of(a); // reject softmax and other activations without a gain
            double var = Math.max(feed.forward - feed.mean * feed.mean, 1e-12);
            double[] mo = Moments.at(a, feed.mean, var);
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.ASSUMPTION,
                    String.format(
                            Locale.ROOT,
                            "activation %s applied to a mixed signal of mean %.4g and second moment %.4g, taken as"
                                    + " Gaussian: E[f]=%.4g, E[f²]=%.4g, E[f'²]=%.4g",
                            a,
                            feed.mean,
                            feed.forward,
                            mo[0],
                            mo[1],
                            mo[2])));
            return new Signal(null, a + "(" + feed.description + ")", mo[1], mo[2], mo[0], feed.caveat);
        } catch (IllegalArgumentException e) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.ASSUMPTION,
                    "activation " + a + " has no gain (" + e.getMessage() + "): output assumed unit second moment"));
            return Signal.unit("unit (after " + a + ")");
        }
    }

    /**
     * DL4J's LocalResponseNormalization {@code y = x / (k + α·Σ_{n neighbours} x²)^β}: at init α·Σx² ≪ k (α 1e-4 by
     * default), so {@code y ≈ x·k^−β}: every moment scales, the second moments by {@code k^−2β} (DL4J's defaults
     * k 2, β 0.75: ×0.354, RMS ×0.594, as measured in AlexNet). The caveat says so on the next weight's row.
     */
    static Signal localResponseNormalization(String name, LocalResponseNormalization lrn, Signal feed) {
        double c = Math.pow(lrn.getK(), -lrn.getBeta());
        String note = String.format(
                Locale.ROOT,
                "LocalResponseNormalization '%s' taken as x·k^−β = x·%.4g (k %s, β %s;"
                        + " its α·Σx² term, α %s, neglected at init): second moments ×%.4g",
                name,
                c,
                lrn.getK(),
                lrn.getBeta(),
                lrn.getAlpha(),
                c * c);
        return new Signal(
                null,
                String.format(Locale.ROOT, "%.4g×%s", c, feed.description),
                c * c * feed.forward,
                c * c * feed.backward,
                c * feed.mean,
                Signal.join(feed.caveat, note));
    }

    /** The plan's words for a parameter-free layer the pass looks through with its moments unchanged. */
    static String lookedThrough(Layer layer) {
        Optional<PoolingType> pooling = LayerCatalog.pooling(layer);
        if (pooling.isPresent() && pooling.get() == PoolingType.MAX) {
            return "moments taken as unchanged, but max pooling raises the second moment (the largest of each"
                    + " window; RMS ×1.5 per 2×2 pool of ReLU maps measured in VGG16): not modelled, the gains"
                    + " after it are too large";
        }
        if (pooling.isPresent() && pooling.get() == PoolingType.AVG) {
            return "moments taken as unchanged, but average pooling lowers the second moment of positive,"
                    + " correlated maps (global average pooling of ReLU maps): not modelled";
        }
        if (pooling.isPresent()) {
            return "moments taken as unchanged, but " + pooling.get() + " pooling changes them: not modelled";
        }
        if (LayerCatalog.isZeroPadding(layer)) {
            return "moments taken as unchanged, but the zero border lowers the second moment by the padded"
                    + " fraction: not modelled";
        }
        return "moments assumed unchanged";
    }

    static Signal vertex(
            String name,
            GraphVertex gv,
            List<String> ins,
            List<Signal> in,
            NetworkView view,
            boolean typesGiven,
            List<InitPlan.Row> rows) {
        String type = gv.getClass().getSimpleName();
        if (gv instanceof SameDiffVertex && !(gv instanceof SameDiffLambdaVertex)) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.UNSUPPORTED,
                    "unsupported vertex " + type + " ('"
                            + name
                            + "'): a SameDiff vertex, DL4J never passes its weights to a custom IWeightInit; output"
                            + " assumed unit second moment"));
            return Signal.unit("unit (after " + type + ")");
        }
        if (gv instanceof MergeVertex) {
            return merge(name, ins, in, view, typesGiven, rows);
        }
        if (in.size() == 1
                && (gv instanceof PreprocessorVertex
                        || gv instanceof ReshapeVertex
                        || gv instanceof SubsetVertex
                        || gv instanceof LastTimeStepVertex
                        || gv instanceof DuplicateToTimeSeriesVertex
                        || gv instanceof ReverseTimeSeriesVertex)) {
            return in.get(0);
        }
        if ((gv instanceof StackVertex || gv instanceof UnstackVertex) && allSame(in)) {
            return in.get(0);
        }
        if (gv instanceof ScaleVertex) {
            double c = ((ScaleVertex) gv).getScaleFactor();
            Signal s = in.get(0);
            return new Signal(
                    null,
                    String.format(Locale.ROOT, "%s×%s", c, s.description),
                    c * c * s.forward,
                    c * c * s.backward,
                    c * s.mean,
                    s.caveat);
        }
        if (gv instanceof ElementWiseVertex) {
            ElementWiseVertex.Op op = ((ElementWiseVertex) gv).getOp();
            if (op == ElementWiseVertex.Op.Add
                    || op == ElementWiseVertex.Op.Subtract
                    || op == ElementWiseVertex.Op.Average) {
                // Independent inputs: E[(Σ±xᵢ)²] = Σ E[xᵢ²] + 2·Σ_{i<j} (±E[xᵢ])(±E[xⱼ]); two ReLU branches give
                // 1/2 + 1/2 + 2·(1/√(2π))² = 1.318, not 1.
                double f = 0;
                double b = 0;
                double m = 0;
                String caveat = "";
                List<String> d = new ArrayList<>();
                for (int i = 0; i < in.size(); i++) {
                    Signal s = in.get(i);
                    double sign = op == ElementWiseVertex.Op.Subtract && i > 0 ? -1 : 1;
                    f += s.forward + 2 * m * sign * s.mean;
                    m += sign * s.mean;
                    b += s.backward;
                    caveat = Signal.join(caveat, s.caveat);
                    d.add(s.description);
                }
                int n = in.size();
                // Add/Subtract pass the full gradient to every input (backward moments averaged over the inputs);
                // Average passes 1/n of it, so each input's gradient second moment is 1/n² of that.
                b /= n;
                if (op == ElementWiseVertex.Op.Average) {
                    f /= (double) n * n;
                    m /= n;
                    b /= (double) n * n;
                }
                String desc = (op == ElementWiseVertex.Op.Average ? "mean(" : "sum(") + String.join(", ", d) + ")";
                rows.add(InitPlan.Row.note(
                        name,
                        type,
                        InitPlan.Status.ASSUMPTION,
                        String.format(
                                Locale.ROOT,
                                "%s: inputs assumed independent, E[x²] = Σ E[xᵢ²] + 2·Σ_{i<j} E[xᵢ]E[xⱼ]%s, E=%.4g, mean %.4g;"
                                        + " backward moments averaged%s, E'=%.4g",
                                op,
                                op == ElementWiseVertex.Op.Average ? ", / n²" : "",
                                f,
                                m,
                                op == ElementWiseVertex.Op.Average
                                        ? " and / n² (each input gets 1/n of the gradient)"
                                        : "",
                                b)));
                return new Signal(null, desc, f, b, m, caveat);
            }
        }
        rows.add(InitPlan.Row.note(
                name,
                type,
                InitPlan.Status.ASSUMPTION,
                type + " not modelled: its output is" + " assumed to have unit second moment"));
        return Signal.unit("unit (after " + type + ")");
    }

    /**
     * The channel count of a node's output from the built configuration: a layer's nOut; through single-input
     * layers without one (activation, dropout, pooling) and shape-preserving vertices to their input; a merge's
     * sum. -1 if unknown.
     */
    static long channels(NetworkView view, String name, int depth) {
        NetworkView.Node n = view.node(name);
        if (depth > 1000 || n.kind() == NetworkView.Kind.INPUT) {
            return -1;
        }
        if (n.kind() == NetworkView.Kind.LAYER) {
            Layer l = n.unwrappedLayer();
            if (l instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer
                    && ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) l).getNOut() > 0) {
                return ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) l).getNOut();
            }
            return n.inputs().size() == 1
                            && !LayerCatalog.baseLayers(l).iterator().hasNext()
                    ? channels(view, n.inputs().get(0), depth + 1)
                    : -1;
        }
        GraphVertex gv = n.vertex();
        if (gv instanceof MergeVertex) {
            long sum = 0;
            for (String in : n.inputs()) {
                long c = channels(view, in, depth + 1);
                if (c <= 0) {
                    return -1;
                }
                sum += c;
            }
            return sum;
        }
        if (gv instanceof ElementWiseVertex || gv instanceof ScaleVertex) {
            return channels(view, n.inputs().get(0), depth + 1);
        }
        return -1;
    }

    private static boolean allSame(List<Signal> in) {
        for (Signal s : in) {
            if (s.activation == null || !s.activation.equals(in.get(0).activation)) {
                return false;
            }
        }
        return !in.isEmpty();
    }

    static Signal merge(
            String name,
            List<String> ins,
            List<Signal> in,
            NetworkView view,
            boolean typesGiven,
            List<InitPlan.Row> rows) {
        if (allSame(in)) {
            return in.get(0);
        }
        // Weights: the inputs' sizes when input types are known, else their channel counts (nOut, known from the
        // built configuration), else equal.
        double[] weights = new double[in.size()];
        String by = typesGiven ? "by input size" : "by channel count (nOut)";
        for (int i = 0; i < in.size() && by != null; i++) {
            if (typesGiven) {
                InputType t = view.node(ins.get(i)).outputType();
                weights[i] = t == null ? -1 : t.arrayElementsPerExample();
            } else {
                weights[i] = channels(view, ins.get(i), 0);
            }
            if (!(weights[i] > 0)) {
                by = null;
            }
        }
        if (by == null) {
            java.util.Arrays.fill(weights, 1.0);
            by = "with equal weights ("
                    + (typesGiven
                            ? "an input's size is unknown"
                            : "no input types given, an" + " input's channel count unknown")
                    + ")";
        }
        double f = 0;
        double b = 0;
        double m = 0;
        double total = 0;
        String caveat = "";
        List<String> d = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            double w = weights[i];
            f += w * in.get(i).forward;
            b += w * in.get(i).backward;
            m += w * in.get(i).mean;
            caveat = Signal.join(caveat, in.get(i).caveat);
            total += w;
            d.add(in.get(i).description);
        }
        f /= total;
        b /= total;
        m /= total; // the channels' means differ; a later sum's cross term uses their average (an approximation)
        rows.add(InitPlan.Row.note(
                name,
                "MergeVertex",
                InitPlan.Status.ASSUMPTION,
                String.format(Locale.ROOT, "concatenation: second moments averaged %s, E=%.4g, E'=%.4g", by, f, b)));
        return new Signal(null, "concat(" + String.join(", ", d) + ")", f, b, m, caveat);
    }
}
