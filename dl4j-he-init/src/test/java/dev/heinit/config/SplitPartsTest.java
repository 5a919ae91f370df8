package dev.heinit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.Sampler;
import dev.heinit.fan.Fan;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.VertexRule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration pass's parts on their own: forward moment algebra, backward walk, gain policy. */
class SplitPartsTest {

    private static final double M = 1 / Math.sqrt(2 * Math.PI); // E[relu(z)]

    /** in → a (relu), b (relu) → add → c → out; the add's output is a network output too. */
    private static NetworkView sumGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(4)
                                .nOut(6)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(4)
                                .nOut(6)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Average), "a", "b")
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(6)
                                .nOut(6)
                                .activation(Activation.RELU)
                                .build(),
                        "sum")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(6)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "c")
                .setOutputs("out")
                .build();
        return NetworkView.of(conf);
    }

    @Test
    void forwardSumOfReluBranchesHasTheCrossTerm() {
        List<InitPlan.Row> rows = new ArrayList<>();
        Feed relu = Feed.of(new ActivationReLU());
        NetworkView v = sumGraph();
        Feed add = ForwardMoments.vertex(
                "s",
                "ElementWiseVertex",
                VertexRule.of(new ElementWiseVertex(ElementWiseVertex.Op.Add)).transfer(),
                List.of("a", "b"),
                List.of(relu, relu),
                v,
                false,
                rows);
        assertEquals(0.5 + 0.5 + 2 * M * M, add.forward, 1e-9); // 1.318
        assertEquals(2 * M, add.mean, 1e-9);
        assertNull(add.activation);
        Feed avg = ForwardMoments.vertex(
                "s",
                "ElementWiseVertex",
                VertexRule.of(new ElementWiseVertex(ElementWiseVertex.Op.Average))
                        .transfer(),
                List.of("a", "b"),
                List.of(relu, relu),
                v,
                false,
                rows);
        assertEquals((1 + 2 * M * M) / 4, avg.forward, 1e-9);
        assertEquals(InitPlan.Status.ASSUMPTION, rows.get(0).status());
    }

    @Test
    void backwardAverageDividesByNSquaredAndTanhDerivativeComposes() {
        NetworkView v = sumGraph();
        Map<String, Feed> out = Map.of(
                "a",
                Feed.of(new ActivationReLU()),
                "b",
                Feed.of(new ActivationTanH()),
                "c",
                Feed.of(new ActivationReLU()),
                "out",
                Feed.of(null));
        Map<String, BackwardMoments.Back> back = BackwardMoments.of(out, Set.of("a", "b", "c", "out"), v);
        double dtanh2 = Simpson.expectation(z -> Math.pow(1 - Math.tanh(z) * Math.tanh(z), 2));
        // a: relu' (1/2), then the average passes 1/2 of the gradient: ×1/4
        assertEquals(0.5 / 4, back.get("a").moment, 1e-9);
        assertEquals(dtanh2 / 4, back.get("b").moment, 1e-6);
        assertEquals(0.5, back.get("c").moment, 1e-9);
        assertEquals(1.0, back.get("out").moment, 0.0); // the loss follows
    }

    @Test
    void gainPolicyPerConvention() {
        Fan f = dev.heinit.fan.Fans.of(
                new DenseLayer.Builder().nIn(100).nOut(50).build(),
                "W",
                dev.heinit.fan.FanConvention.STRIDE_IGNORED,
                null);
        Feed relu = Feed.of(new ActivationReLU());
        GainPolicy second = new GainPolicy(Sampler.NORMAL, FanMode.FAN_IN, GainConvention.SECOND_MOMENT);
        assertEquals(
                Math.sqrt(2.0 / 100),
                second.choose(f, "", relu, null, new ActivationTanH(), false, false)
                        .init
                        .std(100, 50),
                1e-12);
        // an embedding looks a row up: identity gain whatever feeds it
        assertEquals(
                Math.sqrt(1.0 / 100),
                second.choose(f, "", relu, null, new ActivationTanH(), false, true)
                        .init
                        .std(100, 50),
                1e-12);
        GainPolicy torch = new GainPolicy(Sampler.NORMAL, FanMode.FAN_IN, GainConvention.PYTORCH);
        GainPolicy.Choice own = torch.choose(f, "", relu, null, new ActivationTanH(), false, false);
        assertEquals(5.0 / 3 / Math.sqrt(100), own.init.std(100, 50), 1e-12); // calculate_gain('tanh') = 5/3
        assertEquals("own tanh", own.feeding);
        GainPolicy.Choice kept = torch.choose(f, "", relu, null, new ActivationELU(), false, false);
        assertNull(kept.init, "PyTorch has no gain for ELU: the weight's own init is kept");
        assertTrue(kept.note.contains("calculate_gain"));
        // the one moment-to-gain formula: fan_avg, E_in = 1/2, E_out = 1/4 → std √(1/(50·1/2 + 25·1/4))
        double g = GainPolicy.gain(FanMode.FAN_AVG, 100, 50, 0.5, 0.25);
        assertEquals(Math.sqrt(1 / (0.5 * 100 * 0.5 + 0.5 * 50 * 0.25)), g / Math.sqrt(75), 1e-12);
    }
}
