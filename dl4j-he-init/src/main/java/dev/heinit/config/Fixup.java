package dev.heinit.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;

import dev.heinit.internal.dl4j.InitSlot;
import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.Transfer;

/**
 * Fixup's residual scaling (Zhang, Dauphin &amp; Ma 2019, "Fixup initialization: residual learning without
 * normalization", rules 2–3): in a net of L residual branches with m weight layers each, the last weight layer of
 * every branch starts at zero, and the branch's other m − 1 weight layers keep their init (He's) multiplied by
 * {@code L^(−1/(2m−2))}; optionally the classifier (every output layer) starts at zero too. A branch then adds
 * {@code O(1/L)} to the signal's variance instead of {@code O(1)}, and nets of 1,000 and more layers train
 * without normalization. (Fixup's scalar biases and multipliers are not added: the plain rule already trains.)
 *
 * <p>Branches are read from a built {@link ComputationGraphConfiguration}, as users build residual nets: an
 * {@code ElementWiseVertex} {@code Add} of two inputs whose single-input chains meet at one vertex, one of them
 * without weight layers (the identity shortcut), the other with m ≥ 2 weight layers (the branch). m is counted per
 * branch. The input configuration is never modified: the result holds a copy and one {@link Row} per weight layer
 * changed.
 */
public final class Fixup {

    /** What Fixup did to a layer. */
    public enum Role {
        /** A non-final branch layer: its init scaled by {@code L^(−1/(2m−2))}. */
        SCALED,
        /** The final weight layer of a branch: zero weights. */
        ZERO_LAST,
        /** An output layer: zero weights (only with {@link #zeroClassifier(boolean)} true). */
        ZERO_CLASSIFIER
    }

    /** One changed layer. */
    public static final class Row {
        private final String layer;
        private final String branch;
        private final Role role;
        private final int m;
        private final int l;
        private final double factor;
        private final IWeightInit init;

        Row(String layer, String branch, Role role, int m, int l, double factor, IWeightInit init) {
            this.layer = layer;
            this.branch = branch;
            this.role = role;
            this.m = m;
            this.l = l;
            this.factor = factor;
            this.init = init;
        }

        /** The vertex name of the layer. */
        public String layer() {
            return layer;
        }

        /** The Add vertex ending its branch (empty for the classifier). */
        public String branch() {
            return branch;
        }

        /** What was done. */
        public Role role() {
            return role;
        }

        /** Weight layers in its branch (0 for the classifier). */
        public int m() {
            return m;
        }

        /** Residual branches in the net. */
        public int l() {
            return l;
        }

        /** The multiplier of the layer's std: {@code L^(−1/(2m−2))}, or 0 for a zeroed layer. */
        public double factor() {
            return factor;
        }

        /** The init the layer now has. */
        public IWeightInit init() {
            return init;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT, "%s\t%s\t%s\tm=%d\tL=%d\tfactor=%.6g\t%s", layer, branch, role, m, l, factor, init);
        }
    }

    /** The result of {@link #apply}: a copy of the input with Fixup's inits set, and its rows (branch by branch, in the configuration's vertex order). */
    public static final class Result {
        private final ComputationGraphConfiguration conf;
        private final List<Row> rows;
        private final int branches;

        Result(ComputationGraphConfiguration conf, List<Row> rows, int branches) {
            this.conf = conf;
            this.rows = rows;
            this.branches = branches;
        }

        /** The configured copy. */
        public ComputationGraphConfiguration conf() {
            return conf;
        }

        /** One row per changed layer. */
        public List<Row> rows() {
            return rows;
        }

        /** L, the number of residual branches found. */
        public int branches() {
            return branches;
        }

        /** Rows as tab-separated lines under a header. */
        public String toText() {
            StringBuilder sb = new StringBuilder("layer\tbranch\trole\tm\tL\tfactor\tinit\n");
            rows.forEach(r -> sb.append(r).append('\n'));
            return sb.toString();
        }
    }

    private final boolean zeroClassifier;

    private Fixup(boolean zeroClassifier) {
        this.zeroClassifier = zeroClassifier;
    }

    /** Fixup as published: branches scaled and zero-ended, classifier zeroed. */
    public static Fixup defaults() {
        return new Fixup(true);
    }

    /** A copy that zeroes the output layers' weights ({@code true}, the published rule) or keeps their init. */
    public Fixup zeroClassifier(boolean zero) {
        return new Fixup(zero);
    }

    /** Whether output layers are zeroed. */
    public boolean zeroesClassifier() {
        return zeroClassifier;
    }

    /** Fixup's factor {@code L^(−1/(2m−2))} for L branches of m ≥ 2 weight layers. */
    public static double factor(int l, int m) {
        if (l < 1 || m < 2) {
            throw new IllegalArgumentException(
                    "Fixup's factor needs L >= 1 branches of m >= 2 weight layers, got L = " + l + ", m = " + m);
        }
        return Math.pow(l, -1.0 / (2 * m - 2));
    }

    /**
     * Finds the residual branches of {@code conf} and returns a copy with Fixup's inits.
     *
     * @throws IllegalArgumentException if conf is null or has no residual branch; naming the vertex or layer, if a
     *                                  branch has fewer than 2 weight layers, a normalization layer (Fixup replaces
     *                                  normalization), a non-identity shortcut, or a weight layer without an init
     */
    public Result apply(ComputationGraphConfiguration conf) {
        if (conf == null) {
            throw new IllegalArgumentException("configuration must be a built ComputationGraphConfiguration, got null");
        }
        // A JSON round trip, not clone(): DL4J's clone() shares nested layers.
        ComputationGraphConfiguration out = ComputationGraphConfiguration.fromJson(conf.toJson());
        NetworkView view = NetworkView.of(out);
        List<String> adds = new ArrayList<>();
        List<List<String>> branches = new ArrayList<>();
        for (NetworkView.Node node : view.nodes()) {
            List<String> branch = branch(view, node);
            if (branch != null) {
                adds.add(node.name());
                branches.add(branch);
            }
        }
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("no residual branches found: Fixup needs identity-shortcut blocks ending"
                    + " in an ElementWiseVertex Add (x + branch(x)) in a ComputationGraph");
        }
        int l = branches.size();
        List<Row> rows = new ArrayList<>();
        for (int b = 0; b < l; b++) {
            List<String> layers = branches.get(b);
            int m = layers.size();
            double f = factor(l, m);
            for (int i = 0; i < m; i++) {
                InitSlot slot = slot(view, layers.get(i));
                boolean last = i == m - 1;
                IWeightInit init = last ? new WeightInitConstant(0.0) : new ScaledInit(slot.weightInit(), f);
                slot.setWeightInit(init);
                rows.add(new Row(
                        layers.get(i), adds.get(b), last ? Role.ZERO_LAST : Role.SCALED, m, l, last ? 0 : f, init));
            }
        }
        if (zeroClassifier) {
            for (String o : view.networkOutputs()) {
                LayerRule rule = view.node(o).rule();
                if (rule != null && !rule.initSlots().isEmpty()) {
                    InitSlot slot = rule.initSlots().get(0);
                    slot.setWeightInit(new WeightInitConstant(0.0));
                    rows.add(new Row(o, "", Role.ZERO_CLASSIFIER, 0, l, 0, slot.weightInit()));
                }
            }
        }
        return new Result(out, Collections.unmodifiableList(rows), l);
    }

    /** The weight layers (in forward order) of the branch ending at {@code add}, or null if it is no Add of two. */
    private static List<String> branch(NetworkView view, NetworkView.Node add) {
        List<String> in = add.inputs();
        if (add.kind() != NetworkView.Kind.VERTEX || add.transfer().kind() != Transfer.Kind.SUM || in.size() != 2) {
            return null;
        }
        List<String> a = chain(view, in.get(0));
        List<String> b = chain(view, in.get(1));
        Set<String> inB = new HashSet<>(b);
        int meetA = -1;
        for (int i = 0; i < a.size() && meetA < 0; i++) {
            if (inB.contains(a.get(i))) {
                meetA = i;
            }
        }
        if (meetA < 0) {
            throw new IllegalArgumentException("Add vertex '" + add.name() + "': its inputs " + in
                    + " do not branch from one vertex, so it is not a residual block x + branch(x)");
        }
        List<String> pathA = weightLayers(view, a.subList(0, meetA));
        List<String> pathB = weightLayers(view, b.subList(0, b.indexOf(a.get(meetA))));
        if (!pathA.isEmpty() && !pathB.isEmpty()) {
            throw new IllegalArgumentException("Add vertex '" + add.name() + "': both inputs have weight layers ("
                    + pathA + " and " + pathB + "); Fixup needs an identity shortcut");
        }
        List<String> branch = pathA.isEmpty() ? pathB : pathA;
        if (branch.size() < 2) {
            throw new IllegalArgumentException("Add vertex '" + add.name() + "': its branch has " + branch.size()
                    + " weight layer(s) " + branch + "; Fixup's L^(-1/(2m-2)) needs m >= 2");
        }
        Collections.reverse(branch);
        return branch;
    }

    /** {@code start} and its ancestors through single-input vertices, nearest first. */
    private static List<String> chain(NetworkView view, String start) {
        List<String> c = new ArrayList<>();
        String cur = start;
        c.add(cur);
        while (view.node(cur).kind() != NetworkView.Kind.INPUT) {
            List<String> in = view.node(cur).inputs();
            if (in.size() != 1) {
                break;
            }
            cur = in.get(0);
            c.add(cur);
        }
        return c;
    }

    /** The layers with an init slot on {@code path}; a normalization layer on it is an error. */
    private static List<String> weightLayers(NetworkView view, List<String> path) {
        List<String> w = new ArrayList<>();
        for (String name : path) {
            LayerRule rule = view.node(name).rule();
            if (rule == null) {
                continue;
            }
            if (rule.transfer().kind() == Transfer.Kind.NORMALIZE) {
                throw new IllegalArgumentException("layer '" + name + "' is a " + rule.type() + " inside a residual"
                        + " branch; Fixup is for residual nets without normalization");
            }
            if (!rule.initSlots().isEmpty()) {
                w.add(name);
            }
        }
        return w;
    }

    private static InitSlot slot(NetworkView view, String name) {
        InitSlot slot = view.node(name).rule().initSlots().get(0);
        if (slot.weightInit() == null) {
            throw new IllegalArgumentException("layer '" + name + "' has no weight init to scale");
        }
        return slot;
    }

    @Override
    public String toString() {
        return "Fixup(zeroClassifier=" + zeroClassifier + ")";
    }
}
