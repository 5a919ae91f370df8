package dev.heinit.internal.dl4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One model of a DL4J network, the same for a {@code MultiLayerConfiguration} and a
 * {@code ComputationGraphConfiguration} (plan time) and for an initialized {@code MultiLayerNetwork} or
 * {@code ComputationGraph} (run time): its nodes in topological order, each with its inputs, consumers, input
 * and output types (when the network's input types are given), its layer configuration (as configured, and
 * unwrapped by {@link LayerRule#unwrap}), its {@link LayerRule} or {@link VertexRule}, and at run time its layer implementation and parameters.
 *
 * <p>A {@code MultiLayerConfiguration} becomes a chain: an input node named {@link #MLN_INPUT} feeding the layers,
 * whose node names are their indices ("0", "1", …; {@link Node#displayName()} is the layer name when one is set).
 * A graph's network inputs come first, in input order, then its vertices by Kahn's algorithm over the
 * configuration's vertex order (the order DL4J's JSON keeps). Node and layer objects are those of the
 * configuration: what a pass sets on {@link Node#layer()} is set in the configuration the view was built from.
 */
public final class NetworkView {

    /** The name of a chain's input node (not a valid layer index, so it cannot clash with a layer's name). */
    public static final String MLN_INPUT = "input";

    /** What a node is. */
    public enum Kind {
        /** A network input. */
        INPUT,
        /** A layer (a graph's LayerVertex, or a chain's layer). */
        LAYER,
        /** Any other graph vertex (merge, element-wise, scale, shape vertices, SameDiff vertices …). */
        VERTEX
    }

    /** One node of the network. */
    public static final class Node {
        private final String name;
        private final String displayName;
        private final int position;
        private final Kind kind;
        private final List<String> inputs;
        private final List<String> consumers = new ArrayList<>();
        private final Layer layer;
        private final GraphVertex vertex;
        private final InputPreProcessor preProcessor;
        private InputType inputType;
        private InputType outputType;
        private boolean networkOutput;
        private org.deeplearning4j.nn.api.Layer implementation;

        Node(
                String name,
                String displayName,
                int position,
                Kind kind,
                List<String> inputs,
                Layer layer,
                GraphVertex vertex,
                InputPreProcessor preProcessor) {
            this.name = name;
            this.displayName = displayName;
            this.position = position;
            this.kind = kind;
            this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
            this.layer = layer;
            this.vertex = vertex;
            this.preProcessor = preProcessor;
        }

        /** The node's key: the vertex name, or the layer index of a chain. */
        public String name() {
            return name;
        }

        /**
         * The name to show: a chain layer's name if set, else "layer" + its index (DL4J's own default name); a
         * graph's vertex name.
         */
        public String displayName() {
            return displayName;
        }

        /** Position in topological order, from 0. */
        public int position() {
            return position;
        }

        /** What the node is. */
        public Kind kind() {
            return kind;
        }

        /** The names of the nodes feeding this one, in DL4J's input order. */
        public List<String> inputs() {
            return inputs;
        }

        /** The names of the nodes this one feeds, in the order the configuration declares them. */
        public List<String> consumers() {
            return Collections.unmodifiableList(consumers);
        }

        /** The layer configuration as configured (wrappers included), or null if not a layer. */
        public Layer layer() {
            return layer;
        }

        /** {@link LayerRule#unwrap} of {@link #layer()}, or null if not a layer. */
        public Layer unwrappedLayer() {
            return layer == null ? null : LayerRule.unwrap(layer);
        }

        /** The rule of the node's layer ({@link LayerRules#of}), or null if the node is not a layer. */
        public LayerRule rule() {
            return layer == null ? null : LayerRules.of(layer);
        }

        /**
         * What the node does to the signal: its layer's or vertex's {@link Transfer}; the identity for an input.
         */
        public Transfer transfer() {
            if (layer != null) {
                return rule().transfer();
            }
            return vertex == null ? Transfer.identity() : VertexRule.of(vertex).transfer();
        }

        /** The node's type as plans and reports show it: the configured layer's or vertex's class, simple name. */
        public String type() {
            return layer != null
                    ? layer.getClass().getSimpleName()
                    : vertex == null ? "Input" : VertexRule.of(vertex).type();
        }

        /** The graph vertex configuration of a {@link Kind#VERTEX} node (LayerVertex for a graph's layer), or null. */
        public GraphVertex vertex() {
            return vertex;
        }

        /** The preprocessor DL4J applies to the layer's input, or null. */
        public InputPreProcessor preProcessor() {
            return preProcessor;
        }

        /**
         * The type of the layer's input after its preprocessor, or null when input types were not given or the node
         * has several inputs.
         */
        public InputType inputType() {
            return inputType;
        }

        /** The type of the node's output, or null when input types were not given. */
        public InputType outputType() {
            return outputType;
        }

        /** True if the node is one of the network's outputs (a chain's last layer). */
        public boolean isNetworkOutput() {
            return networkOutput;
        }

        /**
         * The layer's input as DL4J hands it to the layer: {@code x} through the node's preprocessor, if any (the
         * one place both LSUV and the diagnostics run a node's input through); batch: the number of examples.
         */
        public INDArray layerInput(INDArray x, int batch, LayerWorkspaceMgr mgr) {
            return preProcessor == null ? x : preProcessor.preProcess(x, batch, mgr);
        }

        /** The layer implementation of a view built from an initialized network, else null. */
        public org.deeplearning4j.nn.api.Layer implementation() {
            return implementation;
        }

        /** The layer's parameters (a view of the network's), empty at plan time or for nodes without any. */
        public Map<String, INDArray> params() {
            return implementation == null || implementation.paramTable() == null
                    ? Collections.emptyMap()
                    : Collections.unmodifiableMap(implementation.paramTable());
        }

        @Override
        public String toString() {
            return kind + " " + name
                    + (layer == null
                            ? vertex == null ? "" : " " + vertex.getClass().getSimpleName()
                            : " " + layer.getClass().getSimpleName())
                    + " <- " + inputs;
        }
    }

    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final List<String> networkInputs;
    private final Set<String> networkOutputs;

    /** declared: the node names in the order the configuration declares them (a node's consumers keep it). */
    private NetworkView(
            List<Node> nodes, List<String> declared, List<String> networkInputs, Set<String> networkOutputs) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.byName = new LinkedHashMap<>();
        for (Node n : nodes) {
            byName.put(n.name, n);
        }
        for (String name : declared) {
            Node n = byName.get(name);
            if (n == null) {
                continue; // on a cycle: DL4J rejects such a graph when it is built
            }
            for (String in : n.inputs) {
                Node src = byName.get(in);
                if (src != null) {
                    src.consumers.add(n.name);
                }
            }
        }
        for (Node n : nodes) {
            n.networkOutput = networkOutputs.contains(n.name);
        }
        this.networkInputs = Collections.unmodifiableList(new ArrayList<>(networkInputs));
        this.networkOutputs = Collections.unmodifiableSet(new LinkedHashSet<>(networkOutputs));
    }

    /**
     * The chain of {@code conf}; with an input type, every node's input and output types
     * ({@code conf.getLayerActivationTypes}, which does not change conf).
     *
     * @throws IllegalArgumentException if conf is null, or inputTypes are given and are not exactly one non-null type
     */
    public static NetworkView of(MultiLayerConfiguration conf, InputType... inputTypes) {
        if (conf == null) {
            throw new IllegalArgumentException("configuration must be a built MultiLayerConfiguration, got null");
        }
        List<InputType> types = null;
        if (inputTypes != null && inputTypes.length > 0) {
            if (inputTypes.length != 1 || inputTypes[0] == null) {
                throw new IllegalArgumentException("a MultiLayerConfiguration has one input, got " + inputTypes.length
                        + " input types " + Arrays.toString(inputTypes));
            }
            types = conf.getLayerActivationTypes(inputTypes[0]);
        }
        int n = conf.getConfs().size();
        List<Node> nodes = new ArrayList<>();
        Node input = new Node(MLN_INPUT, MLN_INPUT, 0, Kind.INPUT, List.of(), null, null, null);
        input.outputType = types == null ? null : inputTypes[0];
        nodes.add(input);
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            String key = Integer.toString(i);
            Node node = new Node(
                    key,
                    layer.getLayerName() != null ? layer.getLayerName() : "layer" + i,
                    i + 1,
                    Kind.LAYER,
                    List.of(i == 0 ? MLN_INPUT : Integer.toString(i - 1)),
                    layer,
                    null,
                    conf.getInputPreProcess(i));
            if (types != null) {
                InputType in = i == 0 ? inputTypes[0] : types.get(i - 1);
                node.inputType = node.preProcessor == null ? in : node.preProcessor.getOutputType(in);
                node.outputType = types.get(i);
                requireNonEmpty(node, inputTypes);
            }
            nodes.add(node);
        }
        List<String> declared = new ArrayList<>();
        for (Node node : nodes) {
            declared.add(node.name);
        }
        return new NetworkView(
                nodes, declared, List.of(MLN_INPUT), n == 0 ? Set.of() : Set.of(Integer.toString(n - 1)));
    }

    /**
     * The graph of {@code conf}; with input types (one per network input, in order), every node's input and output
     * types, computed on a JSON copy (DL4J's {@code getLayerActivationTypes(true, …)} changes the configuration it
     * is called on).
     *
     * @throws IllegalArgumentException if conf is null, or inputTypes are given but not one non-null type per input
     */
    public static NetworkView of(ComputationGraphConfiguration conf, InputType... inputTypes) {
        if (conf == null) {
            throw new IllegalArgumentException("configuration must be a built ComputationGraphConfiguration, got null");
        }
        List<String> inputs = conf.getNetworkInputs();
        Map<String, InputType> types = null;
        if (inputTypes != null && inputTypes.length > 0) {
            if (inputTypes.length != inputs.size() || Arrays.asList(inputTypes).contains(null)) {
                throw new IllegalArgumentException("the graph has " + inputs.size() + " inputs " + inputs + ", got "
                        + inputTypes.length + " input types");
            }
            // With false, DL4J skips the existing preprocessors and fails on conv → dense; true mutates the
            // configuration it is called on (same preprocessors and nIn), so call it on a copy.
            types = new HashMap<>(
                    ComputationGraphConfiguration.fromJson(conf.toJson()).getLayerActivationTypes(true, inputTypes));
            for (int i = 0; i < inputs.size(); i++) {
                types.put(inputs.get(i), inputTypes[i]);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (String in : inputs) {
            Node node = new Node(in, in, nodes.size(), Kind.INPUT, List.of(), null, null, null);
            node.outputType = types == null ? null : types.get(in);
            nodes.add(node);
        }
        for (String v : topologicalOrder(conf)) {
            GraphVertex gv = conf.getVertices().get(v);
            List<String> ins = conf.getVertexInputs().get(v);
            Node node;
            if (gv instanceof LayerVertex) {
                LayerVertex lv = (LayerVertex) gv;
                node = new Node(
                        v, v, nodes.size(), Kind.LAYER, ins, lv.getLayerConf().getLayer(), gv, lv.getPreProcessor());
            } else {
                node = new Node(v, v, nodes.size(), Kind.VERTEX, ins, null, gv, null);
            }
            if (types != null) {
                if (ins.size() == 1) {
                    InputType in = types.get(ins.get(0));
                    node.inputType = node.preProcessor != null && in != null ? node.preProcessor.getOutputType(in) : in;
                }
                node.outputType = types.get(v);
                requireNonEmpty(node, inputTypes);
            }
            nodes.add(node);
        }
        return new NetworkView(
                nodes,
                new ArrayList<>(conf.getVertices().keySet()),
                inputs,
                new LinkedHashSet<>(conf.getNetworkOutputs()));
    }

    /**
     * DL4J only warns ("Assigning height of 0") when strides and pools shrink a map to nothing, and every moment
     * computed downstream is then NaN: name the first such node instead. Inputs with a zero dimension are unknown
     * sizes (Keras's None), which DL4J propagates as 0: not checked.
     */
    private static void requireNonEmpty(Node node, InputType[] networkInputs) {
        InputType t = node.outputType;
        if (t == null || Arrays.stream(networkInputs).anyMatch(NetworkView::hasEmptyDimension)) {
            return;
        }
        if (hasEmptyDimension(t)) {
            throw new IllegalArgumentException(node.displayName() + " (" + node.type() + ") outputs " + t
                    + ", an empty shape: the network input " + Arrays.toString(networkInputs)
                    + " is too small for its strides and pooling");
        }
    }

    private static boolean hasEmptyDimension(InputType t) {
        return Arrays.stream(t.getShape(false)).anyMatch(d -> d == 0);
    }

    /**
     * The chain of an initialized network, each layer node with its implementation and parameters.
     *
     * @throws IllegalArgumentException if net is null or not initialized
     */
    public static NetworkView of(MultiLayerNetwork net) {
        if (net == null || net.getLayers() == null) {
            throw new IllegalArgumentException("net must be an initialized MultiLayerNetwork (call net.init()), got "
                    + (net == null ? "null" : "an uninitialized network"));
        }
        NetworkView view = of(net.getLayerWiseConfigurations());
        for (int i = 0; i < net.getLayers().length; i++) {
            view.byName.get(Integer.toString(i)).implementation = net.getLayer(i);
        }
        return view;
    }

    /**
     * The graph of an initialized network, each layer node with its implementation and parameters.
     *
     * @throws IllegalArgumentException if net is null or not initialized
     */
    public static NetworkView of(ComputationGraph net) {
        if (net == null || net.getVertices() == null) {
            throw new IllegalArgumentException("net must be an initialized ComputationGraph (call net.init()), got "
                    + (net == null ? "null" : "an uninitialized network"));
        }
        NetworkView view = of(net.getConfiguration());
        for (Node n : view.nodes) {
            if (n.kind == Kind.LAYER) {
                n.implementation = net.getVertex(n.name).getLayer();
            }
        }
        return view;
    }

    /** Every node, in topological order (network inputs first). */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * The node called {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node '" + name + "'; nodes: " + byName.keySet());
        }
        return n;
    }

    /** The network inputs, in order. */
    public List<String> networkInputs() {
        return networkInputs;
    }

    /** The network outputs. */
    public Set<String> networkOutputs() {
        return networkOutputs;
    }

    /** Kahn's algorithm over the configuration's vertex order, ready vertices first in, first out. */
    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        Map<String, Integer> indeg = new LinkedHashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String v : conf.getVertices().keySet()) {
            int n = 0;
            for (String in : conf.getVertexInputs().get(v)) {
                if (conf.getVertices().containsKey(in)) {
                    n++;
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(v);
                }
            }
            indeg.put(v, n);
        }
        Deque<String> ready = new ArrayDeque<>();
        indeg.forEach((v, n) -> {
            if (n == 0) {
                ready.add(v);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String v = ready.poll();
            order.add(v);
            for (String c : consumers.getOrDefault(v, new ArrayList<>())) {
                if (indeg.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        return order;
    }
}
