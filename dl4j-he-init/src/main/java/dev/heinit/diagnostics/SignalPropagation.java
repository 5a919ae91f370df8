package dev.heinit.diagnostics;

import dev.heinit.dl4j.LayerActivations;
import dev.heinit.stats.TensorStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
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


    private SignalPropagation() {
    }

    /** Measures {@code net} on a labelled batch under the default thresholds. */
    public static SignalReport measure(MultiLayerNetwork net, DataSet batch) {
        return measure(net, batch, SignalThresholds.defaults());
    }

    /** Measures {@code net} on a labelled batch. */
    public static SignalReport measure(MultiLayerNetwork net, DataSet batch, SignalThresholds thresholds) {
        Objects.requireNonNull(batch, "batch");
        return measureMln(net, batch.getFeatures(), batch.getLabels(), batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray(), thresholds);
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
        return measureGraph(graph, batch.getFeatures(), batch.getLabels(), batch.getFeaturesMaskArrays(),
                batch.getLabelsMaskArrays(), thresholds);
    }

    /** Measures a single-input, single-output graph on a labelled batch under the default thresholds. */
    public static SignalReport measure(ComputationGraph graph, DataSet batch) {
        return measure(graph, batch, SignalThresholds.defaults());
    }

    /** Measures a single-input, single-output graph on a labelled batch. */
    public static SignalReport measure(ComputationGraph graph, DataSet batch, SignalThresholds thresholds) {
        Objects.requireNonNull(batch, "batch");
        return measureGraph(graph, new INDArray[] {batch.getFeatures()}, new INDArray[] {batch.getLabels()},
                batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()}, thresholds);
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
            return measureMln((MultiLayerNetwork) model, features[0], labels == null ? null : labels[0], null, null,
                    thresholds);
        }
        if (model instanceof ComputationGraph) {
            return measureGraph((ComputationGraph) model, features, labels, null, null, thresholds);
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    // ---------------------------------------------------------------- MultiLayerNetwork

    @SuppressWarnings("try") // the scope only detaches allocations from any open workspace
    private static SignalReport measureMln(MultiLayerNetwork net, INDArray x, INDArray labels, INDArray fMask,
            INDArray lMask, SignalThresholds thresholds) {
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
                        .mul(top.a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).sumNumber().doubleValue() / mb;
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
                nodes[i].predictChi(i + 1 < n ? nodes[i + 1] : null);
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
    private static SignalReport measureGraph(ComputationGraph graph, INDArray[] x, INDArray[] labels,
            INDArray[] fMasks, INDArray[] lMasks, SignalThresholds thresholds) {
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
                            .mul(outArr[idx].castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).sumNumber().doubleValue() / mb;
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
                node.predictChi(outs != null && outs.length == 1 ? nodes[outs[0].getVertexIndex()] : null);
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
}
