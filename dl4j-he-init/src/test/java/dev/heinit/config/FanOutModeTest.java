package dev.heinit.config;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fan_out and fan_avg in the SECOND_MOMENT convention use, for layer l, the derivative of what lies between its
 * pre-activation y_l and the next weighted layers' inputs (He et al. 2015, eqs. 13–14: Var[Δx_l] = n̂_l·Var[w_l]·
 * E[(Δy_l)²], Δy_l = f'(y_l)·Δx_{l+1}), i.e. its own activation and what follows it, not what feeds it. The moments
 * are computed here by Simpson's rule on closed forms, independently of the library's quadrature.
 */
class FanOutModeTest {

    private static final double TANH_D2 = Simpson.expectation(z -> {
        double t = Math.tanh(z);
        return (1 - t * t) * (1 - t * t);
    });
    private static final double TANH_F2 = Simpson.expectation(z -> Math.tanh(z) * Math.tanh(z));

    private static MultiLayerConfiguration tanhReluSoftmax() {
        return new NeuralNetConfiguration.Builder()
                .seed(11)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(64)
                        .nOut(128)
                        .activation(Activation.TANH)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(128)
                        .nOut(96)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(96)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    private static double std(InitPlan plan, String layer) {
        return plan.rows(layer, "W").get(0).std();
    }

    private static void assertRel(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-7 * expected, what);
    }

    /** The sampled std of a parameter within 5 standard errors (SE of a normal sample's std: σ/√(2n)). */
    private static void assertSampled(INDArray p, double expected, String what) {
        double se = expected / Math.sqrt(2.0 * p.length());
        double sample = p.stdNumber().doubleValue();
        assertTrue(
                Math.abs(sample - expected) < 5 * se,
                what + ": sampled " + sample + ", planned " + expected + ", 5 SE = " + 5 * se);
    }

    @Test
    void fanOutDividesByTheDerivativeAfterTheLayer() {
        assertEquals(0.464403, TANH_D2, 1e-6); // the oracle itself
        MultiLayerConfiguration conf = tanhReluSoftmax();
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(conf);
        double s0 = Math.sqrt(1 / (128 * TANH_D2)); // tanh after layer 0
        double s1 = Math.sqrt(1 / (96 * 0.5)); // relu after layer 1
        double s2 = Math.sqrt(1 / 10.0); // the loss after the output layer: logits, linear
        assertRel(s0, std(plan, "layer0"), plan.toText());
        assertRel(s1, std(plan, "layer1"), plan.toText());
        assertRel(s2, std(plan, "layer2"), plan.toText());
        assertEquals("out: tanh'", plan.rows("layer0", "W").get(0).feeding());
        assertEquals("out: relu'", plan.rows("layer1", "W").get(0).feeding());
        assertTrue(
                plan.rows("layer2", "W").get(0).feeding().contains("last weighted layer"),
                plan.rows("layer2", "W").get(0).feeding());

        MultiLayerNetwork net = new MultiLayerNetwork(
                HeConfigurer.builder().mode(FanMode.FAN_OUT).configure(conf));
        net.init();
        assertSampled(net.getParam("0_W"), s0, "0_W");
        assertSampled(net.getParam("1_W"), s1, "1_W");
        assertSampled(net.getParam("2_W"), s2, "2_W");
    }

    @Test
    void fanOutLooksThroughAnActivationLayerAfterTheLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(32)
                        .nOut(64)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(64)
                        .nOut(8)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(conf);
        assertRel(Math.sqrt(1 / (64 * 0.5)), std(plan, "layer0"), plan.toText());
        assertEquals("out: relu'", plan.rows("layer0", "W").get(0).feeding());
        assertRel(Math.sqrt(1 / 8.0), std(plan, "layer2"), plan.toText());
    }

    @Test
    void fanAvgCombinesTheFeedingForwardMomentAndTheFollowingBackwardMoment() {
        MultiLayerConfiguration conf = tanhReluSoftmax();
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_AVG).plan(conf);
        // Var = 2/(fan_in·E_feed[f²] + fan_out·E_next[f'²])
        double s0 = Math.sqrt(2 / (64 * 1.0 + 128 * TANH_D2)); // input identity; tanh after
        double s1 = Math.sqrt(2 / (128 * TANH_F2 + 96 * 0.5)); // fed by tanh; relu after
        double s2 = Math.sqrt(2 / (96 * 0.5 + 10 * 1.0)); // fed by relu; loss after
        assertRel(s0, std(plan, "layer0"), plan.toText());
        assertRel(s1, std(plan, "layer1"), plan.toText());
        assertRel(s2, std(plan, "layer2"), plan.toText());
        assertEquals("in: tanh; out: relu'", plan.rows("layer1", "W").get(0).feeding());

        MultiLayerNetwork net = new MultiLayerNetwork(
                HeConfigurer.builder().mode(FanMode.FAN_AVG).configure(conf));
        net.init();
        assertSampled(net.getParam("0_W"), s0, "0_W");
        assertSampled(net.getParam("1_W"), s1, "1_W");
    }

    @Test
    void aLayerFeedingTwoConsumersSumsTheirBackwardMoments() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(13)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(48)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(48)
                                .nOut(24)
                                .activation(Activation.TANH)
                                .build(),
                        "a")
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(48)
                                .nOut(24)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "a")
                .addVertex("m", new MergeVertex(), "b", "c")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(48)
                                .nOut(4)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "m")
                .setOutputs("out")
                .build();
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(conf);
        // a's output feeds b and c: the gradient at a's pre-activation is relu'·(Δ_b + Δ_c), moment 1/2 + 1/2
        double sa = Math.sqrt(1 / (48 * (0.5 + 0.5)));
        assertRel(sa, std(plan, "a"), plan.toText());
        assertEquals("relu' + relu'", plan.rows("a", "W").get(0).feeding().replace("out: ", ""));
        // the concatenation hands each branch its slice: b's tanh, c's identity
        assertRel(Math.sqrt(1 / (24 * TANH_D2)), std(plan, "b"), plan.toText());
        assertRel(Math.sqrt(1 / 24.0), std(plan, "c"), plan.toText());
        assertRel(Math.sqrt(1 / 4.0), std(plan, "out"), plan.toText());

        ComputationGraph g = new ComputationGraph(
                HeConfigurer.builder().mode(FanMode.FAN_OUT).configure(conf));
        g.init();
        assertSampled(g.getParam("a_W"), sa, "a_W");
    }

    @Test
    void sumsPassTheGradientAndAveragesDivideItsMomentByNSquared() {
        for (ElementWiseVertex.Op op :
                new ElementWiseVertex.Op[] {ElementWiseVertex.Op.Add, ElementWiseVertex.Op.Average}) {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(14)
                    .graphBuilder()
                    .addInputs("in")
                    .addLayer(
                            "a",
                            new DenseLayer.Builder()
                                    .nIn(16)
                                    .nOut(32)
                                    .activation(Activation.TANH)
                                    .build(),
                            "in")
                    .addLayer(
                            "b",
                            new DenseLayer.Builder()
                                    .nIn(16)
                                    .nOut(32)
                                    .activation(Activation.RELU)
                                    .build(),
                            "in")
                    .addVertex("v", new ElementWiseVertex(op), "a", "b")
                    .addLayer(
                            "out",
                            new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                    .nIn(32)
                                    .nOut(4)
                                    .activation(Activation.IDENTITY)
                                    .build(),
                            "v")
                    .setOutputs("out")
                    .build();
            InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(conf);
            double k = op == ElementWiseVertex.Op.Average ? 0.25 : 1.0;
            assertRel(Math.sqrt(1 / (32 * TANH_D2 * k)), std(plan, "a"), op + "\n" + plan.toText());
            assertRel(Math.sqrt(1 / (32 * 0.5 * k)), std(plan, "b"), op + "\n" + plan.toText());
        }
    }

    @Test
    void anUnmodelledConsumerFallsBackToOneWithAnAssumption() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(15)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(32)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(32)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addVertex("p", new ElementWiseVertex(ElementWiseVertex.Op.Product), "a", "b")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(32)
                                .nOut(4)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "p")
                .setOutputs("out")
                .build();
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(conf);
        assertRel(Math.sqrt(1 / 32.0), std(plan, "a"), plan.toText());
        assertTrue(
                plan.rows(InitPlan.Status.ASSUMPTION).stream()
                        .anyMatch(r -> r.layer().equals("a") && r.notes().contains("'p'")),
                plan.toText());
    }

    @Test
    void fanInIsUnaffected() {
        InitPlan plan = HeConfigurer.plan(tanhReluSoftmax());
        assertRel(Math.sqrt(1 / 64.0), std(plan, "layer0"), plan.toText());
        assertRel(Math.sqrt(1 / (128 * TANH_F2)), std(plan, "layer1"), plan.toText());
        assertRel(Math.sqrt(1 / (96 * 0.5)), std(plan, "layer2"), plan.toText());
    }
}
