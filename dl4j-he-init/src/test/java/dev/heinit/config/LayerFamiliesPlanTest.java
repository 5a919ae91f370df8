package dev.heinit.config;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.conf.ocnn.OCNNOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.internal.dl4j.LayerRules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What feeds a layer: the output rule of the layer before it (not always its configured activation), branch means
 * in sums, the Average vertex's gradient split, PyTorch's own-activation convention, and layers the pass cannot
 * model. Expected gains are closed forms or {@link Simpson} values, never the library's quadrature.
 */
class LayerFamiliesPlanTest {

    private static MultiLayerConfiguration mlp(Layer middle, Layer last) {
        return new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(middle)
                .layer(last)
                .build();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(16)
                .nOut(4)
                .activation(Activation.IDENTITY)
                .build();
    }

    @Test
    void preluFeedsLeakyReluWithItsInitialAlphaNotItsConfiguredSigmoid() {
        // DL4J's PReLU: alpha init constant 0 → ReLU output, gain √2 (the configured sigmoid would give 1.846).
        InitPlan p0 =
                HeConfigurer.plan(mlp(new PReLULayer.Builder().inputShape(16).build(), output()));
        assertEquals(Math.sqrt(2), p0.rows("layer2", "W").get(0).gain(), 1e-9);
        // Constant alpha 0.25: leaky ReLU, E[f²] = (1 + a²)/2.
        InitPlan p1 = HeConfigurer.plan(mlp(
                new PReLULayer.Builder()
                        .inputShape(16)
                        .weightInit(new WeightInitConstant(0.25))
                        .build(),
                output()));
        assertEquals(Math.sqrt(2 / (1 + 0.0625)), p1.rows("layer2", "W").get(0).gain(), 1e-9);
        // A random alpha init: ReLU is assumed, and the next row says so.
        InitPlan p2 = HeConfigurer.plan(mlp(
                new PReLULayer.Builder()
                        .inputShape(16)
                        .weightInit(WeightInit.XAVIER)
                        .build(),
                output()));
        InitPlan.Row r = p2.rows("layer2", "W").get(0);
        assertEquals(Math.sqrt(2), r.gain(), 1e-9);
        assertTrue(r.notes().contains("non-constant alpha"), r.notes());
    }

    @Test
    void vaeFeedsItsPzxActivation() {
        VariationalAutoencoder vae = new VariationalAutoencoder.Builder()
                .nIn(16)
                .nOut(16)
                .encoderLayerSizes(8)
                .decoderLayerSizes(8)
                .activation(Activation.RELU)
                .pzxActivationFunction(Activation.TANH)
                .build();
        InitPlan plan = HeConfigurer.plan(mlp(vae, output()));
        assertEquals(
                Simpson.forwardGain(Math::tanh), plan.rows("layer2", "W").get(0).gain(), 1e-6);
    }

    @Test
    void anUnmodelledLayerGivesAUnitSignalAndSaysSo() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new GravesBidirectionalLSTM.Builder()
                        .nIn(8)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(8)
                        .nOut(4)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
        InitPlan.Row r = HeConfigurer.plan(conf).rows("layer1", "W").get(0);
        assertEquals(1.0, r.gain(), 1e-12);
        assertTrue(r.notes().contains("GravesBidirectionalLSTM not modelled"), r.notes());
    }

    @Test
    void layerOutputsWhitelist() {
        assertEquals(
                new ActivationTanH(),
                LayerRules.of(new DenseLayer.Builder()
                                .nIn(2)
                                .nOut(2)
                                .activation(Activation.TANH)
                                .build())
                        .output()
                        .activation());
        assertNull(LayerRules.of(
                        new GravesBidirectionalLSTM.Builder().nIn(2).nOut(2).build())
                .output()
                .activation());
        assertTrue(LayerRules.of(new PReLULayer.Builder().inputShape(2).build())
                .output()
                .exact());
    }

    @Test
    void ocnnOutputLayerIsReportedNotFatal() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OCNNOutputLayer.Builder()
                        .nIn(16)
                        .hiddenLayerSize(8)
                        .nu(0.1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build();
        InitPlan plan = HeConfigurer.plan(conf);
        List<InitPlan.Row> un = plan.rows(InitPlan.Status.UNSUPPORTED);
        assertEquals(1, un.size(), plan.toText());
        assertEquals("layer1", un.get(0).layer());
        assertTrue(un.get(0).notes().contains("OCNNOutputLayer"), un.get(0).notes());
        MultiLayerNetwork net = new MultiLayerNetwork(HeConfigurer.apply(conf));
        net.init();
        assertEquals(1.0, plan.rows("layer0", "W").get(0).gain(), 1e-12);
    }

    @Test
    void aLayerWhoseInitsCannotBeRecordedGetsAnUnsupportedRowAndThePlanGoesOn() {
        BrokenInitDense broken = new BrokenInitDense(16, 16);
        broken.setActivationFn(new ActivationTanH());
        MultiLayerConfiguration conf = mlp(broken, output());
        InitPlan plan = HeConfigurer.plan(conf);
        List<InitPlan.Row> un = plan.rows(InitPlan.Status.UNSUPPORTED);
        assertEquals(1, un.size(), plan.toText());
        assertEquals("layer1", un.get(0).layer());
        assertTrue(un.get(0).notes().contains("broken initializer"), un.get(0).notes());
        assertEquals(1.0, plan.rows("layer2", "W").get(0).gain(), 1e-12); // after it: unit signal assumed
    }

    private static ComputationGraphConfiguration twoBranches(ElementWiseVertex.Op op) {
        return new NeuralNetConfiguration.Builder()
                .seed(1)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addVertex("v", new ElementWiseVertex(op), "a", "b")
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "v")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(16)
                                .nOut(4)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "c")
                .setOutputs("out")
                .build();
    }

    @Test
    void sumOfTwoReluBranchesCountsTheirMeans() {
        // E[(x1+x2)²] = 1/2 + 1/2 + 2·(1/√(2π))² = 1 + 1/π = 1.318 for independent ReLU outputs.
        InitPlan plan = HeConfigurer.plan(twoBranches(ElementWiseVertex.Op.Add));
        assertEquals(1 / Math.sqrt(1 + 1 / Math.PI), plan.rows("c", "W").get(0).gain(), 1e-6);
        // Subtract: the cross term changes sign, 1 − 1/π.
        InitPlan sub = HeConfigurer.plan(twoBranches(ElementWiseVertex.Op.Subtract));
        assertEquals(1 / Math.sqrt(1 - 1 / Math.PI), sub.rows("c", "W").get(0).gain(), 1e-6);
    }

    @Test
    void averageDividesBothMomentsByNSquared() {
        InitPlan fwd = HeConfigurer.plan(twoBranches(ElementWiseVertex.Op.Average));
        assertEquals(
                1 / Math.sqrt((1 + 1 / Math.PI) / 4), fwd.rows("c", "W").get(0).gain(), 1e-6);
        // Backward (fan_out uses the derivative after a layer): each branch gets half the gradient, a quarter of its
        // second moment, so a branch's relu' moment is 1/2 · 1/4.
        InitPlan bwd = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(twoBranches(ElementWiseVertex.Op.Average));
        assertEquals(Math.sqrt(8), bwd.rows("a", "W").get(0).gain(), 1e-9);
        assertEquals(Math.sqrt(2), bwd.rows("c", "W").get(0).gain(), 1e-9); // its own relu, then the output layer
        // Add passes the whole gradient to each branch: relu', 1/2.
        InitPlan add = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(twoBranches(ElementWiseVertex.Op.Add));
        assertEquals(Math.sqrt(2), add.rows("a", "W").get(0).gain(), 1e-9);
    }

    @Test
    void pytorchConventionUsesEachLayersOwnActivation() {
        MultiLayerConfiguration relu = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(16)
                        .nOut(4)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        for (FanMode mode : FanMode.values()) {
            InitPlan plan = HeConfigurer.builder()
                    .gainConvention(GainConvention.PYTORCH)
                    .mode(mode)
                    .plan(relu);
            assertEquals(Math.sqrt(2), plan.rows("layer0", "W").get(0).gain(), 1e-12, mode + ": first layer too");
            assertEquals(Math.sqrt(2), plan.rows("layer1", "W").get(0).gain(), 1e-12);
            assertEquals(5.0 / 3, plan.rows("layer2", "W").get(0).gain(), 1e-12);
            assertEquals(1.0, plan.rows("layer3", "W").get(0).gain(), 1e-12, "softmax output: linear logits");
            assertTrue(plan.rows("layer1", "W").get(0).notes().contains("PYTORCH"));
        }
    }

    @Test
    void pytorchConventionKeepsLayersWithoutAPytorchGainInsteadOfThrowing() {
        MultiLayerConfiguration elu = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.ELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(output())
                .build();
        InitPlan plan =
                HeConfigurer.builder().gainConvention(GainConvention.PYTORCH).plan(elu);
        InitPlan.Row r = plan.rows("layer0", "W").get(0);
        assertEquals(InitPlan.Status.KEPT, r.status());
        assertTrue(r.notes().contains("calculate_gain"), r.notes());
        assertEquals(Math.sqrt(2), plan.rows("layer1", "W").get(0).gain(), 1e-12);
        MultiLayerNetwork net = new MultiLayerNetwork(
                HeConfigurer.builder().gainConvention(GainConvention.PYTORCH).configure(elu));
        net.init();
    }

    @Test
    void pytorchConventionHoldsAfterSums() {
        InitPlan plan = HeConfigurer.builder()
                .gainConvention(GainConvention.PYTORCH)
                .plan(twoBranches(ElementWiseVertex.Op.Add));
        InitPlan.Row c = plan.rows("c", "W").get(0);
        assertEquals(Math.sqrt(2), c.gain(), 1e-12); // relu's PyTorch gain, not 1/√1.318 from the sum
        assertEquals(InitPlan.Status.CONFIGURED, c.status());
        assertEquals(1.0, plan.rows("out", "W").get(0).gain(), 1e-12);
    }

    @Test
    void pooledSignalIsNotedOnTheNextWeightRow() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nIn(1)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        InitPlan.Row r = HeConfigurer.plan(conf).rows("layer2", "W").get(0);
        assertTrue(r.notes().contains("GlobalPoolingLayer"), r.notes());
        assertEquals(Math.sqrt(2), r.gain(), 1e-12);
    }
}
