package dev.heinit.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.heinit.examples.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code keras} command on a real Keras model, and its exit code 2 on files it cannot use. */
class KerasCommandTest {

    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void printsTheTableWritesCsvAndTheReinitializedModel() throws Exception {
        Path csv = tmp.resolve("plan.csv");
        Path zip = tmp.resolve("model.zip");
        String[] r = run(
                "keras",
                KerasImportTest.FIXTURES.resolve("keras2_0_6_imdb_lstm.json").toString(),
                "--csv",
                csv.toString(),
                "--reinit",
                zip.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(
                r[1].contains("read as KERAS_2_0") && r[1].contains("dense_1") && r[1].contains("REINITIALIZED"), r[1]);
        String csvText = new String(Files.readAllBytes(csv), StandardCharsets.UTF_8);
        assertTrue(csvText.startsWith("layer,type,param,shape,keras,"), csvText);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        assertEquals(3, net.getnLayers());
    }

    @Test
    void badFilesExitTwo() throws Exception {
        Path notJson = tmp.resolve("model.json");
        Files.write(notJson, "{\"class_name\": \"Dense\"}".getBytes(StandardCharsets.UTF_8));
        Path badH5 = tmp.resolve("model.h5");
        Files.write(badH5, "not hdf5".getBytes(StandardCharsets.UTF_8));
        for (String f : new String[] {tmp.resolve("missing.json").toString(), notJson.toString(), badH5.toString()}) {
            String[] r = run("keras", f);
            assertEquals("2", r[0], f + ": " + r[1] + r[2]);
            assertTrue(r[2].contains(f.substring(f.lastIndexOf('/') + 1)), r[2]);
        }
        String[] r = run(
                "keras",
                KerasImportTest.FIXTURES.resolve("keras1_imdb_lstm.json").toString(),
                "--dialect",
                "keras_9");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("keras_1"), r[2]);
    }

    @Test
    void keras3FilesByContentAndRefusalsSayWhoRefusedWhat() throws Exception {
        Path k3 = KerasImportTest.FIXTURES.resolve("keras3");
        // a .keras file under another name is still read as one; the weights in it are not read
        Path renamed = tmp.resolve("unet.bin");
        Files.copy(k3.resolve("keras3_functional_unet.keras"), renamed);
        Path zip = tmp.resolve("unet.zip");
        String[] r = run("keras", renamed.toString(), "--reinit", zip.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("Keras 3 model (keras_version 3.15.1)") && r[1].contains("not read"), r[1]);
        assertTrue(r[1].contains("(functional, read as KERAS_2): 10 weights re-initialized, 0 unmapped"), r[1]);
        assertEquals(
                "[mask]",
                ModelSerializer.restoreComputationGraph(zip.toFile(), false)
                        .getConfiguration()
                        .getNetworkOutputs()
                        .toString());
        r = run("keras", k3.resolve("keras3_sequential_lstm.json").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("input_length 40"), r[1]);

        r = run("keras", k3.resolve("keras3_gru.json").toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(
                r[2].contains("refused by DL4J 1.0.0-M2.1's Keras import at layer 'gru' (GRU)")
                        && r[2].contains("Unsupported keras layer type GRU"),
                r[2]);

        Path stft = tmp.resolve("stft.json");
        Files.write(
                stft,
                Files.readString(k3.resolve("keras3_sequential_lstm.json"))
                        .replaceFirst("\"GlorotUniform\"", "\"STFT\"")
                        .getBytes(StandardCharsets.UTF_8));
        r = run("keras", stft.toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(
                r[2].contains("refused by dl4j-he (Keras 3 translation) at layer 'lstm'") && r[2].contains("STFT"),
                r[2]);

        Path binary = tmp.resolve("model.json");
        Files.write(binary, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
        r = run("keras", binary.toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[2].contains("neither JSON") && r[2].contains(".keras zip"), r[2]);
    }
}
