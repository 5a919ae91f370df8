package dev.heinit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.IActivation;

import dev.heinit.gain.Gains;
import dev.heinit.gain.PoolingMoments;
import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.PoolTransfer;
import dev.heinit.internal.dl4j.Transfer;
import dev.heinit.internal.dl4j.VertexRule;

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
    static Feed activation(String name, String type, IActivation a, Feed feed, List<InitPlan.Row> rows) {
        try {
            Gains.of(a); // reject softmax and other activations without a gain
            double var = Math.max(feed.forward - feed.mean * feed.mean, 1e-12);
            double[] mo = GaussianMoments.at(a, feed.mean, var);
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
            return new Feed(null, a + "(" + feed.description + ")", mo[1], mo[2], mo[0], feed.caveat);
        } catch (IllegalArgumentException e) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.ASSUMPTION,
                    "activation " + a + " has no gain (" + e.getMessage() + "): output assumed unit second moment"));
            return Feed.unit("unit (after " + a + ")");
        }
    }

    /**
     * y = c·x both ways ({@link Transfer.Kind#SCALE}): every moment scales, the second moments by c². A layer's note
     * (LocalResponseNormalization at init: c = k^−β) becomes a caveat on the next weight's row.
     */
    static Feed scale(String name, String type, Transfer t, Feed feed, boolean layer) {
        double c = t.factor();
        String desc = layer
                ? String.format(Locale.ROOT, "%.4g×%s", c, feed.description)
                : String.format(Locale.ROOT, "%s×%s", c, feed.description);
        String caveat = t.forwardNote() == null
                ? feed.caveat
                : Feed.join(feed.caveat, type + " '" + name + "' " + t.forwardNote());
        return new Feed(null, desc, c * c * feed.forward, c * c * feed.backward, c * feed.mean, caveat);
    }

    /**
     * A pooling layer ({@link Transfer.Kind#POOL}, its rule {@link PoolTransfer}) over windows of n inputs (global
     * pooling: n = H·W, or the sequence length, of its input type), the inputs of a window taken as independent draws of the
     * feeding signal. Max: {@code E[M²]} with {@code M = max_i f(z_i)}, z_i ~ N(0,1), by quadrature
     * ({@link PoolingMoments#max}); a mixture (after a sum, a concatenation) is taken as Gaussian N(m, v), so
     * {@code E[M²] = m² + 2m·√v·E[max Z] + v·E[(max Z)²]}. Average: {@code E[A²] = E[f²]/n + (1 − 1/n)·E[f]²}. On
     * natural images neighbouring values are positively correlated, so the real max grows less (and the real average
     * shrinks less) than modelled; LSUV measures instead of assuming. Sum and p-norm pooling, and a global pool without
     * an input type, are looked through with a caveat.
     */
    static Feed pool(String name, String type, Transfer t, Feed feed, InputType in) {
        PoolTransfer p = t.pooling();
        int k = p.size(in);
        if (k < 1) {
            return feed.withCaveat("looked through " + type + " ('" + name + "'), " + t.forwardNote());
        }
        PoolingMoments m = p.forward(feed.activation, feed.mean, feed.forward, k);
        String desc = String.format(Locale.ROOT, "%spool%d(%s)", p.isMax() ? "max" : "avg", k, feed.description);
        String caveat =
                Feed.join(feed.caveat, type + " '" + name + "': the " + k + " inputs of a window taken as independent");
        return new Feed(null, desc, m.secondMoment(), feed.backward, m.mean(), caveat);
    }

    /** The forward rule of a parameter-free layer's transfer; null for WEIGHTED (the pass configures it). */
    static Feed layer(String name, String type, Transfer t, Feed feed, InputType in, List<InitPlan.Row> rows) {
        switch (t.kind()) {
            case UNSUPPORTED:
                rows.add(InitPlan.Row.note(
                        name,
                        type,
                        InitPlan.Status.UNSUPPORTED,
                        t.forwardNote() + "; output assumed unit second moment"));
                return Feed.unit("unit (after " + type + ")");
            case ACTIVATION:
                return feed.activation != null
                        ? Feed.activate(feed, t.activation())
                        : activation(name, type, t.activation(), feed, rows);
            case NORMALIZE:
                // BN rescales to unit variance (gamma 1, beta 0 at init); DL4J's BN applies no activation function.
                return Feed.of(null);
            case IDENTITY:
                return feed;
            case SCALE:
                return scale(name, type, t, feed, true);
            case POOL:
                return pool(name, type, t, feed, in);
            case LOOKED_THROUGH:
                return feed.withCaveat("looked through " + type + " ('" + name + "'), " + t.forwardNote());
            case WEIGHTED:
                return null;
            default:
                return notModelled(name, type, rows);
        }
    }

    private static Feed notModelled(String name, String type, List<InitPlan.Row> rows) {
        rows.add(InitPlan.Row.note(
                name,
                type,
                InitPlan.Status.ASSUMPTION,
                type + " not modelled: its output is" + " assumed to have unit second moment"));
        return Feed.unit("unit (after " + type + ")");
    }

    static Feed vertex(
            String name,
            String type,
            Transfer t,
            List<String> ins,
            List<Feed> in,
            NetworkView view,
            boolean typesGiven,
            List<InitPlan.Row> rows) {
        switch (t.kind()) {
            case UNSUPPORTED:
                rows.add(InitPlan.Row.note(
                        name,
                        type,
                        InitPlan.Status.UNSUPPORTED,
                        "unsupported vertex " + type + " ('" + name + "'): " + t.forwardNote()
                                + "; output assumed unit second moment"));
                return Feed.unit("unit (after " + type + ")");
            case CONCAT:
                return merge(name, type, ins, in, view, typesGiven, rows);
            case IDENTITY:
                return in.size() == 1 ? in.get(0) : notModelled(name, type, rows);
            case SCALE:
                return scale(name, type, t, in.get(0), false);
            case SUM:
            case SUBTRACT:
            case AVERAGE:
                return sum(name, type, t.kind(), in, rows);
            default:
                return notModelled(name, type, rows);
        }
    }

    /**
     * Independent inputs: E[(Σ±xᵢ)²] = Σ E[xᵢ²] + 2·Σ_{i<j} (±E[xᵢ])(±E[xⱼ]); two ReLU branches give
     * 1/2 + 1/2 + 2·(1/√(2π))² = 1.318, not 1. Average divides by n².
     */
    private static Feed sum(String name, String type, Transfer.Kind op, List<Feed> in, List<InitPlan.Row> rows) {
        double f = 0;
        double b = 0;
        double m = 0;
        String caveat = "";
        List<String> d = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Feed s = in.get(i);
            double sign = op == Transfer.Kind.SUBTRACT && i > 0 ? -1 : 1;
            f += s.forward + 2 * m * sign * s.mean;
            m += sign * s.mean;
            b += s.backward;
            caveat = Feed.join(caveat, s.caveat);
            d.add(s.description);
        }
        int n = in.size();
        boolean average = op == Transfer.Kind.AVERAGE;
        // Add/Subtract pass the full gradient to every input (backward moments averaged over the inputs);
        // Average passes 1/n of it, so each input's gradient second moment is 1/n² of that.
        b /= n;
        if (average) {
            f /= (double) n * n;
            m /= n;
            b /= (double) n * n;
        }
        String desc = (average ? "mean(" : "sum(") + String.join(", ", d) + ")";
        rows.add(InitPlan.Row.note(
                name,
                type,
                InitPlan.Status.ASSUMPTION,
                String.format(
                        Locale.ROOT,
                        "%s: inputs assumed independent, E[x²] = Σ E[xᵢ²] + 2·Σ_{i<j} E[xᵢ]E[xⱼ]%s, E=%.4g, mean %.4g;"
                                + " backward moments averaged%s, E'=%.4g",
                        op == Transfer.Kind.SUM ? "Add" : op == Transfer.Kind.SUBTRACT ? "Subtract" : "Average",
                        average ? ", / n²" : "",
                        f,
                        m,
                        average ? " and / n² (each input gets 1/n of the gradient)" : "",
                        b)));
        return new Feed(null, desc, f, b, m, caveat);
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
            LayerRule rule = n.rule();
            if (rule.nOut() > 0) {
                return rule.nOut();
            }
            return n.inputs().size() == 1 && rule.initSlots().isEmpty()
                    ? channels(view, n.inputs().get(0), depth + 1)
                    : -1;
        }
        Transfer.Kind kind = n.transfer().kind();
        if (kind == Transfer.Kind.CONCAT) {
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
        if (VertexRule.of(n.vertex()).keepsChannels()) {
            return channels(view, n.inputs().get(0), depth + 1);
        }
        return -1;
    }

    private static boolean allSame(List<Feed> in) {
        for (Feed s : in) {
            if (s.activation == null || !s.activation.equals(in.get(0).activation)) {
                return false;
            }
        }
        return !in.isEmpty();
    }

    static Feed merge(
            String name,
            String type,
            List<String> ins,
            List<Feed> in,
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
            caveat = Feed.join(caveat, in.get(i).caveat);
            total += w;
            d.add(in.get(i).description);
        }
        f /= total;
        b /= total;
        m /= total; // the channels' means differ; a later sum's cross term uses their average (an approximation)
        rows.add(InitPlan.Row.note(
                name,
                type,
                InitPlan.Status.ASSUMPTION,
                String.format(Locale.ROOT, "concatenation: second moments averaged %s, E=%.4g, E'=%.4g", by, f, b)));
        return new Feed(null, "concat(" + String.join(", ", d) + ")", f, b, m, caveat);
    }
}
