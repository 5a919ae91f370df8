package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.internal.dl4j.LayerActivations;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.stats.TensorStats;

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

    private SignalPropagation() {}

    /** Measures {@code net} on a labelled batch under the default thresholds. */
    public static SignalReport measure(MultiLayerNetwork net, DataSet batch) {
        return measure(net, batch, SignalThresholds.defaults());
    }

    /** Measures {@code net} on a labelled batch. */
    public static SignalReport measure(MultiLayerNetwork net, DataSet batch, SignalThresholds thresholds) {
        return measureMln(net, batch, thresholds, true);
    }

    /**
     * The forward half of {@link #measure(MultiLayerNetwork, DataSet)}: every layer's z and a with their statistics,
     * dead and saturated units, the cosine between examples, the forward ratio and the loss; no backward pass, so
     * δ, the gradients, the backward ratio and the measured χ are absent (NaN). Costs about one forward pass plus the
     * statistics, for callers that read only the forward signal (the training probe measures twice).
     */
    public static SignalReport measureForward(MultiLayerNetwork net, DataSet batch) {
        return measureMln(net, batch, SignalThresholds.defaults(), false);
    }

    private static SignalReport measureMln(
            MultiLayerNetwork net, DataSet batch, SignalThresholds thresholds, boolean backward) {
        Objects.requireNonNull(batch, "batch");
        return measureMln(
                net,
                batch.getFeatures(),
                batch.getLabels(),
                batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray(),
                thresholds,
                backward);
    }

    /** Measures {@code net} on features only, with the synthetic loss, under the default thresholds. */
    public static SignalReport measure(MultiLayerNetwork net, INDArray features) {
        return measure(net, features, SignalThresholds.defaults());
    }

    /** Measures {@code net} on features only, with the synthetic loss (see the class comment). */
    public static SignalReport measure(MultiLayerNetwork net, INDArray features, SignalThresholds thresholds) {
        return measureMln(net, features, null, null, null, thresholds, true);
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
                thresholds,
                true);
    }

    /** Measures a single-input, single-output graph on a labelled batch under the default thresholds. */
    public static SignalReport measure(ComputationGraph graph, DataSet batch) {
        return measure(graph, batch, SignalThresholds.defaults());
    }

    /** Measures a single-input, single-output graph on a labelled batch. */
    public static SignalReport measure(ComputationGraph graph, DataSet batch, SignalThresholds thresholds) {
        return measureGraph(graph, batch, thresholds, true);
    }

    /** The forward half of {@link #measure(ComputationGraph, DataSet)}, as {@link #measureForward(MultiLayerNetwork, DataSet)}. */
    public static SignalReport measureForward(ComputationGraph graph, DataSet batch) {
        return measureGraph(graph, batch, SignalThresholds.defaults(), false);
    }

    private static SignalReport measureGraph(
            ComputationGraph graph, DataSet batch, SignalThresholds thresholds, boolean backward) {
        Objects.requireNonNull(batch, "batch");
        return measureGraph(
                graph,
                new INDArray[] {batch.getFeatures()},
                new INDArray[] {batch.getLabels()},
                batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()},
                thresholds,
                backward);
    }

    /** Measures a graph on features only (one array per network input), with the synthetic loss. */
    public static SignalReport measure(ComputationGraph graph, INDArray... features) {
        return measure(graph, features, SignalThresholds.defaults());
    }

    /** Measures a graph on features only (one array per network input), with the synthetic loss. */
    public static SignalReport measure(ComputationGraph graph, INDArray[] features, SignalThresholds thresholds) {
        return measureGraph(graph, features, null, null, null, thresholds, true);
    }

    /** Dispatch for {@link SignalListener}: either network type, labels optional. */
    static SignalReport measure(Model model, INDArray[] features, INDArray[] labels, SignalThresholds thresholds) {
        if (model instanceof MultiLayerNetwork) {
            return measureMln(
                    (MultiLayerNetwork) model,
                    features[0],
                    labels == null ? null : labels[0],
                    null,
                    null,
                    thresholds,
                    true);
        }
        if (model instanceof ComputationGraph) {
            return measureGraph((ComputationGraph) model, features, labels, null, null, thresholds, true);
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
            SignalThresholds thresholds,
            boolean backward) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(thresholds, "thresholds");
        if (x == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        if (net.getLayers() == null || net.getLayers().length == 0) {
            throw new IllegalArgumentException("network has no layers: call net.init() first");
        }
        INDArray prevInput = net.getInput();
        INDArray prevLabels = net.getLabels();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (net.getGradientsViewArray() == null) {
                net.initGradientsView(); // as computeGradientAndScore() does on first use
            }
            net.setInput(x);
            net.setLayerMaskArrays(fMask, lMask);
            return walk(
                    NetworkView.of(net),
                    new Runner.Chain(net),
                    new INDArray[] {x},
                    labels == null ? null : new INDArray[] {labels},
                    lMask == null ? null : new INDArray[] {lMask},
                    thresholds,
                    backward);
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
            SignalThresholds thresholds,
            boolean backward) {
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
        if (graph.getVertices() == null) {
            throw new IllegalArgumentException("graph is not initialized: call graph.init() first");
        }
        INDArray[] prevInputs = graph.getInputs();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (graph.getGradientsViewArray() == null) {
                graph.initGradientsView();
            }
            graph.setInputs(x);
            // The graph's own labels are left alone: each output layer gets its labels directly in the walk, and
            // ComputationGraph has no getter to save and restore them (a listener must not null fit's labels).
            if (fMasks != null || lMasks != null) {
                graph.setLayerMaskArrays(fMasks, lMasks);
            }
            return walk(NetworkView.of(graph), new Runner.Graph(graph), x, labels, lMasks, thresholds, backward);
        } finally {
            graph.clearLayersStates();
            graph.clearLayerMaskArrays();
            if (prevInputs != null) {
                graph.setInputs(prevInputs);
            }
        }
    }

    // ---------------------------------------------------------------- the walk

    /**
     * One forward walk over the view's nodes in DL4J's order keeping every layer's z, a and statistics, the loss
     * at each network output, then one backward walk in reverse order summing the errors of nodes that feed
     * several others; without {@code backward} the forward walk and the loss only.
     */
    private static SignalReport walk(
            NetworkView view,
            Runner run,
            INDArray[] x,
            INDArray[] labels,
            INDArray[] lMasks,
            SignalThresholds thresholds,
            boolean backward) {
        int mb = (int) x[0].size(0);
        List<NetworkView.Node> order = run.order(view);
        Map<String, INDArray> outArr = new HashMap<>();
        Map<String, TensorStats> outStats = new HashMap<>();
        Map<String, LayerProbe> nodes = new HashMap<>();
        List<LayerProbe> rows = new ArrayList<>();
        for (NetworkView.Node v : order) {
            if (v.kind() == NetworkView.Kind.INPUT) {
                INDArray in = x[view.networkInputs().indexOf(v.name())];
                outArr.put(v.name(), in);
                outStats.put(v.name(), TensorStats.of(in));
                continue;
            }
            INDArray[] ins = new INDArray[v.inputs().size()];
            List<TensorStats> inStats = new ArrayList<>();
            for (int j = 0; j < ins.length; j++) {
                ins[j] = outArr.get(v.inputs().get(j));
                inStats.add(outStats.get(v.inputs().get(j)));
            }
            Layer layer = v.kind() == NetworkView.Kind.LAYER ? run.layer(v) : null;
            if (layer == null) {
                outArr.put(v.name(), run.forward(v, ins, null));
                outStats.put(v.name(), TensorStats.of(outArr.get(v.name())));
                continue;
            }
            LayerProbe node =
                    new LayerProbe(rows.size(), run.rowName(v, rows.size()), layer, layer instanceof IOutputLayer);
            INDArray in = run.layerInput(v, ins);
            node.forward(in, () -> run.forward(v, ins, in), thresholds.saturationMargin());
            node.inRms = in != null && in != ins[0] ? TensorStats.of(in).rms() : TensorStats.pooledRms(inStats);
            nodes.put(v.name(), node);
            rows.add(node);
            outArr.put(v.name(), node.a);
            outStats.put(v.name(), node.aStats);
        }
        Map<String, INDArray> epsAcc = new HashMap<>();
        boolean synthetic = labels == null;
        Random rnd = new Random(SYNTHETIC_SEED);
        double loss = 0;
        int o = 0;
        for (String out : view.networkOutputs()) {
            LayerProbe node = nodes.get(out);
            INDArray y = labels == null ? null : labels[o];
            if (node != null && node.output) {
                synthetic |= y == null;
                INDArray targets = y == null ? syntheticTargets(node, rnd) : y;
                run.labels(targets);
                ((IOutputLayer) node.layer).setLabels(targets);
                if (backward) {
                    node.outputDelta(targets, y == null || lMasks == null ? null : lMasks[o]);
                }
                loss += ((IOutputLayer) node.layer).computeScore(0.0, true, run.mgr);
            } else {
                INDArray a = outArr.get(out);
                INDArray r = gaussian(a.shape(), rnd, a.dataType());
                epsAcc.put(out, r);
                loss += r.castTo(DataType.DOUBLE)
                                .mul(a.castTo(DataType.DOUBLE))
                                .sumNumber()
                                .doubleValue()
                        / mb;
                synthetic = true;
            }
            o++;
        }
        Map<String, Double> deltaRms = new HashMap<>();
        for (int step = backward ? order.size() - 1 : -1; step >= 0; step--) {
            NetworkView.Node v = order.get(step);
            LayerProbe node = nodes.get(v.name());
            if (v.kind() == NetworkView.Kind.INPUT || node != null && v.rule().isFrozen()) {
                continue; // nothing below a frozen layer is trained
            }
            boolean lossLayer = node != null && node.output && v.isNetworkOutput();
            INDArray eps = lossLayer ? null : epsAcc.get(v.name());
            if (!lossLayer && eps == null) {
                continue; // feeds nothing that reaches a loss
            }
            if (node != null && !lossLayer) {
                node.hiddenDelta(eps);
            }
            deltaRms.put(
                    v.name(),
                    node != null ? node.dStats.rms() : TensorStats.of(eps).rms());
            Pair<Gradient, INDArray[]> p = run.backward(v, eps, mb);
            if (node != null) {
                node.gradients(p.getFirst(), mb);
            }
            INDArray[] epsIn = p.getSecond();
            for (int j = 0; j < v.inputs().size() && epsIn != null && j < epsIn.length; j++) {
                if (epsIn[j] != null) {
                    epsAcc.merge(v.inputs().get(j), epsIn[j], INDArray::add);
                }
            }
        }
        List<LayerSignal> out = new ArrayList<>(rows.size());
        for (NetworkView.Node v : order) {
            LayerProbe node = nodes.get(v.name());
            if (node == null) {
                continue;
            }
            double sum = 0;
            int k = 0;
            for (String c : v.consumers()) {
                Double d = deltaRms.get(c);
                if (d != null && !Double.isNaN(d)) {
                    sum += d * d;
                    k++;
                }
            }
            double next = k == 0 ? Double.NaN : Math.sqrt(sum / k);
            node.predictChi(v.consumers().size() == 1 ? nodes.get(v.consumers().get(0)) : null);
            out.add(node.toSignal(node.dStats.rms() / next));
        }
        return new SignalReport(out, mb, loss, synthetic, thresholds);
    }

    // ---------------------------------------------------------------- synthetic loss

    /** Random targets shaped like the output activation, for the output layer's own loss. */
    static INDArray syntheticTargets(LayerProbe node, Random rnd) {
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

    private static INDArray gaussian(long[] shape, Random rnd, DataType type) {
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
