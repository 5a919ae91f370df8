package dev.heinit.examples.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.keras.KerasPlan;
import dev.heinit.keras.KerasReinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Keras fixtures (real model JSON written by Keras 1.2.2, 2.0.6, 2.0.8 and 2.2.0; sources and licence in
 * dl4j-he-init's test resources, {@code keras/SOURCES.md}) imported through DL4J's JSON-only configuration import,
 * then re-initialized: each re-initialized weight's drawn std is within 5 standard errors of Keras's std, the plan
 * shows DL4J's mapped std next to it, and the configuration survives a JSON round trip drawing identical weights.
 */
class KerasImportTest {

    static final Path FIXTURES = Paths.get("..", "dl4j-he-init", "src", "test", "resources", "keras");

    static String json(String name) throws Exception {
        return new String(Files.readAllBytes(FIXTURES.resolve(name)), StandardCharsets.UTF_8);
    }

    @Test
    void keras1ImdbLstm() throws Exception {
        MultiLayerConfiguration conf = KerasModelImport.importKerasSequentialConfiguration(
                FIXTURES.resolve("keras1_imdb_lstm.json").toString(), false);
        KerasReinit.Result<MultiLayerConfiguration> r = KerasReinit.reinitialize(conf, json("keras1_imdb_lstm.json"));
        System.out.println("keras1_imdb_lstm.json\n" + r.plan().toText());
        KerasPlan.Row lstm = row(r.plan(), "lstm_1", "W");
        // Keras 1 glorot_uniform on one (128, 128) matrix per gate: std √(2/(128+128)), DL4J: fan_out 4·128
        assertEquals(Math.sqrt(2.0 / 256), lstm.kerasStd(), 1e-12);
        MultiLayerNetwork net = new MultiLayerNetwork(r.configuration());
        Nd4j.getRandom().setSeed(42);
        net.init();
        checkDraws(r.plan(), net.paramTable(), indexOf(r.configuration()));
        roundTrip(r.configuration(), net.params());
        assertFalse(conf.equals(r.configuration()), "the input is not modified, the result differs");
    }

    @Test
    void keras206ImdbLstm() throws Exception {
        MultiLayerConfiguration conf = KerasModelImport.importKerasSequentialConfiguration(
                FIXTURES.resolve("keras2_0_6_imdb_lstm.json").toString(), false);
        KerasReinit.Result<MultiLayerConfiguration> r =
                KerasReinit.reinitialize(conf, json("keras2_0_6_imdb_lstm.json"));
        System.out.println("keras2_0_6_imdb_lstm.json\n" + r.plan().toText());
        // VarianceScaling(1, fan_avg, uniform): DL4J's bound 3/√n instead of √(3/n), std ×√3
        KerasPlan.Row dense = row(r.plan(), "dense_1", "W");
        assertEquals(Math.sqrt(3), dense.ratio(), 0.05 * Math.sqrt(3), dense.toString());
        MultiLayerNetwork net = new MultiLayerNetwork(r.configuration());
        Nd4j.getRandom().setSeed(43);
        net.init();
        checkDraws(r.plan(), net.paramTable(), indexOf(r.configuration()));
        roundTrip(r.configuration(), net.params());
    }

    @Test
    void keras208EmbeddingConv1dWithIntegerScale() throws Exception {
        MultiLayerConfiguration conf = KerasModelImport.importKerasSequentialConfiguration(
                FIXTURES.resolve("keras2_0_8_embedding_conv1d.json").toString(), false);
        KerasReinit.Result<MultiLayerConfiguration> r =
                KerasReinit.reinitialize(conf, json("keras2_0_8_embedding_conv1d.json"));
        System.out.println("keras2_0_8_embedding_conv1d.json\n" + r.plan().toText());
        assertTrue(
                r.plan().rows(KerasPlan.Change.REINITIALIZED).size() >= 4,
                r.plan().toText());
        MultiLayerNetwork net = new MultiLayerNetwork(r.configuration());
        Nd4j.getRandom().setSeed(44);
        net.init();
        checkDraws(r.plan(), net.paramTable(), indexOf(r.configuration()));
        roundTrip(r.configuration(), net.params());
    }

    @Test
    void keras220AgzPolicyGraph() throws Exception {
        ComputationGraphConfiguration conf = KerasModelImport.importKerasModelConfiguration(
                FIXTURES.resolve("keras2_2_0_agz_policy.json").toString(), false);
        KerasReinit.Result<ComputationGraphConfiguration> r =
                KerasReinit.reinitialize(conf, json("keras2_2_0_agz_policy.json"));
        System.out.println("keras2_2_0_agz_policy.json\n" + r.plan().toText());
        // he_normal as VarianceScaling(2, fan_in, "normal") in Keras 2.2: input (10, 19, 19) channels_last, so 19
        // channels and fan_in 19·3·3
        KerasPlan.Row first = row(r.plan(), "init_conv_block", "W");
        assertEquals(Math.sqrt(2.0 / 171), first.kerasStd(), 1e-12);
        ComputationGraph net = new ComputationGraph(r.configuration());
        Nd4j.getRandom().setSeed(45);
        net.init();
        checkDraws(r.plan(), net.paramTable(), name -> name);
        ComputationGraphConfiguration back =
                ComputationGraphConfiguration.fromJson(r.configuration().toJson());
        assertEquals(r.configuration(), back);
        ComputationGraph again = new ComputationGraph(back);
        Nd4j.getRandom().setSeed(45);
        again.init();
        assertEquals(net.params(), again.params());
    }

    static KerasPlan.Row row(KerasPlan plan, String layer, String param) {
        return plan.rows().stream()
                .filter(r -> r.layer().equals(layer) && r.param().equals(param))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + layer + "/" + param + " in\n" + plan.toText()));
    }

    /**
     * Each re-initialized weight with a known Keras std: the drawn std within 5 SE (√((κ−1)/(4n))·σ with the normal
     * kurtosis 3, the largest of the samplers involved; orthogonal matrices have a fixed sum of squares, tighter).
     */
    static java.util.function.Function<String, String> indexOf(MultiLayerConfiguration conf) {
        return name -> {
            for (int i = 0; i < conf.getConfs().size(); i++) {
                if (name.equals(conf.getConf(i).getLayer().getLayerName())) {
                    return String.valueOf(i);
                }
            }
            throw new AssertionError("no layer " + name);
        };
    }

    static void checkDraws(
            KerasPlan plan, Map<String, INDArray> params, java.util.function.Function<String, String> prefix) {
        int checked = 0;
        for (KerasPlan.Row r : plan.rows(KerasPlan.Change.REINITIALIZED)) {
            if (r.param().equals("b") || Double.isNaN(r.kerasStd())) {
                continue;
            }
            String key = prefix.apply(r.layer()) + "_" + r.param();
            INDArray w = params.get(key);
            assertTrue(w != null, "no parameter " + key + " in " + params.keySet());
            double n = w.length();
            double std = w.stdNumber().doubleValue();
            double se = r.kerasStd() * Math.sqrt(2.0 / (4 * n)) * Math.sqrt(2);
            assertEquals(r.kerasStd(), std, 5 * se + 1e-7, r.toString());
            checked++;
        }
        assertTrue(checked > 0, "nothing checked:\n" + plan.toText());
    }

    static void roundTrip(MultiLayerConfiguration conf, INDArray params) {
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
    }
}
