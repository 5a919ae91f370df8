package dev.heinit.config;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The persisted form is a file format (saved models hold it): a fixture written once must keep reading back as the
 * same object. If this fails after a rename, old models would silently lose their init.
 */
class GoldenJsonTest {

    @Test
    void trueFanInitFixtureReadsBack() throws Exception {
        String json;
        try (InputStream in = GoldenJsonTest.class.getResourceAsStream("/config/true-fan-init.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TrueFanInit expected = new TrueFanInit(
                List.of(
                        new TrueFanInit.Entry(
                                new long[] {2, 16, 3, 3},
                                144,
                                4.5,
                                9,
                                18,
                                HeInit.normal().nonlinearity(Nonlinearity.of(new ShiftedAbs(0.3)))),
                        new TrueFanInit.Entry(
                                new long[] {32, 32, 1, 1},
                                32,
                                32,
                                32,
                                32,
                                HeInit.truncatedNormal().fanOut().nonlinearity(Nonlinearity.leakyRelu(0.1)))),
                new WeightInitXavier());
        IWeightInit read = NeuralNetConfiguration.mapper().readValue(json, IWeightInit.class);
        assertEquals(expected, read);
        // written, the same object gives the fixture's bytes: field names, order and number forms are the format
        assertEquals(
                json.strip(),
                NeuralNetConfiguration.mapper()
                        .writerFor(IWeightInit.class)
                        .writeValueAsString(expected)
                        .strip());
        assertEquals(
                1 / Math.sqrt(1.09) / 3, ((TrueFanInit) read).entries().get(0).std(), 1e-12);
        String again =
                NeuralNetConfiguration.mapper().writerFor(IWeightInit.class).writeValueAsString(read);
        assertEquals(expected, NeuralNetConfiguration.mapper().readValue(again, IWeightInit.class));
    }

    /** ComposedActivation lands in saved models when an ActivationLayer follows an activated layer. */
    @Test
    void composedActivationFixtureReadsBack() throws Exception {
        String json;
        try (InputStream in = GoldenJsonTest.class.getResourceAsStream("/config/composed-activation.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        IActivation expected = new ComposedActivation(new ActivationLReLU(0.1), new ActivationTanH());
        IActivation read = NeuralNetConfiguration.mapper().readValue(json, IActivation.class);
        assertEquals(expected, read);
        // tanh(lrelu(−2)) = tanh(−0.2), computed by hand rather than by the object under test
        INDArray x = Nd4j.createFromArray(new double[] {-2.0, 0.5}).reshape(1, 2);
        INDArray y = read.getActivation(x.dup(), false);
        assertEquals(Math.tanh(-0.2), y.getDouble(0), 1e-12);
        assertEquals(Math.tanh(0.5), y.getDouble(1), 1e-12);
        String again =
                NeuralNetConfiguration.mapper().writerFor(IActivation.class).writeValueAsString(read);
        assertEquals(expected, NeuralNetConfiguration.mapper().readValue(again, IActivation.class));
    }
}
