package dev.heinit.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare trains a tiny plain net and a tiny residual net under every --activation, and says which one ran. */
class ActivationsSmokeTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky:0.2", "gelu", "silu", "tanh", "elu", "selu"})
    void everyActivationTrainsAndIsRecorded(String act) throws Exception {
        for (String arch : new String[] {"plain", "residual"}) {
            Path out = tmp.resolve(arch);
            Cli r = Cli.run(
                    "compare",
                    "--activation",
                    act,
                    "--arch",
                    arch,
                    "--depth",
                    "7",
                    "--width",
                    "4",
                    "--inits",
                    "he,he-relu",
                    "--train-examples",
                    "128",
                    "--test-examples",
                    "64",
                    "--epochs",
                    "1",
                    "--parallel",
                    "0",
                    "--input",
                    "standardize",
                    "--out",
                    out.toString());
            assertEquals(0, r.code, r.err);
            List<MetricsRow> rows = MetricsCsv.read(out.resolve("metrics.csv"));
            assertEquals(
                    List.of(act),
                    rows.stream().map(MetricsRow::activation).distinct().toList());
            assertEquals(
                    List.of("he", "he-relu"),
                    rows.stream().map(MetricsRow::init).distinct().toList());
            assertTrue(
                    rows.stream().allMatch(m -> Double.isFinite(m.trainLoss()) && m.trainLoss() > 0), rows.toString());
            String summary = Files.readString(out.resolve("summary.md"));
            assertTrue(summary.contains("| he | " + act + " | 7 | 1 |"), summary);
            assertTrue(summary.contains("input standardize"), summary);
            assertTrue(summary.contains("Activation of every hidden layer: " + act.replace(":0.2", "")), summary);
        }
    }
}
