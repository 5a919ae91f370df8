package dev.heinit.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs of the depth options (--arch resnet, fixup, zero-residual, delta-orthogonal) exit 2 naming the value. */
class DepthCliTest {

    private static Cli bad(String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.code, () -> String.join(" ", args) + " -> " + r.err);
        assertTrue(r.err.contains("Usage:"), r.err);
        return r;
    }

    @Test
    void unknownArchListsTheValidOnes() {
        Cli r = bad("compare", "--arch", "foo");
        assertTrue(r.err.contains("'foo'") && r.err.contains("plain, residual, resnet"), r.err);
    }

    @Test
    void schemesOnTheWrongNetNameTheInitAndTheArch() {
        Cli fixup = bad("compare", "--arch", "plain", "--inits", "fixup", "--depth", "6");
        assertTrue(
                fixup.err.contains("init 'fixup' on --arch plain") && fixup.err.contains("--arch residual"), fixup.err);
        Cli delta = bad("compare", "--arch", "residual", "--inits", "he,delta-orthogonal", "--depth", "8");
        assertTrue(delta.err.contains("'delta-orthogonal'") && delta.err.contains("--arch plain only"), delta.err);
        Cli zero = bad("compare", "--arch", "residual", "--inits", "zero-residual", "--depth", "8");
        assertTrue(zero.err.contains("'zero-residual'") && zero.err.contains("--arch resnet"), zero.err);
        Cli bn = bad("compare", "--arch", "resnet", "--inits", "fixup", "--depth", "8");
        assertTrue(bn.err.contains("BatchNormalization"), bn.err);
    }

    @Test
    void benchUpdaterComparesTheBlocksBitwiseAndRejectsBadValues() {
        Cli r = Cli.run("bench", "updater", "--depths", "6", "--steps", "1");
        assertEquals(0, r.code, r.err);
        assertTrue(
                r.out.contains("| 6 | 1 |") && r.out.contains("| 6 | ") && r.out.contains("bitwise identical"), r.out);
        assertTrue(bad("bench", "updater", "--depths", "1").err.contains("--depths must be >= 2, got 1"));
        assertTrue(bad("bench", "updater", "--steps", "0").err.contains("--steps must be >= 1, got 0"));
    }

    @Test
    void benchProbeSplitsTheProbesCostAndRejectsBadValues() {
        Cli r = Cli.run(
                "bench", "probe", "--depth", "3", "--epochs", "1", "--train-examples", "1600", "--test-examples", "64");
        assertEquals(0, r.code, r.err);
        // 25 steps in the run, 10 probe steps: two probes that agree, the run's early and late steps, the run alone
        assertTrue(r.out.contains("10 probe steps"), r.out);
        assertTrue(
                r.out.contains("| first in the JVM (as in compare) | ") && r.out.contains("| again, warm | "), r.out);
        assertTrue(r.out.contains("both probes gave the same prediction and evidence"), r.out);
        assertTrue(r.out.contains("without a probe (fresh JVM): run "), r.out);
        assertTrue(bad("bench", "probe", "--no-probe").err.contains("--no-probe"));
        assertTrue(bad("bench", "probe", "--depth", "1").err.contains("--depth must be >= 2, got 1"));
        assertTrue(bad("bench", "probe", "--init", "kaiming").err.contains("kaiming"));
    }

    @Test
    void resnetDepthMustBeSixNPlusTwo() {
        Cli r = bad("compare", "--arch", "resnet", "--depth", "21");
        assertTrue(r.err.contains("6n+2") && r.err.contains("21"), r.err);
    }
}
