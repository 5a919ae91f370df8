package dev.heinit.config;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan_out side through a pool: the derivative second moment from a conv layer's pre-activation to the next
 * weighted layer's input, {@code E[(∂x_next/∂y)²]}, which the plan divides by ({@code std² = 1/(fan_out·E)}),
 * against DL4J's own backprop through the same ReLU and pooling layers on Gaussian input with independent unit
 * Gaussian gradients (seeded). Max pooling routes each window's gradient to its argmax, where ReLU' is 1 unless
 * the whole window is negative: {@code (1/4)·(15/16)} for 2×2, not {@code (1/4)·(1/2)}.
 */
class PoolingBackwardTest {

    private static final int EXAMPLES = 64;
    private static final int CHANNELS = 8;
    private static final int SIZE = 16;

    private static MultiLayerConfiguration convPoolConv(Layer pool, boolean global) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(5)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(CHANNELS)
                        .activation(Activation.RELU)
                        .build())
                .layer(pool);
        if (!global) {
            b.layer(new ConvolutionLayer.Builder(3, 3)
                    .nOut(16)
                    .activation(Activation.RELU)
                    .build());
        }
        return b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(SIZE, SIZE, 3))
                .build();
    }

    /**
     * The derivative moment the plan divides by for layer0's weights: 1/(fan_out·std²) (the input type given: a
     * global pool's window is the input's H·W).
     */
    private static double planned(MultiLayerConfiguration conf) {
        InitPlan plan = HeConfigurer.builder()
                .mode(FanMode.FAN_OUT)
                .inputType(InputType.convolutional(SIZE, SIZE, 3))
                .plan(conf);
        InitPlan.Row row = plan.rows("layer0", "W").get(0);
        assertEquals(9.0 * CHANNELS, row.fanOut(), plan.toText());
        return 1 / (row.fanOut() * row.std() * row.std());
    }

    /**
     * E[δ_z²]/E[δ_out²] through DL4J's ActivationLayer(ReLU) then {@code pool}: z Gaussian (64 examples × 8 channels
     * × 16×16), δ_out independent unit Gaussian.
     */
    private static double measured(Layer pool) {
        ActivationLayer relu = new ActivationLayer(Activation.RELU);
        org.deeplearning4j.nn.api.Layer a = instantiate(relu);
        if (pool instanceof FeedForwardLayer) {
            ((FeedForwardLayer) pool).setNIn(InputType.convolutional(SIZE, SIZE, CHANNELS), true);
        }
        org.deeplearning4j.nn.api.Layer p = instantiate(pool);
        Nd4j.getRandom().setSeed(23);
        INDArray z = Nd4j.randn(DataType.DOUBLE, EXAMPLES, CHANNELS, SIZE, SIZE);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        ((AbstractLayer<?>) a).setInput(z, ws);
        INDArray y = a.activate(false, ws);
        ((AbstractLayer<?>) p).setInput(y, ws);
        INDArray out = p.activate(false, ws);
        INDArray delta = Nd4j.randn(DataType.DOUBLE, out.shape());
        INDArray atY = p.backpropGradient(delta, ws).getSecond();
        INDArray atZ = a.backpropGradient(atY, ws).getSecond();
        return meanSquare(atZ) / meanSquare(delta);
    }

    private static org.deeplearning4j.nn.api.Layer instantiate(Layer conf) {
        NeuralNetConfiguration nnc =
                new NeuralNetConfiguration.Builder().layer(conf).build();
        return conf.instantiate(nnc, null, 0, null, false, DataType.DOUBLE);
    }

    private static double meanSquare(INDArray x) {
        return x.mul(x).meanNumber().doubleValue();
    }

    /** Within 5 standard errors of the measured ratio: √(2/N) relative, N the number of pooled outputs. */
    private static void assertAgrees(Layer pool, MultiLayerConfiguration conf, long outputs, String what) {
        double m = measured(pool);
        double p = planned(conf);
        double tol = 5 * Math.sqrt(2.0 / outputs) * m;
        assertTrue(Math.abs(p - m) < tol, what + ": planned " + p + ", DL4J backprop " + m + ", 5 SE " + tol);
    }

    @Test
    void maxPoolingRoutesTheGradientToTheArgmax() {
        assertAgrees(maxPool2x2(), convPoolConv(maxPool2x2(), false), (long) EXAMPLES * CHANNELS * 8 * 8, "2x2 max");
        assertEquals(0.25 * 15 / 16, planned(convPoolConv(maxPool2x2(), false)), 1e-6); // closed form, ReLU
    }

    private static Layer maxPool2x2() {
        return new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }

    @Test
    void averagePoolingSpreadsItOverTheWindow() {
        Layer avg = new SubsamplingLayer.Builder(PoolingType.AVG)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
        assertAgrees(avg, convPoolConv(avg.clone(), false), (long) EXAMPLES * CHANNELS * 8 * 8, "2x2 average");
        assertEquals(0.5 / 16, planned(convPoolConv(avg.clone(), false)), 1e-6); // closed form, ReLU
    }

    @Test
    void globalMaxPoolingRoutesToOneOfTheWholeMap() {
        Layer global = new GlobalPoolingLayer.Builder(PoolingType.MAX).build();
        assertAgrees(global, convPoolConv(global.clone(), true), (long) EXAMPLES * CHANNELS, "global max");
        // for n = 256 the argmax is positive unless the whole map is negative: E[ReLU'(z*)²] = 1 − 2^−256
        assertEquals(1.0 / (SIZE * SIZE), planned(convPoolConv(global.clone(), true)), 1e-6 / (SIZE * SIZE));
    }

    @Test
    void theRuleSaysSoInThePlan() {
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT).plan(convPoolConv(maxPool2x2(), false));
        String notes = plan.rows("layer0", "W").get(0).notes();
        assertTrue(notes.contains("max pooling of 4: gradient second moment ×0.2344"), notes);
        assertTrue(notes.contains("argmax"), notes);
    }

    @Test
    void denseAfterGlobalAverageGetsOneOverNSquared() {
        Layer global = new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(CHANNELS)
                        .activation(Activation.RELU)
                        .build())
                .layer(global)
                .layer(new DenseLayer.Builder()
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(SIZE, SIZE, 3))
                .build();
        assertAgrees(global.clone(), conf, (long) EXAMPLES * CHANNELS, "global average");
    }
}
