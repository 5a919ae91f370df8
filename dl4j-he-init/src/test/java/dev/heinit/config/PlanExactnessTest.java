package dev.heinit.config;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.*;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan is what is drawn: a 40-layer MLP with mixed activations, every weight's sample std vs gain/√fan_in. */
class PlanExactnessTest {

    private static final int WIDTH = 256;
    private static final double C = 0.3;

    static IActivation[] activations() {
        return new IActivation[] {
            new ActivationReLU(),
            new ActivationLReLU(0.1),
            new ActivationGELU(),
            new ActivationSwish(),
            new ActivationTanH(),
            new ActivationELU(),
            new ActivationSELU(),
            new ShiftedAbs(C)
        };
    }

    /** The feeding nonlinearity's fan_in gain, from closed forms where there are any. */
    static double expectedGain(IActivation a) {
        if (a == null) {
            return 1.0; // network input: linear
        }
        if (a instanceof ActivationReLU) {
            return Math.sqrt(2);
        }
        if (a instanceof ActivationLReLU) {
            double s = ((ActivationLReLU) a).getAlpha();
            return Math.sqrt(2 / (1 + s * s));
        }
        if (a instanceof ShiftedAbs) {
            return 1 / Math.sqrt(1 + C * C);
        }
        // Not the library's quadrature: a plain Simpson rule on the functions written out in the test.
        if (a instanceof ActivationGELU) {
            return Simpson.forwardGain(Simpson::geluSigmoid);
        }
        if (a instanceof ActivationSwish) {
            return Simpson.forwardGain(Simpson::swish);
        }
        if (a instanceof ActivationTanH) {
            return Simpson.forwardGain(Math::tanh);
        }
        if (a instanceof ActivationELU) {
            return Simpson.forwardGain(Simpson::elu);
        }
        if (a instanceof ActivationSELU) {
            return Simpson.forwardGain(Simpson::selu); // ≈ 1: SELU is self-normalizing
        }
        throw new IllegalArgumentException("no independent gain for " + a);
    }

    @Test
    void everyWeightHasTheStdOfItsFeedingGain() {
        IActivation[] acts = activations();
        NeuralNetConfiguration.ListBuilder lb =
                new NeuralNetConfiguration.Builder().seed(42).list();
        for (int i = 0; i < 39; i++) {
            lb.layer(new DenseLayer.Builder()
                    .nIn(WIDTH)
                    .nOut(WIDTH)
                    .activation(acts[i % acts.length])
                    .build());
        }
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(WIDTH)
                .nOut(10)
                .activation(new ActivationIdentity())
                .build());
        MultiLayerConfiguration conf = lb.build();
        String before = conf.toJson();
        MultiLayerConfiguration configured = HeConfigurer.apply(conf);
        assertEquals(before, conf.toJson(), "the input configuration must not change");
        InitPlan plan = HeConfigurer.plan(conf);

        MultiLayerNetwork net = new MultiLayerNetwork(configured);
        net.init();
        for (int i = 0; i < 40; i++) {
            IActivation feed = i == 0 ? null : acts[(i - 1) % acts.length];
            double expected = expectedGain(feed) / Math.sqrt(WIDTH);
            List<InitPlan.Row> rows = plan.rows("layer" + i, "W");
            assertEquals(1, rows.size(), "plan row of layer " + i);
            // two different quadratures of the same integral: agreement to 1e-7 relative
            assertEquals(expected, rows.get(0).std(), 1e-7 * expected, "planned std of layer " + i);
            INDArray w = net.getParam(i + "_W");
            double n = w.length();
            double sample = w.stdNumber().doubleValue();
            // The sample std of n normal draws has standard error σ/√(2n): 5 SE is 1.4 % at 256×256.
            double se = expected / Math.sqrt(2 * n);
            assertTrue(
                    Math.abs(sample - expected) < 5 * se,
                    "layer " + i + " fed by " + feed + ": sample std " + sample + ", expected " + expected + " ± "
                            + 5 * se);
            assertEquals(0.0, net.getParam(i + "_b").maxNumber().doubleValue(), 0.0, "biases stay zero");
        }
    }
}
