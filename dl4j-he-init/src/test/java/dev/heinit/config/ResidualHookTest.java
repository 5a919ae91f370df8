package dev.heinit.config;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code HeConfigurer.builder().residual(Fixup.defaults())}: the He pass, then Fixup, on a graph of L residual
 * branches of m convs ({@link FixupTest#residual}); the plan's weight rows carry Fixup's factor
 * {@code L^(−1/(2m−2))} (0 for a branch's last conv and the classifier) and their std includes it; the initialized
 * network's weights have that std (within 5 standard errors of a normal sample's std, σ/√(2n)).
 */
class ResidualHookTest {

    private static final int L = 4;
    private static final int M = 3;

    @Test
    void planRowsCarryFixupsFactorAndTheNetworkDrawsIt() {
        ComputationGraphConfiguration conf = FixupTest.residual(L, M, false);
        InitPlan he = HeConfigurer.builder().plan(conf);
        InitPlan plan = HeConfigurer.builder().residual(Fixup.defaults()).plan(conf);
        double f = Math.pow(L, -1.0 / (2 * M - 2)); // 4^(−1/4) = 0.7071
        assertEquals(1 / Math.sqrt(2), f, 1e-12);
        for (int b = 0; b < L; b++) {
            for (int i = 1; i <= M; i++) {
                String name = "b" + b + "c" + i;
                InitPlan.Row r = plan.rows(name, "W").get(0);
                InitPlan.Row h = he.rows(name, "W").get(0);
                double expected = i == M ? 0 : f;
                assertEquals(i == M ? Fixup.Role.ZERO_LAST : Fixup.Role.SCALED, r.residualRole(), name);
                assertEquals(expected, r.residualFactor(), 1e-12, name);
                assertEquals(expected * h.std(), r.std(), 1e-12 * h.std(), name);
                assertTrue(r.notes().contains("Fixup " + r.residualRole()), r.notes());
                assertTrue(plan.toText().contains("branch ending at 'add" + b + "'"), plan::toText);
            }
        }
        assertNull(plan.rows("stem", "W").get(0).residualRole());
        assertEquals(
                he.rows("stem", "W").get(0).std(), plan.rows("stem", "W").get(0).std());
        assertEquals(Fixup.Role.ZERO_CLASSIFIER, plan.rows("out", "W").get(0).residualRole());

        ComputationGraph net = new ComputationGraph(
                HeConfigurer.builder().residual(Fixup.defaults()).configure(conf));
        net.init();
        for (String name : new String[] {"b0c1", "b3c2"}) {
            INDArray w = net.getParam(name + "_W");
            double planned = plan.rows(name, "W").get(0).std();
            double sample = w.castTo(DataType.DOUBLE).stdNumber().doubleValue();
            double se = planned / Math.sqrt(2.0 * w.length());
            assertTrue(Math.abs(sample - planned) < 5 * se, name + ": sampled " + sample + ", planned " + planned);
        }
        assertEquals(0.0, net.getParam("b2c3_W").amaxNumber().doubleValue());
    }

    @Test
    void residualNeedsAGraphWithBranches() {
        MultiLayerConfiguration chain = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder()
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(6, 6, 1))
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().residual(Fixup.defaults()).configure(chain));
        assertTrue(e.getMessage().contains("needs a ComputationGraphConfiguration"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().residual(Fixup.defaults()).plan(chain));
        assertTrue(e.getMessage().contains("MultiLayerConfiguration has none"), e.getMessage());

        ComputationGraphConfiguration noBranch = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "c",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder()
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "c")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .build();
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().residual(Fixup.defaults()).plan(noBranch));
        assertTrue(e.getMessage().contains("no residual branches found"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> HeConfigurer.builder().residual(null));
        assertTrue(e.getMessage().contains("residual must be a Fixup"), e.getMessage());
    }
}
