package dev.heinit.examples.fast;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Which layers of a network are fed directly by the network input and may skip their input gradient, and the
 * swap of their oneDNN helper for a {@link WeightGradientConvHelper} (and back).
 *
 * <p>A layer qualifies when it is exactly a 2-D {@link ConvolutionLayer} (subclasses have their own backprop) with
 * DL4J's {@link MKLDNNConvHelper} attached (so never on the stock path or on CUDA), NCHW data and no dropout (DL4J
 * applies dropout's backprop to the returned epsilon); in a {@link MultiLayerNetwork} it is layer 0 without an input
 * preprocessor (the preprocessor's backprop would get the null epsilon); in a {@link ComputationGraph} it is a layer
 * vertex without preprocessor whose only input is a network input, and only when every consumer of that input
 * qualifies (DL4J adds the epsilons of an input's consumers and cannot add a null one to another).
 */
final class InputGradientSkip {

    private InputGradientSkip() {}

    /** Swaps the helper of every qualifying layer; returns their names (layer index for a chain). */
    static List<String> skip(Model net) {
        List<String> done = new ArrayList<>();
        for (Named l : qualifying(net)) {
            ConvolutionHelper h = helper(l.layer);
            if (h instanceof WeightGradientConvHelper) {
                done.add(l.name);
            } else if (h != null && h.getClass() == MKLDNNConvHelper.class) {
                setHelper(l.layer, new WeightGradientConvHelper((MKLDNNConvHelper) h));
                done.add(l.name);
            }
        }
        return done;
    }

    /** Puts DL4J's own helper back on every layer {@link #skip} changed; returns their names. */
    static List<String> restore(Model net) {
        List<String> done = new ArrayList<>();
        List<Named> all = new ArrayList<>();
        if (net instanceof MultiLayerNetwork m) {
            for (int i = 0; i < m.getnLayers(); i++) {
                all.add(new Named(String.valueOf(i), m.getLayer(i)));
            }
        } else if (net instanceof ComputationGraph g) {
            for (Layer l : g.getLayers()) {
                all.add(new Named(l.conf().getLayer().getLayerName(), l));
            }
        }
        for (Named l : all) {
            if (l.layer instanceof ConvolutionLayer && helper(l.layer) instanceof WeightGradientConvHelper w) {
                setHelper(l.layer, w.original());
                done.add(l.name);
            }
        }
        return done;
    }

    private record Named(String name, Layer layer) {}

    private static List<Named> qualifying(Model net) {
        List<Named> out = new ArrayList<>();
        if (net instanceof MultiLayerNetwork m) {
            if (m.getnLayers() > 0
                    && m.getLayerWiseConfigurations().getInputPreProcess(0) == null
                    && qualifies(m.getLayer(0))) {
                out.add(new Named("0", m.getLayer(0)));
            }
        } else if (net instanceof ComputationGraph g) {
            for (GraphVertex in : g.getVertices()) {
                if (!in.isInputVertex() || in.getOutputVertices() == null) {
                    continue;
                }
                List<Named> consumers = new ArrayList<>();
                for (VertexIndices vi : in.getOutputVertices()) {
                    GraphVertex v = g.getVertices()[vi.getVertexIndex()];
                    if (v instanceof LayerVertex lv
                            && lv.getLayerPreProcessor() == null
                            && lv.getInputVertices().length == 1
                            && qualifies(lv.getLayer())) {
                        consumers.add(new Named(lv.getVertexName(), lv.getLayer()));
                    } else {
                        consumers = null;
                        break;
                    }
                }
                if (consumers != null) {
                    out.addAll(consumers);
                }
            }
        }
        return out;
    }

    private static boolean qualifies(Layer l) {
        if (l == null || l.getClass() != ConvolutionLayer.class) {
            return false;
        }
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c =
                (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) l.conf().getLayer();
        ConvolutionHelper h = helper(l);
        return c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && c.getIDropout() == null
                && h != null
                && (h.getClass() == MKLDNNConvHelper.class || h instanceof WeightGradientConvHelper);
    }

    private static ConvolutionHelper helper(Layer l) {
        return (ConvolutionHelper) ((ConvolutionLayer) l).getHelper();
    }

    /** {@code ConvolutionLayer.helper} is protected and has no setter; it is set once, when the layer is built. */
    static void setHelper(Layer l, ConvolutionHelper h) {
        try {
            Field f = ConvolutionLayer.class.getDeclaredField("helper");
            f.setAccessible(true);
            f.set(l, h);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J's ConvolutionLayer has no 'helper' field: not DL4J 1.0.0-M2.1?", e);
        }
    }
}
