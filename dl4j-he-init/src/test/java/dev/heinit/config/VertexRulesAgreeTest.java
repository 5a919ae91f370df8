package dev.heinit.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward and the backward moment rules read one {@code Transfer} per vertex, so they agree: a vertex the forward
 * pass models (no "not modelled" row, no unit second moment assumed) is one the fan_out side walks through, and a
 * vertex it does not model makes the backward moment of the layer before it "taken as 1". Before the rules,
 * Subset, Stack and Unstack passed the signal forward but stopped the backward walk.
 */
class VertexRulesAgreeTest {

    /** in → a (Dense relu) → [vertex] → b (Dense) → out; two-input vertices take a twice. */
    private static ComputationGraphConfiguration graph(GraphVertex v, int inputs, long bIn) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(8)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "in");
        g.addVertex("v", v, inputs == 1 ? new String[] {"a"} : new String[] {"a", "a"});
        return g.addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(bIn)
                                .nOut(8)
                                .activation(Activation.TANH)
                                .build(),
                        "v")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(8)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "b")
                .setOutputs("out")
                .build();
    }

    @Test
    void forwardAndBackwardModelTheSameVertices() {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        // vertex, inputs, nIn of b, modelled
        cases.put("Subset", new Object[] {new SubsetVertex(0, 3), 1, 4L, true});
        cases.put("Stack", new Object[] {new StackVertex(), 2, 8L, true});
        cases.put("Unstack", new Object[] {new UnstackVertex(0, 1), 1, 8L, true});
        cases.put(
                "Preprocessor", new Object[] {new PreprocessorVertex(new FeedForwardToRnnPreProcessor()), 1, 8L, true});
        cases.put("Scale", new Object[] {new ScaleVertex(0.5), 1, 8L, true});
        cases.put("Add", new Object[] {new ElementWiseVertex(ElementWiseVertex.Op.Add), 2, 8L, true});
        cases.put("Product", new Object[] {new ElementWiseVertex(ElementWiseVertex.Op.Product), 2, 8L, false});
        cases.put("Shift", new Object[] {new ShiftVertex(1.0), 1, 8L, false});
        cases.put("L2Normalize", new Object[] {new L2NormalizeVertex(), 1, 8L, false});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Object[] v = c.getValue();
            InitPlan plan = HeConfigurer.builder()
                    .mode(FanMode.FAN_OUT)
                    .plan(graph((GraphVertex) v[0], (Integer) v[1], (Long) v[2]));
            boolean forward = plan.rows().stream()
                    .noneMatch(r -> r.layer().equals("v") && r.notes().contains("not modelled"));
            InitPlan.Row a = plan.rows("a", "W").get(0);
            boolean backward = !a.notes().contains("backward moment taken as 1");
            assertEquals(
                    forward,
                    backward,
                    c.getKey() + ": forward " + forward + ", backward " + backward + "\n" + plan.toText());
            assertEquals(v[3], forward, c.getKey() + " modelled\n" + plan.toText());
            assertTrue(a.status() == InitPlan.Status.CONFIGURED, c.getKey());
        }
    }
}
