package dev.heinit.examples;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.heinit.examples.model.InitScheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options and values exit with code 2, a message naming the value, and the usage. */
class CliTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "signal --depth -3",
                "signal --width 0",
                "signal --nonlinearity foo",
                "signal --nonlinearity leaky:abc",
                "signal --nonlinearity leaky:1.5",
                "signal --depth x",
                "compare --depth 1",
                "compare --depths 10,1",
                "compare --lr -1",
                "compare --lr NaN",
                "compare --epochs 0",
                "compare --batch 0",
                "compare --arch bogus",
                "compare --updater sgd",
                "compare --parallel -1",
                "compare --data /nonexistent/dir",
                "compare --no-such-option",
                "compare --activation foo",
                "compare --activation leaky:abc",
                "compare --activation leaky:1",
                "compare --activation leaky:-0.5",
                "compare --activation leaky:NaN",
                "compare --input foo",
                "validate --epochs 0",
                "validate --residual-epochs 0",
                "validate --depth 1",
                "validate --residual-depth 30",
                "validate --parallel -1",
                "validate --seeds 1,1",
                "validate --lr 0",
                "validate --bogus",
                "bench --activation foo",
                "bench --seconds 0",
                "bench --nets tiny",
                "bench --repeats 0",
                "bench --warmup -1",
                "bench init --reps 0",
                "bench init --size 0"
            })
    void badValuesExitTwoWithUsage(String args) {
        Cli r = Cli.run(args.split(" "));
        assertEquals(2, r.code, () -> args + " -> " + r.err);
        assertTrue(r.err.contains("Usage:"), () -> "no usage for " + args + ": " + r.err);
    }

    @Test
    void unknownCommandExitsTwo() {
        Cli r = Cli.run("nosuchcommand");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("nosuchcommand"), r.err);
    }

    @Test
    void unknownInitListsTheValidNames() {
        Cli r = Cli.run("compare", "--inits", "he,kaiming");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("unknown init 'kaiming'"), r.err);
        Arrays.stream(InitScheme.values()).forEach(s -> assertTrue(r.err.contains(s.cliName()), s.cliName()));
    }

    @Test
    void badActivationAndInputListTheValidValues() {
        Cli a = Cli.run("compare", "--activation", "swishy");
        assertEquals(2, a.code);
        assertTrue(
                a.err.contains("'swishy'") && a.err.contains(dev.heinit.examples.model.HiddenActivation.VALID), a.err);
        Cli l = Cli.run("compare", "--activation", "leaky:2");
        assertEquals(2, l.code);
        assertTrue(l.err.contains("'2'") && l.err.contains("[0, 1)"), l.err);
        Cli i = Cli.run("compare", "--input", "whiten");
        assertEquals(2, i.code);
        assertTrue(i.err.contains("'whiten'") && i.err.contains("raw, standardize"), i.err);
    }

    @Test
    void messagesNameTheBadValue() {
        assertTrue(Cli.run("signal", "--depth", "-3").err.contains("-3"));
        assertTrue(Cli.run("signal", "--nonlinearity", "leaky:abc").err.contains("abc"));
    }

    @Test
    void helpWorks() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.code);
        assertTrue(
                r.out.contains("compare")
                        && r.out.contains("signal")
                        && r.out.contains("bench")
                        && r.out.contains("validate"),
                r.out);
        assertEquals(0, Cli.run("compare", "--help").code);
        assertEquals(0, Cli.run("validate", "--help").code);
    }

    /**
     * The SiLU net at the He gain explodes (RMS 1 → ~160 over 30 layers), so its pre-activations pass 44.4 where DL4J's
     * own swish derivative is NaN in FLOAT; with the library's stable SiLU every δ stays finite.
     */
    @Test
    void signalSiluKeepsDeltaFiniteWhereDl4jsSwishWasNaN() {
        Cli r = Cli.run("signal", "--nonlinearity", "silu", "--depth", "30");
        assertEquals(0, r.code, r.err);
        assertTrue(!r.out.contains("NaN") && !r.out.contains("NON_FINITE"), r.out);
        assertTrue(r.out.contains("HeInit [EXPLODING]"), r.out);
    }

    @Test
    void signalPrintsOneRowPerLayerAndXavierDecays() {
        Cli r = Cli.run("signal", "--depth", "10", "--width", "128", "--seed", "3");
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.split("\n");
        long layerRows = Arrays.stream(lines)
                .filter(l -> l.matches("\\s+\\d+(\\s+\\S+){4}"))
                .count();
        assertEquals(10, layerRows, r.out);
        // Xavier: E[h²] halves per ReLU layer, so RMS after 10 layers is ~2^-4.5 ≈ 0.044 of layer 1's... times
        // layer 1's own 1/√2: the ratio last/first is 2^-4.5; He's stays O(1). Bounds leave a factor 3 of room.
        String ratio = Arrays.stream(lines)
                .filter(l -> l.startsWith("ratio"))
                .findFirst()
                .orElseThrow();
        String[] f = ratio.replace(",", "").split("\\s+");
        double xavier = Double.parseDouble(f[f.length - 3]);
        double he = Double.parseDouble(f[f.length - 1]);
        assertTrue(xavier < 0.044 * 3 && xavier > 0.044 / 3, ratio);
        assertTrue(he > 1 / 3.0 && he < 3, ratio);
    }

    @Test
    void signalWritesCsvAndAPngOfTheStatedSize(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path png = dir.resolve("signal.png");
        java.nio.file.Path csv = dir.resolve("signal.csv");
        Cli r = Cli.run(
                "signal",
                "--depth",
                "6",
                "--width",
                "64",
                "--batch",
                "128",
                "--png",
                png.toString(),
                "--csv",
                csv.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("verdicts: XAVIER") && r.out.contains("HeInit [HEALTHY]"), r.out);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(560, img.getHeight());
        java.util.List<String> rows = java.nio.file.Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("init,layer,name,"), rows.get(0));
        assertEquals(1 + 2 * 7, rows.size(), "a row per layer (6 hidden + output) and init");
    }

    @Test
    void signalOnTheCnnUsesTheBundledDigits() {
        Cli r = Cli.run("signal", "--model", "cnn", "--depth", "6", "--batch", "32");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("bundled MNIST digits"), r.out);
        assertEquals(2, Cli.run("signal", "--model", "cnn", "--nonlinearity", "tanh").code);
        assertEquals(2, Cli.run("signal", "--model", "rnn").code);
    }

    @Test
    void planPrintsEveryWeightOfEachBuiltInModel() {
        for (String m : new String[] {"cnn", "residual", "lstm"}) {
            Cli r = Cli.run("plan", "--model", m, "--depth", "8");
            assertEquals(0, r.code, m + ": " + r.err);
            long configured = Arrays.stream(r.out.split("\n"))
                    .filter(l -> l.contains("CONFIGURED"))
                    .count();
            assertTrue(configured >= (m.equals("lstm") ? 5 : 8), m + ": " + r.out);
        }
        Cli bad = Cli.run("plan", "--mode", "fan_sideways");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("fan_sideways") && bad.err.contains("fan_in"), bad.err);
    }

    @Test
    void lsuvReportsEveryConvolution() {
        Cli r = Cli.run("lsuv", "--depth", "6", "--batch", "32");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("LSUV on the plain CNN"), r.out);
        assertEquals(2, Cli.run("lsuv", "--tolerance", "0").code);
        assertEquals(2, Cli.run("lsuv", "--batch", "9000").code);
    }

    @Test
    void lsuvTakesTheActivationAndTheTargetVariance() {
        Cli r = Cli.run("lsuv", "--depth", "5", "--batch", "32", "--activation", "gelu", "--target-variance", "0.01");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("gelu") && r.out.contains("target variance 0.01"), r.out);
        Cli bad = Cli.run("lsuv", "--target-variance", "0");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("--target-variance must be > 0 and finite, got 0.0"), bad.err);
        assertEquals(2, Cli.run("lsuv", "--target-variance", "NaN").code);
        Cli act = Cli.run("lsuv", "--activation", "swishy");
        assertEquals(2, act.code);
        assertTrue(act.err.contains("'swishy'"), act.err);
    }
}
