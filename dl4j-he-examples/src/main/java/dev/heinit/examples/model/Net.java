package dev.heinit.examples.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trainable classifier that is either a {@link MultiLayerNetwork} or a {@link ComputationGraph}, created by
 * applying an {@link InitScheme}'s three steps, so training code does not care which.
 */
public final class Net {

    private final MultiLayerNetwork mln;
    private final ComputationGraph graph;
    private final List<String> initLog;

    private Net(MultiLayerNetwork mln, ComputationGraph graph, List<String> initLog) {
        this.mln = mln;
        this.graph = graph;
        this.initLog = initLog;
    }

    /**
     * Builds, configures, initializes and (if the scheme wants data) data-initializes a CNN.
     *
     * @param sample a training batch for data-driven schemes; may be null when {@code !scheme.needsData()}
     */
    public static Net create(
            Arch arch, int depth, int width, ImageShape shape, InitScheme scheme, TrainSetup setup, DataSet sample) {
        return create(arch, depth, width, shape, scheme, HiddenActivation.RELU, setup, sample);
    }

    /**
     * {@link #create(Arch, int, int, ImageShape, InitScheme, TrainSetup, DataSet)} with {@code act} in every hidden
     * layer.
     *
     * @throws IllegalArgumentException if the scheme does not apply to {@code act}
     */
    public static Net create(
            Arch arch,
            int depth,
            int width,
            ImageShape shape,
            InitScheme scheme,
            HiddenActivation act,
            TrainSetup setup,
            DataSet sample) {
        List<String> log = new ArrayList<>();
        Object conf = configuration(arch, depth, width, shape, scheme, act, setup);
        if (conf instanceof MultiLayerConfiguration c) {
            MultiLayerNetwork net = new MultiLayerNetwork(c);
            net.init();
            scheme.afterInit(net, sample).ifPresent(log::add);
            return new Net(net, null, log);
        }
        ComputationGraph net = new ComputationGraph((ComputationGraphConfiguration) conf);
        net.init();
        scheme.afterInit(net, sample).ifPresent(log::add);
        return new Net(null, net, log);
    }

    /**
     * Steps 1 and 2 of {@link #create}: the built and configured network configuration (a MultiLayerConfiguration
     * for plain nets, else a ComputationGraphConfiguration), without parameters, so commands can reject a bad
     * combination before training.
     *
     * @throws IllegalArgumentException if the net or the scheme rejects the combination (the message says why)
     */
    public static Object configuration(
            Arch arch,
            int depth,
            int width,
            ImageShape shape,
            InitScheme scheme,
            HiddenActivation act,
            TrainSetup setup) {
        if (arch == Arch.PLAIN) {
            return scheme.configure(Models.plainCnn(depth, width, shape, scheme.layerInit(act), setup, act), shape);
        }
        return scheme.configure(
                arch == Arch.RESNET
                        ? ResNets.resnet(depth, width, shape, scheme.layerInit(act), setup, act)
                        : Models.residualCnn(depth, width, shape, scheme.layerInit(act), setup, act),
                shape);
    }

    /** Wraps an initialized MultiLayerNetwork. */
    public static Net of(MultiLayerNetwork net) {
        return new Net(net, null, List.of());
    }

    /** Wraps an initialized ComputationGraph. */
    public static Net of(ComputationGraph net) {
        return new Net(null, net, List.of());
    }

    /** The DL4J model. */
    public Model model() {
        return mln != null ? mln : graph;
    }

    /** Reports of the scheme's data-driven step, if any. */
    public List<String> initLog() {
        return initLog;
    }

    /** One optimizer step on a minibatch. */
    public void fit(DataSet batch) {
        if (mln != null) {
            mln.fit(batch);
        } else {
            graph.fit(batch);
        }
    }

    /** Loss of the last minibatch fitted (DL4J's score: mean loss + regularization). */
    public double score() {
        return model().score();
    }

    /** Network output (class probabilities) for features, inference mode. */
    public INDArray output(INDArray features) {
        return mln != null ? mln.output(features, false) : graph.outputSingle(false, features);
    }

    /** Fraction of correctly classified examples, evaluated in chunks of {@code batch}. */
    public double accuracy(DataSet test, int batch) {
        long n = test.numExamples();
        long correct = 0;
        for (long from = 0; from < n; from += batch) {
            long to = Math.min(n, from + batch);
            INDArray x = test.getFeatures().get(NDArrayIndex.interval(from, to));
            INDArray y = test.getLabels().get(NDArrayIndex.interval(from, to));
            INDArray pred = Nd4j.argMax(output(x), 1);
            INDArray truth = Nd4j.argMax(y, 1);
            correct += pred.eq(truth)
                    .castTo(org.nd4j.linalg.api.buffer.DataType.INT32)
                    .sumNumber()
                    .longValue();
        }
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /** The MultiLayerNetwork, if this is one. */
    public Optional<MultiLayerNetwork> multiLayer() {
        return Optional.ofNullable(mln);
    }

    /** The ComputationGraph, if this is one. */
    public Optional<ComputationGraph> graph() {
        return Optional.ofNullable(graph);
    }
}
