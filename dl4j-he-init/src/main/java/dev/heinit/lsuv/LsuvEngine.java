package dev.heinit.lsuv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.OrthogonalInit;
import dev.heinit.internal.dl4j.LayerActivations;
import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.LayerRules;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.lsuv.LsuvException.Reason;
import dev.heinit.stats.TensorStats;

/**
 * One LSUV run over one network: one walk over its {@link NetworkView} (the same for a MultiLayerNetwork and a
 * ComputationGraph), each node forwarded alone on its inputs' cached outputs. Not reusable, not thread-safe.
 */
final class LsuvEngine {

    /** Below this a layer is dead: rescaling by √(target/v) would overflow float weights. */
    static final double MIN_VARIANCE = 1e-30;

    private static final String W = "W";
    private static final String B = "b";
    private static final String WORKSPACE = "LSUV_WORKING_MEM";
    private static final WorkspaceConfiguration WORKSPACE_CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.02)
            .policyLearning(LearningPolicy.OVER_TIME)
            .cyclesBeforeInitialization(2)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    private final Lsuv cfg;
    private final boolean dryRun;
    /**
     * Working memory (im2col buffers …) in one reused workspace, as DL4J's own inference does: allocating it afresh
     * for every single-layer pass doubled the cost. Activations and inputs are plain detached arrays.
     */
    private final LayerWorkspaceMgr mgr;

    private final List<LayerResult> results = new ArrayList<>();

    LsuvEngine(Lsuv cfg, boolean dryRun) {
        this.cfg = cfg;
        this.dryRun = dryRun;
        this.mgr = LayerWorkspaceMgr.builder()
                .defaultNoWorkspace()
                .with(ArrayType.FF_WORKING_MEM, WORKSPACE, WORKSPACE_CONFIG)
                .build();
        this.mgr.setHelperWorkspacePointers(new HashMap<>());
    }

    /**
     * A node of the network in execution order, forwarded alone on its inputs: the outputs of the nodes before it,
     * held until their last consumer has run.
     */
    private final class Unit {
        final int index;
        final String name;
        final Layer layer;
        private final NetworkView.Node node;
        private final GraphVertex vertex; // a graph's runtime vertex for a non-layer node, else null
        private final Map<String, INDArray> outputs;
        private final int batch;
        private INDArray in; // a layer's preprocessed input, reused by every pass of the layer

        Unit(
                int index,
                String name,
                NetworkView.Node node,
                GraphVertex vertex,
                Map<String, INDArray> outputs,
                int batch) {
            this.index = index;
            this.name = name;
            this.layer = node.implementation();
            this.node = node;
            this.vertex = vertex;
            this.outputs = outputs;
            this.batch = batch;
        }

        /** The real forward pass of this node alone, in inference mode, on its current inputs. */
        INDArray forward() {
            if (node.kind() == NetworkView.Kind.INPUT) {
                return outputs.get(node.name());
            }
            if (layer != null) {
                if (in == null) {
                    INDArray x = outputs.get(node.inputs().get(0));
                    in = node.layerInput(x, batch, mgr);
                    if (in.isAttached()) {
                        in = in.detach(); // reused by every pass of this layer: must outlive the scope
                    }
                }
                return layer.activate(in, false, mgr);
            }
            for (int i = 0; i < node.inputs().size(); i++) {
                vertex.setInput(i, outputs.get(node.inputs().get(i)), mgr);
            }
            return vertex.doForward(false, mgr);
        }

        /** Hands the final output to the consumers, and lets go of inputs no later node needs. */
        void publish(INDArray out, Map<String, Integer> pending) {
            in = null;
            if (!node.consumers().isEmpty()) {
                outputs.put(node.name(), out);
                pending.put(node.name(), node.consumers().size());
            }
            for (String i : node.inputs()) {
                if (pending.merge(i, -1, Integer::sum) <= 0) {
                    outputs.remove(i);
                }
            }
        }

        String type() {
            return layer != null
                    ? layer.conf().getLayer().getClass().getSimpleName()
                    : vertex != null ? vertex.getClass().getSimpleName() : "vertex";
        }
    }

    LsuvReport run(MultiLayerNetwork net, INDArray features) {
        if (net == null) {
            throw new IllegalArgumentException("net must not be null");
        }
        if (net.getLayers() == null || net.params() == null) {
            throw new IllegalArgumentException("the network is not initialized: call net.init() first");
        }
        INDArray x = checkBatch(features, net.getLayerWiseConfigurations().getDataType());
        try {
            return walk(NetworkView.of(net), new INDArray[] {x}, null, net.params(), net::clear);
        } finally {
            net.clear();
            destroyWorkspace();
        }
    }

    LsuvReport run(ComputationGraph graph, INDArray... features) {
        if (graph == null) {
            throw new IllegalArgumentException("graph must not be null");
        }
        if (graph.getVertices() == null || graph.params() == null) {
            throw new IllegalArgumentException("the graph is not initialized: call graph.init() first");
        }
        int nIn = graph.getConfiguration().getNetworkInputs().size();
        if (features == null || features.length != nIn) {
            throw new IllegalArgumentException("the graph has " + nIn + " input(s) "
                    + graph.getConfiguration().getNetworkInputs() + ", got "
                    + (features == null ? "null" : features.length + " feature array(s)"));
        }
        DataType dt = graph.getConfiguration().getDataType();
        INDArray[] in = new INDArray[nIn];
        for (int i = 0; i < nIn; i++) {
            in[i] = checkBatch(features[i], dt);
        }
        try {
            return walk(NetworkView.of(graph), in, graph::getVertex, graph.params(), graph::clear);
        } finally {
            graph.clear();
            destroyWorkspace();
        }
    }

    /**
     * The one walk over the network, for a chain and a graph alike: a unit per node in topological order (a
     * chain's input node is not one, a graph's inputs are), each forwarded on its inputs' outputs.
     *
     * @param vertices a graph's runtime vertex by name, or null for a chain
     */
    private LsuvReport walk(
            NetworkView view,
            INDArray[] features,
            Function<String, GraphVertex> vertices,
            INDArray params,
            Runnable clear) {
        int batch = (int) features[0].size(0);
        Map<String, INDArray> outputs = new HashMap<>();
        for (int i = 0; i < features.length; i++) {
            outputs.put(view.networkInputs().get(i), features[i]);
        }
        boolean chain = vertices == null;
        List<Unit> units = new ArrayList<>();
        for (NetworkView.Node n : view.nodes()) {
            if (chain && n.kind() == NetworkView.Kind.INPUT) {
                continue;
            }
            int index = chain ? n.position() - 1 : n.position();
            String name = chain ? n.displayName() : n.name();
            GraphVertex v = chain || n.kind() == NetworkView.Kind.LAYER ? null : vertices.apply(n.name());
            units.add(new Unit(index, name, n, v, outputs, batch));
        }
        return transaction(params, units, batch, clear);
    }

    private static void destroyWorkspace() {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE)) {
            Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(WORKSPACE).destroyWorkspace();
        }
    }

    // ---------------------------------------------------------------- the algorithm

    @SuppressWarnings("try") // the scope only has to be open while the layers run
    private LsuvReport transaction(INDArray params, List<Unit> units, int batch, Runnable clear) {
        INDArray snapshot = params.dup();
        Map<String, Integer> pending = new HashMap<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Unit u : units) {
                u.publish(process(u), pending);
            }
        } catch (RuntimeException | Error e) {
            // Every parameter, including those already finalized, is a view of params: one assign restores all.
            params.assign(snapshot);
            clear.run();
            throw e;
        }
        return new LsuvReport(results, cfg.targetVariance(), cfg.tolerance(), cfg.maxIterations(), batch);
    }

    /** Measures, rescales and records one unit; its final output. */
    private INDArray process(Unit u) {
        String why = unsupported(u.layer);
        if (u.layer == null || why != null || isPassThrough(u.layer)) {
            INDArray out = forward(u);
            double v = variance(u, out, "output", false);
            LayerResult.Status s = why != null ? LayerResult.Status.UNSUPPORTED : LayerResult.Status.PASS_THROUGH;
            results.add(new LayerResult(
                    u.index, u.name, u.type(), s, null, false, 0, v, v, 1.0, true, why != null ? why : "no weights"));
            return out;
        }
        Layer l = u.layer;
        // z exists only where the output is f(z) (LayerActivations); elsewhere the output is measured
        boolean pre = (cfg.measure() == Measure.PRE_ACTIVATION || rule(l).isOutput())
                && LayerActivations.appliesConfiguredActivation(l);
        Measure measured = pre ? Measure.PRE_ACTIVATION : Measure.POST_ACTIVATION;
        INDArray w = l.getParam(W);
        boolean ortho = !dryRun && cfg.orthonormal() && rule(l).lsuvOrthonormal(w.rank());
        if (ortho) {
            INDArray q = OrthogonalInit.orthonormal(w.size(0), w.length() / w.size(0));
            w.assign(q.reshape(w.ordering(), w.shape()).castTo(w.dataType()));
        }
        if (!dryRun && cfg.zeroBiases() && l.paramTable().containsKey(B)) {
            l.getParam(B).assign(0);
        }
        INDArray z = measureForward(u, pre);
        double before = variance(u, z, pre ? "pre-activation" : "output", true);
        double v = before;
        double total = 1.0;
        int it = 0;
        while (!dryRun && !within(v) && it < cfg.maxIterations()) {
            double s = Math.sqrt(cfg.targetVariance() / v);
            w.muli(s);
            total *= s;
            it++;
            z = measureForward(u, pre);
            v = variance(u, z, pre ? "pre-activation" : "output", true);
        }
        boolean converged = within(v);
        if (!converged && cfg.strict() && !dryRun) {
            throw new LsuvException(
                    Reason.NOT_CONVERGED,
                    u.name,
                    String.format(
                            java.util.Locale.ROOT,
                            "variance %.6g after %d rescalings, target %.6g ± %.3g (relative)",
                            v,
                            it,
                            cfg.targetVariance(),
                            cfg.tolerance()),
                    null);
        }
        INDArray out;
        if (!pre) {
            out = z; // the post-activation measurement is the layer's real output
        } else if (LayerActivations.outputIsActivationOf(l, z)) {
            out = LayerActivations.configuredActivation(l).getActivation(z.dup(), false); // f overwrites its input
        } else {
            out = forward(u);
        }
        if (pre) {
            variance(u, out, "output", false); // NaN/∞ check of what the next layer will see
        }
        results.add(new LayerResult(
                u.index,
                u.name,
                u.type(),
                LayerResult.Status.ADJUSTED,
                measured,
                ortho,
                it,
                before,
                v,
                total,
                converged,
                ""));
        return out;
    }

    private boolean within(double v) {
        return Math.abs(v / cfg.targetVariance() - 1.0) < cfg.tolerance();
    }

    @SuppressWarnings("try") // the working-memory scope only has to be open while the layer runs
    private INDArray forward(Unit u) {
        try {
            INDArray out;
            try (MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                out = u.forward();
            }
            // Insurance: an output left in working memory would be overwritten by the next layer's pass.
            return out.isAttached() ? out.detach() : out;
        } catch (LsuvException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LsuvException(
                    Reason.INCOMPATIBLE_BATCH,
                    u.name,
                    "the forward pass of " + u.type() + " failed on the batch: " + e.getMessage(),
                    e);
        }
    }

    /** The pre-activation (activation function swapped for identity while the layer runs) or the output. */
    private INDArray measureForward(Unit u, boolean pre) {
        return pre ? LayerActivations.withIdentityActivation(u.layer, () -> forward(u)) : forward(u);
    }

    /** Population variance in double; throws for NaN/∞ and, for a measurement LSUV rescales, for zero variance. */
    private double variance(Unit u, INDArray a, String what, boolean measured) {
        TensorStats m = TensorStats.of(a);
        if (!finite(m)) {
            throw new LsuvException(
                    Reason.NON_FINITE_OUTPUT,
                    u.name,
                    "the " + what + " of " + u.type() + " contains NaN or infinity",
                    null);
        }
        if (measured && m.variance() < MIN_VARIANCE) {
            throw new LsuvException(
                    Reason.ZERO_VARIANCE,
                    u.name,
                    "the " + what + " of " + u.type()
                            + " has variance " + m.variance()
                            + " on the batch (a dead layer: all inputs zero, or all outputs"
                            + " equal); no rescaling can reach " + cfg.targetVariance(),
                    null);
        }
        return m.variance();
    }

    /** No NaN or ∞ element, and moments that do not overflow double. */
    private static boolean finite(TensorStats m) {
        return m.nonFiniteCount() == 0 && Double.isFinite(m.mean()) && Double.isFinite(m.variance());
    }

    private INDArray checkBatch(INDArray features, DataType networkType) {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        if (features.rank() == 0 || features.size(0) == 0 || features.length() == 0) {
            throw new LsuvException(
                    Reason.EMPTY_BATCH,
                    "batch",
                    "the batch has no examples (shape " + Arrays.toString(features.shape()) + ")",
                    null);
        }
        if (!finite(TensorStats.of(features))) {
            throw new LsuvException(
                    Reason.NON_FINITE_BATCH,
                    "batch",
                    "the batch of shape " + Arrays.toString(features.shape()) + " contains NaN or infinity",
                    null);
        }
        return features.dataType() == networkType ? features : features.castTo(networkType);
    }

    // ---------------------------------------------------------------- layer classification

    /** Null if LSUV can adjust or pass through this layer, else the reason it cannot (its rule says). */
    private static String unsupported(Layer l) {
        return l == null ? null : rule(l).lsuvLeftAlone(l).orElse(null);
    }

    private static boolean isPassThrough(Layer l) {
        return rule(l).lsuvPassesThrough(l.numParams());
    }

    private static LayerRule rule(Layer l) {
        return LayerRules.of(l.conf().getLayer());
    }
}
