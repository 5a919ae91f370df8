package dev.heinit.config;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.internal.dl4j.ActivationKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Every activation cache is keyed by {@link ActivationKey}: DL4J's {@code ActivationReLU.toString()} is "relu"
 * whatever its negative slope, and a cache keyed by it served {@code new ActivationReLU(null, null, 0.1)} plain
 * ReLU's mean (plan gain 0.86930 instead of 0.87995). All spellings and orders run in this one JVM, one after
 * the other, so whichever fills a cache first, the others must still get their own value.
 */
class ActivationCacheKeyTest {

    /** E[relu(z)] = 1/√(2π); a leaky ReLU of slope s has mean (1 − s)/√(2π) and E[f²] = (1 + s²)/2. */
    private static final double M = 1 / Math.sqrt(2 * Math.PI);

    private static final double EXPECTED = 1 / Math.sqrt(0.5 + (1 + 0.01) / 2 + 2 * M * (1 - 0.1) * M);

    @Test
    void closedFormIsTheIssuesNumber() {
        assertEquals(0.87995, EXPECTED, 1e-5);
    }

    @Test
    void leakyReluSpelledAsReluWithNegativeSlopeGetsItsOwnMean() {
        IActivation[] leaky = {new ActivationReLU(null, null, 0.1), new ActivationLReLU(0.1)};
        // both spellings, in both orders of the two branches, twice over: one JVM, every order of cache fills
        for (int round = 0; round < 2; round++) {
            for (IActivation b : leaky) {
                for (boolean reluFirst : new boolean[] {true, false}) {
                    double gain = gainOfC(b, reluFirst);
                    assertEquals(
                            EXPECTED,
                            gain,
                            1e-5,
                            "branch b " + b.getClass().getSimpleName() + ", relu branch first: " + reluFirst
                                    + ", round " + round);
                }
            }
        }
    }

    @Test
    void keyDistinguishesConfiguredFieldsThatToStringHides() {
        assertEquals(new ActivationReLU().toString(), new ActivationReLU(null, null, 0.1).toString());
        assertNotEquals(ActivationKey.of(new ActivationReLU()), ActivationKey.of(new ActivationReLU(null, null, 0.1)));
        assertNotEquals(ActivationKey.of(new ActivationReLU()), ActivationKey.of(new ActivationReLU(6.0, null, null)));
        assertEquals(
                ActivationKey.of(new ActivationReLU(null, null, 0.1)),
                ActivationKey.of(new ActivationReLU(null, null, 0.1)));
    }

    private static double gainOfC(IActivation b, boolean reluFirst) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(8)
                                .nOut(16)
                                .activation(new ActivationReLU())
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder().nIn(8).nOut(16).activation(b).build(),
                        "in")
                .addVertex(
                        "sum",
                        new ElementWiseVertex(ElementWiseVertex.Op.Add),
                        reluFirst ? new String[] {"a", "b"} : new String[] {"b", "a"})
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(16)
                                .nOut(16)
                                .activation(new ActivationReLU())
                                .build(),
                        "sum")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(16)
                                .nOut(2)
                                .activation(new ActivationReLU())
                                .build(),
                        "c")
                .setOutputs("out")
                .build();
        return HeConfigurer.plan(conf).rows("c", "W").get(0).gain();
    }
}
