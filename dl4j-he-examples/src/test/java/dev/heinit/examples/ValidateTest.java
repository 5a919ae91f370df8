package dev.heinit.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.train.ValidationMatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** validate --quick's shape on tiny nets: every matrix cell is in the report with its signal at init filled in. */
class ValidateTest {

    @TempDir
    Path tmp;

    @Test
    void quickMatrixOnTinyNetsReportsEveryCellWithItsSignal() throws Exception {
        Path out = tmp.resolve("v");
        Cli r = Cli.run(
                "validate",
                "--quick",
                "--depth",
                "4",
                "--residual-depth",
                "7",
                "--width",
                "2",
                "--train-examples",
                "64",
                "--test-examples",
                "32",
                "--epochs",
                "2",
                "--residual-epochs",
                "1",
                "--parallel",
                "0",
                "--out",
                out.toString());
        assertEquals(0, r.code, r.err);
        String pinned =
                "init,activation,depth,seed,epoch,iteration,train_loss,test_accuracy,seconds,examples_per_second";
        assertEquals(pinned, MetricsRow.HEADER);
        assertEquals(pinned, Files.readAllLines(out.resolve("metrics.csv")).get(0));
        List<MetricsRow> rows = MetricsCsv.read(out.resolve("metrics.csv"));
        String md = Files.readString(out.resolve("validation.md"));
        List<String> table = md.lines()
                .filter(l -> l.startsWith("| plain ") || l.startsWith("| residual "))
                .toList();

        for (var act : ValidationMatrix.PLAIN_ACTIVATIONS) {
            String net = "plain " + act.cliName() + " d4";
            assertTrue(Files.exists(out.resolve("plain-" + act.cliName().replace(":", "") + "-accuracy.png")), net);
            assertTrue(Files.exists(out.resolve("plain-" + act.cliName().replace(":", "") + "-loss.png")), net);
            for (InitScheme i : ValidationMatrix.PLAIN_INITS_QUICK) {
                checkRun(table, net, i.cliName(), 2);
                assertEquals(
                        2,
                        rows.stream()
                                .filter(m -> m.depth() == 4
                                        && m.activation().equals(act.cliName())
                                        && m.init().equals(i.cliName())
                                        && !Double.isNaN(m.testAccuracy()))
                                .count(),
                        net + " " + i);
            }
        }
        for (InitScheme i : ValidationMatrix.RESIDUAL_INITS_QUICK) {
            checkRun(table, "residual relu d7", i.cliName(), 1);
        }
        assertTrue(Files.exists(out.resolve("residual-relu-accuracy.png")));
        // the matrix has a row per net, a column per init; the claims and the run's description follow
        assertTrue(md.contains("| plain silu d4 | 2 |"), md);
        assertTrue(md.contains("| residual relu d7 | 1 |"), md);
        assertTrue(md.contains("## The claims, checked on these runs"), md);
        assertTrue(md.contains("- Seeds: [1]"), md);
        assertTrue(md.contains("![test accuracy](plain-leaky0.2-accuracy.png)"), md);
    }

    /** The run's row: signal columns are numbers, a verdict, and the epoch accuracies present. */
    private static void checkRun(List<String> table, String net, String init, int epochs) {
        String row = table.stream()
                .filter(l -> l.startsWith("| " + net + " | " + init + " | 1 |"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + net + " " + init + " in " + table));
        String[] c = row.split("\\|");
        for (int k = 4; k <= 6; k++) {
            Double.parseDouble(c[k].trim()); // forward ratio, backward ratio, RMS last hidden
        }
        assertTrue(c[7].trim().matches("-?[0-9.]+ → -?[0-9.]+"), "cosine first → last: " + row);
        assertTrue(c[8].trim().matches("-?[0-9.]+ → -?[0-9.]+"), "centred cosine: " + row);
        assertTrue(c[9].trim().matches("[A-Z_+]+"), row);
        Double.parseDouble(c[10].trim()); // epoch 1
        assertTrue(c[13].trim().endsWith("(" + epochs + ")"), row);
        assertEquals("finished", c[14].trim(), row);
    }
}
