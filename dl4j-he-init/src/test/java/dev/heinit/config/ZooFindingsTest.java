package dev.heinit.config;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the configuration pass used to treat as moment-preserving on DL4J's zoo models: LocalResponseNormalization
 * (modelled now), max pooling and zero padding (said in the rows they affect), concatenations without input types
 * (weighted by channel count), and fan_out after a saturating derivative (warned).
 */
class ZooFindingsTest {

    private static MultiLayerConfiguration cnn(Layer between) {
        return new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(between)
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(12, 12, 2))
                .build();
    }

    @Test
    void localResponseNormalizationScalesTheSecondMomentByKToMinus2Beta() {
        InitPlan.Row r = HeConfigurer.plan(cnn(new LocalResponseNormalization.Builder().build()))
                .rows("layer2", "W")
                .get(0);
        // relu feed E = 1/2, times 2^(−2·0.75) (DL4J's defaults k 2, β 0.75)
        assertEquals(1 / Math.sqrt(0.5 * Math.pow(2, -1.5)), r.gain(), 1e-9);
        // The factor the plan modelled, measured on DL4J's own layer: E[y²]/E[x²] across the LRN on a batch of
        // Gaussian inputs. α·Σx² (α 1e-4, ≤ 4 channels of O(1) values) moves it by < 1e-3 relative.
        double modelled = 1 / (0.5 * r.gain() * r.gain());
        MultiLayerNetwork net = new MultiLayerNetwork(cnn(new LocalResponseNormalization.Builder().build()));
        net.init();
        Nd4j.getRandom().setSeed(7);
        List<INDArray> acts = net.feedForward(Nd4j.randn(DataType.DOUBLE, 64, 2, 12, 12), false);
        double measured = meanSquare(acts.get(2)) / meanSquare(acts.get(1));
        assertEquals(modelled, measured, 2e-3 * modelled, "LRN second-moment factor: modelled vs DL4J's layer");
        assertTrue(r.notes().contains("LocalResponseNormalization"), r.notes());
    }

    private static double meanSquare(INDArray a) {
        return a.castTo(DataType.DOUBLE)
                .mul(a.castTo(DataType.DOUBLE))
                .meanNumber()
                .doubleValue();
    }

    @Test
    void notesDescribeTheLayerAtHand() {
        String max = HeConfigurer.plan(cnn(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build()))
                .rows("layer2", "W")
                .get(0)
                .notes();
        assertTrue(max.contains("SubsamplingLayer 'layer1': the 4 inputs of a window taken as independent"), max);
        String pad = HeConfigurer.plan(cnn(new ZeroPaddingLayer.Builder(1, 1).build()))
                .rows("layer2", "W")
                .get(0)
                .notes();
        assertTrue(pad.contains("zero border"), pad);
        assertFalse(pad.contains("pooling"), pad);
    }

    @Test
    void concatenationWithoutInputTypesIsWeightedByChannelCount() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(5)
                                .nOut(30)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(5)
                                .nOut(10)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addVertex("cat", new MergeVertex(), "a", "b")
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(40)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "cat")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(8)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "c")
                .setOutputs("out")
                .build();
        InitPlan plan = HeConfigurer.plan(conf);
        double tanh2 = Simpson.expectation(z -> Math.tanh(z) * Math.tanh(z));
        assertEquals(
                1 / Math.sqrt((30 * 0.5 + 10 * tanh2) / 40),
                plan.rows("c", "W").get(0).gain(),
                1e-6);
        assertTrue(plan.rows("cat", "-").get(0).notes().contains("by channel count"));
    }

    @Test
    void fanOutAfterASaturatingDerivativeIsWarned() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(8)
                        .nOut(16)
                        .activation(Activation.SIGMOID)
                        .build())
                .layer(new BatchNormalization.Builder().nOut(16).build())
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.TANH)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(16)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(conf);
        double dsig2 = Simpson.expectation(z -> {
            double s = Simpson.sigmoid(z);
            return s * (1 - s) * s * (1 - s);
        });
        InitPlan.Row sig = plan.rows("layer0", "W").get(0);
        assertEquals(4.72, 1 / Math.sqrt(dsig2), 0.005);
        assertEquals(1 / Math.sqrt(dsig2), sig.gain(), 1e-6);
        assertTrue(sig.notes().startsWith("WARNING"), sig.notes());
        assertFalse(plan.rows("layer2", "W").get(0).notes().contains("WARNING"), "tanh' (gain 1.47) is not warned");
        assertFalse(HeConfigurer.builder()
                .mode(FanMode.FAN_IN)
                .plan(conf)
                .rows("layer0", "W")
                .get(0)
                .notes()
                .contains("WARNING"));
    }
}
