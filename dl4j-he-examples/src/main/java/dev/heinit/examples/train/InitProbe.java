package dev.heinit.examples.train;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import dev.heinit.diagnostics.LayerSignal;
import dev.heinit.diagnostics.SignalPropagation;
import dev.heinit.diagnostics.SignalReport;
import dev.heinit.examples.model.Net;
import dev.heinit.examples.report.InitSignal;
import dev.heinit.stats.ExampleCorrelation;

/**
 * Measures a freshly initialized network's {@link InitSignal} on one labelled batch: the library's
 * {@link SignalPropagation} report (one forward and one backward pass in training mode; it leaves the parameters
 * alone) and the order/chaos statistic of the first and last hidden layer's activations (inference forward pass),
 * {@link ExampleCorrelation}.
 */
public final class InitProbe {

    private InitProbe() {}

    /** Measures {@code net} on {@code batch}; a failure is returned as {@link InitSignal#failed}, not thrown. */
    public static InitSignal measure(Net net, DataSet batch) {
        try {
            SignalReport r;
            INDArray[] firstLast;
            if (net.multiLayer().isPresent()) {
                MultiLayerNetwork m = net.multiLayer().get();
                r = SignalPropagation.measure(m, batch);
                List<INDArray> acts = m.feedForward(batch.getFeatures(), false);
                // [input, layer 0, ..., output]: the first hidden layer is 1, the last hidden one size − 2
                firstLast = new INDArray[] {acts.get(1), acts.get(acts.size() - 2)};
            } else {
                ComputationGraph g = net.graph().orElseThrow();
                r = SignalPropagation.measure(g, batch);
                Map<String, INDArray> acts = g.feedForward(new INDArray[] {batch.getFeatures()}, false);
                String out = g.getConfiguration().getNetworkOutputs().get(0);
                String last = g.getConfiguration().getVertexInputs().get(out).get(0);
                String first = firstWeighted(g);
                firstLast = new INDArray[] {acts.get(first), acts.get(last)};
            }
            List<LayerSignal> hidden =
                    r.layers().stream().filter(l -> !l.isOutput()).toList();
            double firstRms =
                    hidden.isEmpty() ? Double.NaN : hidden.get(0).activation().rms();
            double lastRms = hidden.isEmpty()
                    ? Double.NaN
                    : hidden.get(hidden.size() - 1).activation().rms();
            double[] first = order(firstLast[0]);
            double[] last = order(firstLast[1]);
            String verdicts = r.verdicts().stream().map(Enum::name).collect(Collectors.joining("+"));
            return new InitSignal(
                    r.forwardRatio(),
                    r.backwardRatio(),
                    verdicts,
                    firstRms,
                    lastRms,
                    first[0],
                    last[0],
                    first[1],
                    last[1],
                    (int) batch.numExamples(),
                    "");
        } catch (RuntimeException e) {
            return InitSignal.failed(e.toString());
        }
    }

    /** {mean cosine, centred mean cosine} between different examples' representations. */
    private static double[] order(INDArray activations) {
        ExampleCorrelation c = ExampleCorrelation.of(activations);
        return new double[] {c.raw(), c.centred()};
    }

    /** Name of the graph's first layer with weights in topological order. */
    private static String firstWeighted(ComputationGraph g) {
        for (int i : g.topologicalSortOrder()) {
            var v = g.getVertices()[i];
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                return v.getVertexName();
            }
        }
        throw new IllegalStateException("graph has no weighted layer");
    }
}
