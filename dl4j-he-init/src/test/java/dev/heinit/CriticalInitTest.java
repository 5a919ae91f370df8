package dev.heinit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import dev.heinit.gain.Criticality;
import dev.heinit.gain.Gains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HeInit#critical(double)} and {@link NormalBiasInit}: the std, the draws, persistence and bad input. */
class CriticalInitTest {

    @Test
    void exactGeluReferencePoints() {
        // Independent PyTorch-side quadrature of the exact (erf) GELU, four decimals.
        assertEquals(1.7271, Nonlinearity.GELU.criticality(0.1).sigmaW(), 5e-5);
        assertEquals(1.5470, Nonlinearity.GELU.criticality(0.2).sigmaW(), 5e-5);
        assertEquals(1.4505, Nonlinearity.GELU.criticality(0.3).sigmaW(), 5e-5);
        assertEquals(2.0, Nonlinearity.GELU.criticality(0.0).sigmaW(), 1e-12); // 1/Φ(0)
    }

    @Test
    void closedFormSiluAgreesWithDl4jsSwish() {
        // Two routes: this library's closed-form z·σ(z) and DL4J's ActivationSwish through ND4J.
        Criticality mine = Nonlinearity.SILU.criticality(0.2);
        Criticality dl4j = Gains.critical(new ActivationSwish(), 0.2);
        assertEquals(dl4j.sigmaW(), mine.sigmaW(), 1e-9);
        assertEquals(dl4j.fixedPoint(), mine.fixedPoint(), 1e-8);
        assertEquals(dl4j.stability(), mine.stability(), 1e-8);
    }

    @Test
    void stdIsSigmaWOverRootFan() {
        HeInit silu = HeInit.critical(0.2).nonlinearity(Nonlinearity.SILU);
        assertEquals(1.6795 / Math.sqrt(300), silu.std(300, 500), 5e-5 / Math.sqrt(300));
        double sw = Nonlinearity.SILU.criticality(0.2).sigmaW();
        assertEquals(sw / Math.sqrt(300), silu.std(300, 500), 1e-15);
        assertEquals(sw / Math.sqrt(500), silu.fanOut().std(300, 500), 1e-15);
        assertEquals(sw / Math.sqrt(400), silu.fanAvg().std(300, 500), 1e-15);
        assertEquals(Math.sqrt(2.0 / 300), HeInit.critical(0.3).std(300, 500), 1e-15); // ReLU: √2 at every σ_b
        assertEquals(
                1 / Math.sqrt(300),
                HeInit.critical(0).nonlinearity(Nonlinearity.TANH).std(300, 500),
                1e-15);
        assertEquals(0.2, silu.criticalBiasStd().getAsDouble());
        assertEquals(Nonlinearity.SILU.criticality(0.2), silu.criticality().get());
        assertFalse(HeInit.normal().criticality().isPresent());
    }

    @Test
    void drawsHaveTheCriticalVariance() {
        HeInit init = HeInit.critical(0.1).nonlinearity(Nonlinearity.TANH).sampler(Sampler.UNIFORM);
        double std = 1.193401 / Math.sqrt(256);
        int n = 1 << 18;
        Nd4j.getRandom().setSeed(11);
        INDArray w = init.init(256, 1024, new long[] {256, 1024}, 'c', Nd4j.create(DataType.DOUBLE, n));
        double var = w.mul(w).meanNumber().doubleValue();
        // uniform: Var(x²) = (9/5 − 1)·std⁴, so the sample variance's standard error is std²·√(0.8/n)
        assertEquals(std * std, var, 5 * std * std * Math.sqrt(0.8 / n));
        assertEquals(0, w.meanNumber().doubleValue(), 5 * std / Math.sqrt(n));
        assertTrue(w.amaxNumber().doubleValue() <= Math.sqrt(3) * std * (1 + 1e-12));
    }

    @Test
    void combinationsAndBadInput() {
        HeInit c = HeInit.critical(0.2).nonlinearity(Nonlinearity.SILU);
        assertFalse(c.gain(1.9).criticalBiasStd().isPresent(), "an explicit gain replaces the critical one");
        assertEquals(1.9 / Math.sqrt(300), c.gain(1.9).std(300, 1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> c.gainConvention(GainConvention.PYTORCH));
        for (double bad : new double[] {-0.2, Double.NaN, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeInit.critical(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new NormalBiasInit(bad));
        }
        Nonlinearity none = Nonlinearity.of(new ActivationThresholdedReLU(1.0));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HeInit.critical(0.2).nonlinearity(none));
        assertTrue(e.getMessage().contains("no critical point"), e.getMessage());
        assertNotEquals(HeInit.critical(0.2), HeInit.critical(0.1));
        assertNotEquals(HeInit.critical(0.0), HeInit.normal());
        assertTrue(c.toString().contains("critical(sigma_b=0.2)"), c.toString());
    }

    private static MultiLayerConfiguration net(double sigmaB) {
        return new NeuralNetConfiguration.Builder()
                .seed(5)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(20)
                        .nOut(64)
                        .activation(Activation.SWISH)
                        .weightInit(HeInit.critical(sigmaB).nonlinearity(Nonlinearity.LINEAR))
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(64)
                        .nOut(4096)
                        .activation(Activation.SWISH)
                        .weightInit(HeInit.critical(sigmaB).nonlinearity(Nonlinearity.SILU))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(4096)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .weightInit(HeInit.critical(sigmaB)
                                .nonlinearity(Nonlinearity.SILU)
                                .sampler(Sampler.UNIFORM))
                        .build())
                .build();
    }

    @Test
    void jsonAndModelSerializerRoundTrip(@TempDir Path dir) throws IOException {
        MultiLayerConfiguration conf = net(0.2);
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        File f = dir.resolve("critical.zip").toFile();
        ModelSerializer.writeModel(n, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(n.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
        assertEquals(n.params(), back.params());
        MultiLayerNetwork fresh = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                back.getLayerWiseConfigurations().toJson()));
        fresh.init();
        assertEquals(n.params(), fresh.params(), "the restored init is live and draws the same weights");
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        IWeightInit bias = new NormalBiasInit(0.2);
        assertEquals(
                bias,
                mapper.readValue(mapper.writerFor(IWeightInit.class).writeValueAsString(bias), IWeightInit.class));
    }

    /** The persisted forms, pinned: a rename would break saved models. */
    @Test
    void goldenJson() throws IOException {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        List<IWeightInit> expected = List.of(
                HeInit.critical(0.2).nonlinearity(Nonlinearity.SILU).sampler(Sampler.TRUNCATED_NORMAL),
                new NormalBiasInit(0.2));
        JsonNode golden;
        try (InputStream in =
                CriticalInitTest.class.getClassLoader().getResourceAsStream("golden/HeInit-critical.json")) {
            golden = mapper.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(expected.size(), golden.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), mapper.readValue(golden.get(i).toString(), IWeightInit.class));
            assertEquals(
                    golden.get(i),
                    mapper.readTree(mapper.writerFor(IWeightInit.class).writeValueAsString(expected.get(i))));
        }
    }

    @Test
    void biasesAreDrawnInPlaceInTheNetwork() {
        MultiLayerNetwork n = new MultiLayerNetwork(net(0.2));
        n.init();
        INDArray before = n.params().dup();
        INDArray weights = n.getParam("1_W").dup();
        NormalBiasInit bias = new NormalBiasInit(0.2);
        Nd4j.getRandom().setSeed(3);
        for (Layer l : n.getLayers()) {
            INDArray b = l.getParam("b");
            if (b != null) {
                bias.fill(b);
            }
        }
        INDArray b1 = n.getLayer(1).getParam("b").castTo(DataType.DOUBLE);
        assertEquals(b1, n.getParam("1_b").castTo(DataType.DOUBLE), "the network's own parameters changed");
        assertNotEquals(before, n.params());
        int m = (int) b1.length(); // 4096 draws
        double var = b1.mul(b1).meanNumber().doubleValue();
        assertEquals(0.04, var, 5 * 0.04 * Math.sqrt(2.0 / m)); // normal: Var(x²) = 2σ⁴
        assertEquals(0, b1.meanNumber().doubleValue(), 5 * 0.2 / Math.sqrt(m));
        // The weights are untouched: only bias entries differ.
        assertEquals(weights, n.getParam("1_W"));
        // Reproducible under ND4J's seed.
        Nd4j.getRandom().setSeed(3);
        INDArray again = bias.fill(Nd4j.create(DataType.FLOAT, n.getParam("0_b").shape()));
        assertEquals(n.getParam("0_b"), again);
        assertEquals(
                0.0,
                new NormalBiasInit(0)
                        .fill(Nd4j.ones(DataType.FLOAT, 1, 8))
                        .amaxNumber()
                        .doubleValue());
    }
}
