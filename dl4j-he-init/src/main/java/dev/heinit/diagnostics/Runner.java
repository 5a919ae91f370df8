package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.heinit.internal.dl4j.NetworkView;

/**
 * How {@link SignalPropagation}'s one walk over a {@link NetworkView} runs a node forward and backward, the only
 * part that differs between a {@link MultiLayerNetwork} (a layer's {@code activate}/{@code backpropGradient}
 * with its preprocessor applied here) and a {@link ComputationGraph} (the vertex's {@code doForward}/
 * {@code doBackward}, which apply the preprocessor themselves).
 */
abstract class Runner {

    final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

    /** The nodes in the order DL4J itself runs them (forward), network inputs first. */
    abstract List<NetworkView.Node> order(NetworkView view);

    /** The layer implementation (or null for a non-layer vertex). */
    abstract Layer layer(NetworkView.Node node);

    /** The report row name of a layer node. */
    abstract String rowName(NetworkView.Node node, int row);

    /** The layer's own input as its z is taken (after the chain's preprocessor), or null with several inputs. */
    abstract INDArray layerInput(NetworkView.Node node, INDArray[] inputs);

    /** Runs the node forward in training mode on its inputs (for a chain layer: on {@link #layerInput}). */
    abstract INDArray forward(NetworkView.Node node, INDArray[] inputs, INDArray layerInput);

    /** Runs the node backward from ∂L/∂(output) (null for a loss layer): its gradient and ∂L/∂(each input). */
    abstract Pair<Gradient, INDArray[]> backward(NetworkView.Node node, INDArray eps, int mb);

    /** A chain also keeps the labels on the network (its {@code score} reads them). */
    void labels(INDArray labels) {}

    /** A chain: its layers, the input node first. */
    static final class Chain extends Runner {
        private final MultiLayerNetwork net;

        Chain(MultiLayerNetwork net) {
            this.net = net;
        }

        @Override
        List<NetworkView.Node> order(NetworkView view) {
            return view.nodes();
        }

        @Override
        Layer layer(NetworkView.Node node) {
            return node.implementation();
        }

        @Override
        String rowName(NetworkView.Node node, int row) {
            return node.displayName();
        }

        @Override
        INDArray layerInput(NetworkView.Node node, INDArray[] inputs) {
            return node.layerInput(inputs[0], (int) inputs[0].size(0), mgr);
        }

        @Override
        INDArray forward(NetworkView.Node node, INDArray[] inputs, INDArray layerInput) {
            return node.implementation().activate(layerInput, true, mgr);
        }

        @Override
        Pair<Gradient, INDArray[]> backward(NetworkView.Node node, INDArray eps, int mb) {
            Pair<Gradient, INDArray> p = node.implementation().backpropGradient(eps, mgr);
            INDArray in = p.getSecond();
            InputPreProcessor pp = node.preProcessor();
            if (pp != null && in != null) {
                in = pp.backprop(in, mb, mgr);
            }
            return new Pair<>(p.getFirst(), new INDArray[] {in});
        }

        @Override
        void labels(INDArray labels) {
            net.setLabels(labels);
        }
    }

    /** A graph: its vertices by name. */
    static final class Graph extends Runner {
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            this.graph = graph;
        }

        /** DL4J's {@code topologicalSortOrder()}: the view's own order may differ among independent vertices. */
        @Override
        List<NetworkView.Node> order(NetworkView view) {
            Map<String, Integer> rank = new HashMap<>();
            int[] topo = graph.topologicalSortOrder();
            GraphVertex[] vertices = graph.getVertices();
            for (int i = 0; i < topo.length; i++) {
                rank.put(vertices[topo[i]].getVertexName(), i);
            }
            List<NetworkView.Node> nodes = new ArrayList<>(view.nodes());
            nodes.sort(Comparator.comparingInt(n -> rank.get(n.name())));
            return nodes;
        }

        @Override
        Layer layer(NetworkView.Node node) {
            return node.implementation();
        }

        @Override
        String rowName(NetworkView.Node node, int row) {
            return node.name();
        }

        @Override
        INDArray layerInput(NetworkView.Node node, INDArray[] inputs) {
            return inputs.length == 1 ? inputs[0] : null;
        }

        @Override
        INDArray forward(NetworkView.Node node, INDArray[] inputs, INDArray layerInput) {
            GraphVertex v = graph.getVertex(node.name());
            for (int j = 0; j < inputs.length; j++) {
                v.setInput(j, inputs[j], mgr);
            }
            return v.doForward(true, mgr);
        }

        @Override
        Pair<Gradient, INDArray[]> backward(NetworkView.Node node, INDArray eps, int mb) {
            GraphVertex v = graph.getVertex(node.name());
            v.setEpsilon(eps);
            return v.doBackward(false, mgr);
        }
    }
}
