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
}
