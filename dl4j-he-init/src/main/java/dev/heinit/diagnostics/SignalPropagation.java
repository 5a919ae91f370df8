package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures signal propagation through a {@link MultiLayerNetwork} or {@link ComputationGraph} on one batch:
 * one forward pass in training mode (as a {@code fit} step: dropout and batch-norm batch statistics apply)
 * that keeps every layer's pre-activation z and activation a, then one backward pass, layer by layer through
 * each layer's own {@code backpropGradient}, keeping δ = ∂L/∂z = f'(z) ⊙ ∂L/∂a (DL4J does not expose δ).
 * No per-layer re-runs. Returns a {@link SignalReport}; nothing in the network changes except its
 * gradient view (as after {@code computeGradientAndScore()}) and layer inputs, which are cleared.
 *
 * <p>Loss for the backward pass: with labels (a {@link DataSet}/{@link MultiDataSet}), each output layer's own
 * loss. With features only, a <em>synthetic loss</em> from a fixed seed ({@link #SYNTHETIC_SEED}, a
 * {@code java.util.Random}, ND4J's RNG is not touched): for an output layer its own loss against random
 * targets — uniformly random one-hot classes for a softmax output (along dimension 1), Bernoulli(½) targets for
 * a sigmoid output, N(0, 1) targets otherwise; for a network output that is not an output layer
 * {@code L = Σₙ rₙ·yₙ} with r ~ N(0, 1), i.e. ∂L/∂y = r, an isotropic unit-variance error injected at the top.
 *
 * <p>Cost: one forward and one backward pass (the backward pass recomputes each layer's z, as DL4J's own
 * backprop does) plus one double-accumulated statistics pass over every z, a, δ, W and gradient, read in place
 * from native memory. Measured against one plain {@code fit(DataSet)} step (best of 7 interleaved rounds,
 * 2-core x86-64, nd4j-native, OMP_NUM_THREADS=1, machine shared with other jobs):
 * <table>
 *   <caption>measure / fit, same network and batch</caption>
 *   <tr><th>network</th><th>batch</th><th>fit</th><th>measure</th><th>ratio</th></tr>
 *   <tr><td>MLP 30 × 64, ReLU</td><td>32</td><td>10.9 ms</td><td>8.6 ms</td><td>0.8</td></tr>
 *   <tr><td>MLP 30 × 256, ReLU</td><td>128</td><td>33 ms</td><td>61 ms</td><td>1.8</td></tr>
 *   <tr><td>MLP 10 × 1024, ReLU</td><td>256</td><td>146 ms</td><td>225 ms</td><td>1.5</td></tr>
 *   <tr><td>CNN 12 conv 3×3 × 16 ch, 28×28</td><td>32</td><td>372 ms</td><td>425 ms</td><td>1.1</td></tr>
 * </table>
 * i.e. about one to two training steps; the statistics pass weighs most where layers are cheap (dense
 * layers), least for convolutions.
 *
 * <p>Pre-activations are taken by running each layer with its activation function temporarily replaced by
 * the identity ({@link LayerActivations#withIdentityActivation}), so they are the layer's own z for the layers
 * {@link LayerActivations#appliesConfiguredActivation} accepts (Dense, Output, RnnOutput, Conv*, Deconv*,
 * Depthwise, Separable, Embedding, ElementWiseMultiplication, AutoEncoder and loss layers); for an
 * {@code ActivationLayer} z is its input; for every other layer (recurrent, BatchNormalization, PReLU, pooling,
 * …) z is the output and δ = ∂L/∂(output). The output is f(z) computed from that z, or, where that is not the
 * layer's output ({@link LayerActivations#outputIsActivationOf}: masks, softmax over rank &gt; 2), a second
 * forward pass (with dropout, a second draw). Do not measure a network
 * that another thread is using. Not thread-safe per network.
 *
 * <p>He et al. 2015, "Delving Deep into Rectifiers", §2.2 (forward eq. 10 on z, backward eq. 14 on δ).
 */
public final class SignalPropagation {

    /** Seed of the synthetic targets and errors used when only features are given. */
    public static final long SYNTHETIC_SEED = 0x5EEDL;

    private static final double PROBE_NEAR = 1e3;
    private static final double PROBE_FAR = 1e4;

    private SignalPropagation() {}

    /** Measures {@code net} on a labelled batch under the default thresholds. */
    public static SignalReport measure(MultiLayerNetwork net, DataSet batch) {
        return measure(net, batch, SignalThresholds.defaults());
    }

    /** Measures {@code net} on a labelled batch. */
    public static SignalReport measure(MultiLayerNetwork net, DataSet batch, SignalThresholds thresholds) {
        Objects.requireNonNull(batch, "batch");
        return measureMln(
                net,
                batch.getFeatures(),
                batch.getLabels(),
                batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray(),
                thresholds);
    }

    /** Measures {@code net} on features only, with the synthetic loss, under the default thresholds. */
    public static SignalReport measure(MultiLayerNetwork net, INDArray features) {
        return measure(net, features, SignalThresholds.defaults());
    }

    /** Measures {@code net} on features only, with the synthetic loss (see the class comment). */
    public static SignalReport measure(MultiLayerNetwork net, INDArray features, SignalThresholds thresholds) {
        return measureMln(net, features, null, null, null, thresholds);
    }

    /** Measures a graph on a labelled batch under the default thresholds. */
    public static SignalReport measure(ComputationGraph graph, MultiDataSet batch) {
        return measure(graph, batch, SignalThresholds.defaults());
    }

    /** Measures a graph on a labelled batch. */
    public static SignalReport measure(ComputationGraph graph, MultiDataSet batch, SignalThresholds thresholds) {
        Objects.requireNonNull(batch, "batch");
        return measureGraph(
                graph,
                batch.getFeatures(),
                batch.getLabels(),
                batch.getFeaturesMaskArrays(),
                batch.getLabelsMaskArrays(),
                thresholds);
    }

    /** Measures a single-input, single-output graph on a labelled batch under the default thresholds. */
    public static SignalReport measure(ComputationGraph graph, DataSet batch) {
        return measure(graph, batch, SignalThresholds.defaults());
    }

    /** Measures a single-input, single-output graph on a labelled batch. */
    public static SignalReport measure(ComputationGraph graph, DataSet batch, SignalThresholds thresholds) {
        Objects.requireNonNull(batch, "batch");
        return measureGraph(
                graph,
                new INDArray[] {batch.getFeatures()},
                new INDArray[] {batch.getLabels()},
                batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()},
                thresholds);
    }

    /** Measures a graph on features only (one array per network input), with the synthetic loss. */
    public static SignalReport measure(ComputationGraph graph, INDArray... features) {
        return measure(graph, features, SignalThresholds.defaults());
    }

    /** Measures a graph on features only (one array per network input), with the synthetic loss. */
    public static SignalReport measure(ComputationGraph graph, INDArray[] features, SignalThresholds thresholds) {
        return measureGraph(graph, features, null, null, null, thresholds);
    }

    /** Dispatch for {@link SignalListener}: either network type, labels optional. */
    static SignalReport measure(Model model, INDArray[] features, INDArray[] labels, SignalThresholds thresholds) {
        if (model instanceof MultiLayerNetwork) {
            return measureMln(
                    (MultiLayerNetwork) model, features[0], labels == null ? null : labels[0], null, null, thresholds);
        }
        if (model instanceof ComputationGraph) {
            return measureGraph((ComputationGraph) model, features, labels, null, null, thresholds);
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    // ---------------------------------------------------------------- MultiLayerNetwork

    @SuppressWarnings("try") // the scope only detaches allocations from any open workspace
    private static SignalReport measureMln(
            MultiLayerNetwork net,
            INDArray x,
            INDArray labels,
            INDArray fMask,
            INDArray lMask,
            SignalThresholds thresholds) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(thresholds, "thresholds");
        if (x == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        Layer[] layers = net.getLayers();
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("network has no layers: call net.init() first");
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray prevInput = net.getInput();
        INDArray prevLabels = net.getLabels();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (net.getGradientsViewArray() == null) {
                net.initGradientsView(); // as computeGradientAndScore() does on first use
            }
            int mb = (int) x.size(0);
            net.setInput(x);
            net.setLayerMaskArrays(fMask, lMask);
            int n = layers.length;
            Node[] nodes = new Node[n];
            INDArray a = x;
            double inRms = TensorStats.of(x).rms();
            for (int i = 0; i < n; i++) {
                InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (pp != null) {
                    a = pp.preProcess(a, mb, mgr);
                    inRms = TensorStats.of(a).rms();
                }
                Layer layer = layers[i];
                String name = layer.conf().getLayer().getLayerName();
                Node node = new Node(i, name == null ? "layer" + i : name, layer, layer instanceof IOutputLayer);
                INDArray in = a;
                node.forward(in, () -> layer.activate(in, true, mgr), thresholds.saturationMargin());
                node.inRms = inRms;
                nodes[i] = node;
                a = node.a;
                inRms = node.aStats.rms();
            }
            Node top = nodes[n - 1];
            boolean synthetic = labels == null;
            Random rnd = new Random(SYNTHETIC_SEED);
            INDArray eps = null;
            double loss;
            if (top.output) {
                INDArray y = synthetic ? syntheticTargets(top, rnd) : labels;
                net.setLabels(y);
                ((IOutputLayer) top.layer).setLabels(y);
                top.outputDelta(y, synthetic ? null : lMask);
                loss = ((IOutputLayer) top.layer).computeScore(0.0, true, mgr);
            } else {
                INDArray r = gaussian(top.a.shape(), rnd, top.a.dataType());
                eps = r;
                loss = r.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                                .mul(top.a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                                .sumNumber()
                                .doubleValue()
                        / mb;
                synthetic = true;
            }
            for (int i = n - 1; i >= 0; i--) {
                Node node = nodes[i];
                if (node.layer instanceof FrozenLayer) {
                    break;
                }
                if (!(node.output && i == n - 1)) {
                    if (eps == null) {
                        break;
                    }
                    node.hiddenDelta(eps);
                }
                Pair<Gradient, INDArray> p = node.layer.backpropGradient(node.output && i == n - 1 ? null : eps, mgr);
                node.gradients(p.getFirst(), mb);
                eps = p.getSecond();
                InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (pp != null && eps != null) {
                    eps = pp.backprop(eps, mb, mgr);
                }
            }
            List<LayerSignal> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double next = i + 1 < n ? nodes[i + 1].dStats.rms() : Double.NaN;
                out.add(nodes[i].toSignal(nodes[i].dStats.rms() / next));
            }
            return new SignalReport(out, mb, loss, synthetic, thresholds);
        } finally {
            net.clearLayersStates();
            net.clearLayerMaskArrays();
            net.setInput(prevInput);
            net.setLabels(prevLabels);
        }
    }

    // ---------------------------------------------------------------- ComputationGraph

    @SuppressWarnings("try") // the scope only detaches allocations from any open workspace
    private static SignalReport measureGraph(
            ComputationGraph graph,
            INDArray[] x,
            INDArray[] labels,
            INDArray[] fMasks,
            INDArray[] lMasks,
            SignalThresholds thresholds) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(thresholds, "thresholds");
        List<String> inputsNames = graph.getConfiguration().getNetworkInputs();
        List<String> outputNames = graph.getConfiguration().getNetworkOutputs();
        if (x == null || x.length != inputsNames.size()) {
            throw new IllegalArgumentException("graph has " + inputsNames.size() + " inputs " + inputsNames + ", got "
                    + (x == null ? "null" : x.length + " feature arrays"));
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                throw new IllegalArgumentException("features[" + i + "] (input '" + inputsNames.get(i) + "') is null");
            }
        }
        if (labels != null && labels.length != outputNames.size()) {
            throw new IllegalArgumentException("graph has " + outputNames.size() + " outputs " + outputNames + ", got "
                    + labels.length + " label arrays");
        }
        GraphVertex[] vertices = graph.getVertices();
        if (vertices == null) {
            throw new IllegalArgumentException("graph is not initialized: call graph.init() first");
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray[] prevInputs = graph.getInputs();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (graph.getGradientsViewArray() == null) {
                graph.initGradientsView();
            }
            int mb = (int) x[0].size(0);
            int[] topo = graph.topologicalSortOrder();
            boolean synthetic = labels == null;
            Random rnd = new Random(SYNTHETIC_SEED);
            graph.setInputs(x);
            // The graph's own labels are left alone: each output layer gets its labels directly below, and
            // ComputationGraph has no getter to save and restore them (a listener must not null fit's labels).
            if (fMasks != null || lMasks != null) {
                graph.setLayerMaskArrays(fMasks, lMasks);
            }
            int nv = vertices.length;
            INDArray[] outArr = new INDArray[nv];
            TensorStats[] outStats = new TensorStats[nv];
            Node[] nodes = new Node[nv];
            List<Node> order = new ArrayList<>();
            for (int step = 0; step < topo.length; step++) {
                GraphVertex v = vertices[topo[step]];
                int idx = v.getVertexIndex();
                if (v.isInputVertex()) {
                    outArr[idx] = x[inputsNames.indexOf(v.getVertexName())];
                    outStats[idx] = TensorStats.of(outArr[idx]);
                    continue;
                }
                VertexIndices[] ins = v.getInputVertices();
                List<TensorStats> inStats = new ArrayList<>();
                for (VertexIndices vi : ins) {
                    v.setInput(vi.getVertexEdgeNumber(), outArr[vi.getVertexIndex()], mgr);
                    inStats.add(outStats[vi.getVertexIndex()]);
                }
                if (v.hasLayer()) {
                    Layer layer = v.getLayer();
                    Node node = new Node(order.size(), v.getVertexName(), layer, layer instanceof IOutputLayer);
                    INDArray in = ins.length == 1 ? outArr[ins[0].getVertexIndex()] : null;
                    node.forward(in, () -> v.doForward(true, mgr), thresholds.saturationMargin());
                    node.inRms = TensorStats.pooledRms(inStats);
                    nodes[idx] = node;
                    order.add(node);
                    outArr[idx] = node.a;
                    outStats[idx] = node.aStats;
                } else {
                    outArr[idx] = v.doForward(true, mgr);
                    outStats[idx] = TensorStats.of(outArr[idx]);
                }
            }
            // backward, in reverse topological order, summing the errors of vertices that feed several others
            INDArray[] epsAcc = new INDArray[nv];
            double[] deltaRms = new double[nv];
            java.util.Arrays.fill(deltaRms, Double.NaN);
            double loss = 0;
            for (int o = 0; o < outputNames.size(); o++) {
                int idx = vertexIndex(vertices, outputNames.get(o));
                Node node = nodes[idx];
                if (node != null && node.output) {
                    INDArray y = labels == null || labels[o] == null ? syntheticTargets(node, rnd) : labels[o];
                    synthetic |= labels == null || labels[o] == null;
                    ((IOutputLayer) node.layer).setLabels(y);
                    node.outputDelta(y, lMasks == null ? null : lMasks[o]);
                    loss += ((IOutputLayer) node.layer).computeScore(0.0, true, mgr);
                } else {
                    INDArray r = gaussian(outArr[idx].shape(), rnd, outArr[idx].dataType());
                    epsAcc[idx] = r;
                    loss += r.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                                    .mul(outArr[idx].castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                                    .sumNumber()
                                    .doubleValue()
                            / mb;
                    synthetic = true;
                }
            }
            for (int step = topo.length - 1; step >= 0; step--) {
                GraphVertex v = vertices[topo[step]];
                int idx = v.getVertexIndex();
                if (v.isInputVertex() || v.hasLayer() && v.getLayer() instanceof FrozenLayer) {
                    continue;
                }
                Node node = nodes[idx];
                boolean lossLayer = node != null && node.output && outputNames.contains(v.getVertexName());
                INDArray eps = lossLayer ? null : epsAcc[idx];
                if (!lossLayer && eps == null) {
                    continue; // feeds nothing that reaches a loss
                }
                v.setEpsilon(eps);
                if (node != null) {
                    if (!lossLayer) {
                        node.hiddenDelta(eps);
                    }
                    deltaRms[idx] = node.dStats.rms();
                } else {
                    deltaRms[idx] = TensorStats.of(eps).rms();
                }
                Pair<Gradient, INDArray[]> p = v.doBackward(false, mgr);
                if (node != null) {
                    node.gradients(p.getFirst(), mb);
                }
                VertexIndices[] ins = v.getInputVertices();
                INDArray[] epsIn = p.getSecond();
                for (int j = 0; j < ins.length && epsIn != null && j < epsIn.length; j++) {
                    if (epsIn[j] == null) {
                        continue;
                    }
                    int src = ins[j].getVertexIndex();
                    epsAcc[src] = epsAcc[src] == null ? epsIn[j] : epsAcc[src].add(epsIn[j]);
                }
            }
            List<LayerSignal> out = new ArrayList<>(order.size());
            for (int step = 0; step < topo.length; step++) {
                GraphVertex v = vertices[topo[step]];
                Node node = nodes[v.getVertexIndex()];
                if (node == null) {
                    continue;
                }
                double sum = 0;
                int k = 0;
                VertexIndices[] outs = v.getOutputVertices();
                if (outs != null) {
                    for (VertexIndices vi : outs) {
                        double d = deltaRms[vi.getVertexIndex()];
                        if (!Double.isNaN(d)) {
                            sum += d * d;
                            k++;
                        }
                    }
                }
                double next = k == 0 ? Double.NaN : Math.sqrt(sum / k);
                out.add(node.toSignal(node.dStats.rms() / next));
            }
            return new SignalReport(out, mb, loss, synthetic, thresholds);
        } finally {
            graph.clearLayersStates();
            graph.clearLayerMaskArrays();
            if (prevInputs != null) {
                graph.setInputs(prevInputs);
            }
        }
    }

    private static int vertexIndex(GraphVertex[] vertices, String name) {
        for (GraphVertex v : vertices) {
            if (v.getVertexName().equals(name)) {
                return v.getVertexIndex();
            }
        }
        throw new IllegalStateException("no vertex named " + name);
    }

    // ---------------------------------------------------------------- synthetic loss

    /** Random targets shaped like the output activation, for the output layer's own loss. */
    static INDArray syntheticTargets(Node node, Random rnd) {
        long[] shape = node.a.shape();
        long total = node.a.length();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output too large for synthetic targets: " + total + " elements");
        }
        double[] t = new double[(int) total];
        if (node.act instanceof ActivationSoftmax && shape.length >= 2) {
            long classes = shape[1];
            long inner = total / (shape[0] * classes);
            for (long ex = 0; ex < shape[0]; ex++) {
                for (long p = 0; p < inner; p++) {
                    long c = rnd.nextInt((int) classes);
                    t[(int) ((ex * classes + c) * inner + p)] = 1.0;
                }
            }
        } else if (node.act instanceof ActivationSigmoid) {
            for (int i = 0; i < t.length; i++) {
                t[i] = rnd.nextBoolean() ? 1.0 : 0.0;
            }
        } else {
            for (int i = 0; i < t.length; i++) {
                t[i] = rnd.nextGaussian();
            }
        }
        return Nd4j.create(t, shape, 'c').castTo(node.a.dataType());
    }

    private static INDArray gaussian(long[] shape, Random rnd, org.nd4j.linalg.api.buffer.DataType type) {
        long total = 1;
        for (long s : shape) {
            total *= s;
        }
        double[] t = new double[(int) total];
        for (int i = 0; i < t.length; i++) {
            t[i] = rnd.nextGaussian();
        }
        return Nd4j.create(t, shape, 'c').castTo(type);
    }

    // ---------------------------------------------------------------- per-layer work

    /** Mutable working state of one layer during a measurement. */
    static final class Node {
        final int index;
        final String name;
        final Layer layer;
        final boolean output;
        IActivation act;
        INDArray z;
        INDArray a;
        TensorStats zStats = TensorStats.ABSENT;
        TensorStats aStats = TensorStats.ABSENT;
        TensorStats dStats = TensorStats.ABSENT;
        TensorStats gW = TensorStats.ABSENT;
        TensorStats gB = TensorStats.ABSENT;
        double dead = Double.NaN;
        double saturated = Double.NaN;
        double inRms = Double.NaN;

        Node(int index, String name, Layer layer, boolean output) {
            this.index = index;
            this.name = name;
            this.layer = layer;
            this.output = output;
        }

        void forward(INDArray input, Supplier<INDArray> run, double margin) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (LayerActivations.appliesConfiguredActivation(layer)) {
                act = LayerActivations.configuredActivation(layer);
                z = LayerActivations.withIdentityActivation(layer, run);
                // a second pass only where f(z) is not the output (masks, softmax over rank > 2)
                a = LayerActivations.outputIsActivationOf(layer, z) ? act.getActivation(z.dup(), true) : run.get();
            } else if (conf instanceof ActivationLayer && input != null) {
                act = ((ActivationLayer) conf).getActivationFn();
                a = run.get();
                z = input;
            } else {
                act = null;
                a = run.get();
                z = a;
            }
            TensorStats.Values av = TensorStats.Values.of(a);
            int len = av.length();
            long mb = a.size(0);
            int units = (int) (len / Math.max(1, mb));
            boolean[] alive = new boolean[units];
            Bounds bounds = act == null ? null : bounds(act);
            double lo = bounds == null ? Double.NEGATIVE_INFINITY : bounds.lowThreshold(margin);
            double hi = bounds == null ? Double.POSITIVE_INFINITY : bounds.highThreshold(margin);
            long sat = 0;
            TensorStats.Acc acc = new TensorStats.Acc();
            for (int i = 0, u = 0; i < len; i++, u = u + 1 == units ? 0 : u + 1) {
                double v = av.get(i);
                acc.add(v);
                if (v != 0.0) {
                    alive[u] = true;
                }
                if (v <= lo || v >= hi) {
                    sat++;
                }
            }
            av.release();
            aStats = acc.result(len);
            zStats = z == a ? aStats : TensorStats.of(z);
            int deadUnits = 0;
            for (boolean al : alive) {
                if (!al) {
                    deadUnits++;
                }
            }
            dead = units == 0 ? Double.NaN : deadUnits / (double) units;
            long finite = aStats.finiteCount();
            saturated = bounds == null || finite == 0 ? Double.NaN : sat / (double) finite;
        }

        /** δ of an output layer: its loss function's gradient with respect to z. */
        void outputDelta(INDArray labels, INDArray labelMask) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            org.nd4j.linalg.lossfunctions.ILossFunction lf = null;
            if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer) {
                lf = ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer) conf).getLossFn();
            } else if (conf instanceof org.deeplearning4j.nn.conf.layers.LossLayer) {
                lf = ((org.deeplearning4j.nn.conf.layers.LossLayer) conf).getLossFn();
            }
            if (lf != null && z.rank() == 2 && labels.rank() == 2 && act != null) {
                IActivation fn = act;
                dStats = TensorStats.of(lf.computeGradient(labels, z.dup(), fn, labelMask));
            }
        }

        /** δ of a hidden layer from ∂L/∂a. */
        void hiddenDelta(INDArray eps) {
            if (act == null) {
                dStats = TensorStats.of(eps);
            } else {
                dStats = TensorStats.of(act.backprop(z.dup(), eps.dup()).getFirst());
            }
        }

        void gradients(Gradient g, int mb) {
            if (g == null) {
                return;
            }
            double scale = layer.conf().isMiniBatch() ? 1.0 / mb : 1.0;
            Map<String, INDArray> m = g.gradientForVariable();
            gW = TensorStats.of(m.get("W"), scale);
            gB = TensorStats.of(m.get("b"), scale);
        }

        LayerSignal toSignal(double backwardGain) {
            Map<String, INDArray> params = layer.paramTable();
            INDArray w = params == null ? null : params.get("W");
            String actName = act == null ? "none" : act.toString();
            return new LayerSignal(
                    index,
                    name,
                    layer.conf().getLayer().getClass().getSimpleName(),
                    actName,
                    output,
                    zStats,
                    aStats,
                    dStats,
                    TensorStats.of(w),
                    gW,
                    gB,
                    dead,
                    saturated,
                    aStats.rms() / inRms,
                    backwardGain);
        }
    }

    /** Bounds per activation configuration (its JSON form: toString() omits parameters, e.g. ReLU's max). */
    private static final Map<String, Bounds> BOUNDS = new ConcurrentHashMap<>();

    /**
     * The output range of a bounded activation, and which of its bounds count as saturation.
     *
     * <p>Rule: a bound counts unless it is a <em>floor</em>, the exact value of f on the whole half-line
     * z ≤ 0 (ReLU, ReLU capped at 6, thresholded ReLU: f = 0 there). Outputs at a floor are inactive units, not
     * saturated ones: they are what the dead-unit statistics measure, and about half of any healthy ReLU layer's
     * outputs sit there. Bounds approached asymptotically (sigmoid, tanh) or reached by clipping away from 0
     * (HardTanh's −1 for z ≤ −1, a capped ReLU's maximum) count.
     */
    static final class Bounds {
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
    }

    private static final Bounds UNBOUNDED = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);

    /**
     * The activation's finite, distinct limits at ±∞ (probed at ±1e3, ±1e4), else null. Cached by the
     * activation's JSON; an activation that does not serialize is probed every time rather than cached under a
     * key it might share with a differently configured one.
     */
    static Bounds bounds(IActivation act) {
        String key = jsonKey(act);
        Bounds cached = key == null ? null : BOUNDS.get(key);
        if (cached == null) {
            cached = probeBounds(act);
            if (key != null) {
                BOUNDS.putIfAbsent(key, cached);
            }
        }
        return cached == UNBOUNDED ? null : cached;
    }

    private static String jsonKey(IActivation act) {
        try {
            return org.deeplearning4j.nn.conf.NeuralNetConfiguration.mapper()
                    .writerFor(IActivation.class)
                    .writeValueAsString(act);
        } catch (Exception | LinkageError e) {
            return null;
        }
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
