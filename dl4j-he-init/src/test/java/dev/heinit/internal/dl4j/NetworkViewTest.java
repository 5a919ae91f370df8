package dev.heinit.internal.dl4j;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkViewTest {

    private static MultiLayerConfiguration chain() {
        return new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .name("conv")
                        .build())
                .layer(new FrozenLayer(new DenseLayer.Builder().nOut(5).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(2)
                        .build())
                .setInputType(InputType.convolutional(6, 6, 1))
                .build();
    }

    private static ComputationGraphConfiguration graph() {
        // declared out of topological order: "m" before its inputs
        return new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("x")
                .addVertex("m", new MergeVertex(), "b", "a")
                .addLayer("a", new DenseLayer.Builder().nIn(3).nOut(4).build(), "x")
                .addLayer("b", new DenseLayer.Builder().nIn(3).nOut(6).build(), "x")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(10)
                                .nOut(2)
                                .build(),
                        "m")
                .setOutputs("out")
                .build();
    }

    @Test
    void chainFromConfigurationWithTypes() {
        MultiLayerConfiguration conf = chain();
        NetworkView v = NetworkView.of(conf, InputType.convolutional(6, 6, 1));
        assertEquals(List.of(NetworkView.MLN_INPUT, "0", "1", "2"), names(v));
        assertEquals("conv", v.node("0").displayName());
        // DL4J's ListBuilder names an unnamed layer "layer" + its index (a wrapper such as FrozenLayer included), and
        // the view must neither rename it nor fall back to the index while it has a name.
        assertEquals("layer1", v.node("1").displayName());
        assertEquals("layer1", conf.getConf(1).getLayer().getLayerName(), "the configuration is left as it was");
        assertEquals("layer2", v.node("2").displayName());
        assertSame(conf.getConf(1).getLayer(), v.node("1").layer());
        assertTrue(v.node("1").unwrappedLayer() instanceof DenseLayer);
        assertEquals(List.of("1"), v.node("0").consumers());
        assertEquals(InputType.feedForward(4 * 4 * 4), v.node("1").inputType(), "after the CNN→FF preprocessor");
        assertEquals(Set.of("2"), v.networkOutputs());
        assertTrue(v.node("2").isNetworkOutput());
        assertNull(NetworkView.of(conf).node("1").inputType(), "no types without input types");
        assertThrows(
                IllegalArgumentException.class,
                () -> NetworkView.of(conf, InputType.feedForward(3), InputType.feedForward(3)));
    }

    @Test
    void graphInTopologicalOrderConsumersAsDeclared() {
        NetworkView v = NetworkView.of(graph(), InputType.feedForward(3));
        List<String> order = names(v);
        assertEquals("x", order.get(0));
        assertTrue(order.indexOf("m") > order.indexOf("a") && order.indexOf("m") > order.indexOf("b"));
        assertEquals(List.of("b", "a"), v.node("m").inputs());
        assertEquals(List.of("a", "b"), v.node("x").consumers(), "declaration order");
        assertEquals(NetworkView.Kind.VERTEX, v.node("m").kind());
        assertEquals(InputType.feedForward(10), v.node("m").outputType());
        assertNull(v.node("m").inputType(), "several inputs: no single input type");
        assertThrows(IllegalArgumentException.class, () -> v.node("nope"));
    }

    @Test
    void runtimeViewsCarryImplementationsAndParams() {
        MultiLayerNetwork net = new MultiLayerNetwork(chain());
        net.init();
        NetworkView v = NetworkView.of(net);
        assertSame(net.getLayer(0), v.node("0").implementation());
        assertEquals(Set.of("W", "b"), v.node("0").params().keySet());
        assertTrue(v.node(NetworkView.MLN_INPUT).params().isEmpty());
        ComputationGraph g = new ComputationGraph(graph());
        g.init();
        NetworkView gv = NetworkView.of(g);
        assertSame(g.getLayer("a"), gv.node("a").implementation());
        assertSame(g.getLayer("a").getParam("W"), gv.node("a").params().get("W"));
        assertNull(gv.node("m").implementation());
        assertThrows(IllegalArgumentException.class, () -> NetworkView.of(new MultiLayerNetwork(chain())));
    }

    private static List<String> names(NetworkView v) {
        return v.nodes().stream().map(NetworkView.Node::name).collect(Collectors.toList());
    }
}
