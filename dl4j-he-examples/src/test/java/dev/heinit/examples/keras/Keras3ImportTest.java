package dev.heinit.examples.keras;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.keras.Keras3Json;
import dev.heinit.keras.KerasPlan;
import dev.heinit.keras.KerasReinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keras 3 models (written by Keras 3.15.1, dl4j-he-init's {@code keras/keras3}) translated by {@link Keras3Json} and
 * imported by DL4J's own {@code KerasModelImport} from a file, as a user would, then re-initialized with Keras's inits
 * and fans. Untranslated, DL4J 1.0.0-M2.1 fails on them ({@code KerasInput}: {@code inputShape} is null).
 */
class Keras3ImportTest {

    @TempDir
    Path tmp;

    private Path translated(String fixture) throws Exception {
        String json = new String(Files.readAllBytes(KerasCorpusTest.KERAS3.resolve(fixture)), StandardCharsets.UTF_8);
        Path f = tmp.resolve(fixture);
        Files.write(f, Keras3Json.toKeras2(json).getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static KerasPlan.Row row(KerasPlan plan, String layer, String param) {
        return plan.rows().stream()
                .filter(r -> r.layer().equals(layer) && r.param().equals(param))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + layer + "/" + param + " in\n" + plan.toText()));
    }

    @Test
    void sequentialLstm() throws Exception {
        Path f = translated("keras3_sequential_lstm.json");
        MultiLayerConfiguration conf = KerasModelImport.importKerasSequentialConfiguration(f.toString(), false);
        assertTrue(
                conf.getConf(1).getLayer() instanceof LastTimeStep,
                conf.getConf(1).getLayer().toString());
        assertTrue(((LastTimeStep) conf.getConf(1).getLayer()).getUnderlying() instanceof LSTM);
        // the library reads the Keras 3 JSON itself (KerasModel translates it), the same as the translated one
        String keras3 = new String(
                Files.readAllBytes(KerasCorpusTest.KERAS3.resolve("keras3_sequential_lstm.json")),
                StandardCharsets.UTF_8);
        KerasReinit.Result<MultiLayerConfiguration> r = KerasReinit.reinitialize(conf, keras3);
        System.out.println(r.plan().toText());
        // GlorotUniform on the (32, 4·48) kernel: √(2/(32+192)); Orthogonal on (48, 192): gain/√192
        assertEquals(Math.sqrt(2.0 / 224), row(r.plan(), "lstm", "W").kerasStd(), 1e-12);
        assertEquals(1 / Math.sqrt(192), row(r.plan(), "lstm", "RW").kerasStd(), 1e-12);
        assertEquals(0.05 / Math.sqrt(3), row(r.plan(), "embedding", "W").kerasStd(), 1e-12);
        WeightCheck.Summary c = WeightCheck.check(new KerasImport.Result(null, true, r.configuration(), r.plan()), 7);
        assertEquals("4 weights: 3 std within 5 SE, 1 orthonormal, 0 unchecked", c.toString());
    }

    @Test
    void functionalUnet() throws Exception {
        Path f = translated("keras3_functional_unet.json");
        ComputationGraphConfiguration conf = KerasModelImport.importKerasModelConfiguration(f.toString(), false);
        assertEquals("[image]", conf.getNetworkInputs().toString());
        assertEquals("[mask]", conf.getNetworkOutputs().toString());
        assertEquals("[up2, enc2b]", conf.getVertexInputs().get("skip2").toString());
        KerasReinit.Result<ComputationGraphConfiguration> r = KerasReinit.reinitialize(conf, Files.readString(f));
        // HeNormal (truncated_normal in Keras 3) on 3×3×1→8: √(2/9); Conv2DTranspose 2×2, 32→16, GlorotUniform:
        // Keras's kernel (2, 2, 16, 32) gives fan_in 16·4 and fan_out 32·4
        assertEquals(Math.sqrt(2.0 / 9), row(r.plan(), "enc1a", "W").kerasStd(), 1e-12);
        assertEquals(Math.sqrt(2.0 / (64 + 128)), row(r.plan(), "up2", "W").kerasStd(), 1e-12);
        assertEquals(
                10,
                r.plan().rows(KerasPlan.Change.REINITIALIZED).stream()
                        .filter(x -> !x.param().equals("b"))
                        .count());
        WeightCheck.Summary c = WeightCheck.check(new KerasImport.Result(null, false, r.configuration(), r.plan()), 8);
        assertTrue(c.failures.isEmpty() && c.stdChecked == 10, c.toString());
    }

    @Test
    void untranslatedKeras3FailsInsideDl4j() throws Exception {
        Path raw = KerasCorpusTest.KERAS3.resolve("keras3_sequential_lstm.json");
        NullPointerException e = org.junit.jupiter.api.Assertions.assertThrows(
                NullPointerException.class,
                () -> KerasModelImport.importKerasSequentialConfiguration(raw.toString(), false));
        assertTrue(String.valueOf(e.getMessage()).contains("inputShape"), e.toString());
    }
}
