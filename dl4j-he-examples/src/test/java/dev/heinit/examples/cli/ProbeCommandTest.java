package dev.heinit.examples.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.heinit.examples.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code probe}: bad options exit 2 like compare's; a tiny valid run exits 0 and writes the documented JSON. */
class ProbeCommandTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "probe --depth 1",
                "probe --depths 10,1",
                "probe --inits he,kaiming",
                "probe --epochs 0",
                "probe --lr -1",
                "probe --updater sgd",
                "probe --activation foo",
                "probe --arch bogus",
                "probe --json /nonexistent/dir/p.json",
                "probe --no-probe",
                "probe --bogus"
            })
    void badValuesExitTwo(String args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertEquals(2, cl.execute(args.split(" ")), () -> args + " -> " + err);
        assertTrue(err.toString().contains("Usage:"), err::toString);
    }

    @Test
    void tinyRunWritesOnePrognosisPerRun(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("p.json");
        int code = Main.commandLine()
                .execute(
                        "probe",
                        "--depth",
                        "4",
                        "--width",
                        "4",
                        "--epochs",
                        "1",
                        "--train-examples",
                        "640",
                        "--test-examples",
                        "64",
                        "--inits",
                        "he,xavier",
                        "--json",
                        json.toString());
        assertEquals(0, code);
        String s = Files.readString(json, StandardCharsets.UTF_8);
        String[] lines = s.strip().split("\n");
        assertEquals("[", lines[0]);
        assertEquals("]", lines[lines.length - 1]);
        assertEquals(4, lines.length, s); // one object per line
        assertTrue(
                lines[1].startsWith("{\"init\":\"he\",\"activation\":\"relu\",\"arch\":\"plain\",\"depth\":4,"
                        + "\"seed\":1,\"epochs\":1,\"prediction\":\""),
                lines[1]);
        assertTrue(lines[2].startsWith("{\"init\":\"xavier\","), lines[2]);
        for (String key : new String[] {
            "\"sentence\":",
            "\"evidence\":[{\"signal\":",
            "\"probe_steps\":10,",
            "\"probe_cpu_s\":",
            "\"run_steps\":10,",
            "\"cost_share\":"
        }) {
            assertTrue(lines[1].contains(key), key + " in " + lines[1]);
        }
    }
}
