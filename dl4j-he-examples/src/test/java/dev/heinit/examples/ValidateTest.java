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
                checkRun(table, rows, net, act.cliName(), 4, i.cliName(), 2);
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
            checkRun(table, rows, "residual relu d7", "relu", 7, i.cliName(), 1);
        }
        assertTrue(Files.exists(out.resolve("residual-relu-accuracy.png")));
        // the matrix has a row per net, a column per init; the claims and the run's description follow
        assertTrue(md.contains("| plain silu d4 | 2 |"), md);
        assertTrue(md.contains("| residual relu d7 | 1 |"), md);
        assertTrue(md.contains("## The claims, checked on these runs"), md);
        assertTrue(md.contains("- Seeds: [1]"), md);
        assertTrue(md.contains("![test accuracy](plain-leaky0.2-accuracy.png)"), md);
        var prognoses = PrognosisCells.runs(md);
        assertEquals(
                ValidationMatrix.PLAIN_ACTIVATIONS.size() * ValidationMatrix.PLAIN_INITS_QUICK.size()
                        + ValidationMatrix.RESIDUAL_INITS_QUICK.size(),
                prognoses.size(),
                md);
        prognoses.values().forEach(c -> PrognosisCells.checkRun(c, false)); // every run "finished" (checkRun above)
        PrognosisCells.checkConfusion(md, prognoses);
    }

    /**
     * The run's row: signal columns finite and positive and consistent with the verdicts, LSUV's forward ratio near 1
     * (it sets every weighted layer's pre-activation variance to 1), epoch accuracies equal to metrics.csv's.
     */
    private static void checkRun(
            List<String> table,
            List<MetricsRow> rows,
            String net,
            String activation,
            int depth,
            String init,
            int epochs) {
        String row = table.stream()
                .filter(l -> l.startsWith("| " + net + " | " + init + " | 1 |"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + net + " " + init + " in " + table));
        String[] c = row.split("\\|");
        double forward = SignalCells.positiveFinite(c[4], row);
        double backward = SignalCells.positiveFinite(c[5], row);
        SignalCells.positiveFinite(c[6], row); // RMS of the last hidden layer's activations
        if (init.equals("lsuv")) {
            // 0.91-0.99 measured on these width-2 nets (the probe batch is not LSUV's batch)
            assertTrue(forward >= 0.75 && forward <= 1.33, "LSUV forward ratio: " + row);
        }
        assertTrue(c[7].trim().matches("-?[0-9.]+ → -?[0-9.]+"), "cosine first → last: " + row);
        assertTrue(c[8].trim().matches("-?[0-9.]+ → -?[0-9.]+"), "centred cosine: " + row);
        SignalCells.verdictsMatchRatios(c[9].trim(), forward, backward, row);
        double epoch1 = Double.parseDouble(c[10].trim());
        MetricsRow first = rows.stream()
                .filter(m -> m.init().equals(init)
                        && m.activation().equals(activation)
                        && m.depth() == depth
                        && m.seed() == 1
                        && m.epoch() == 1
                        && !Double.isNaN(m.testAccuracy()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no epoch-1 accuracy in metrics.csv for " + net + " " + init));
        assertTrue(epoch1 >= 0 && epoch1 <= 100, row);
        assertEquals(100 * first.testAccuracy(), epoch1, 0.0501, "epoch 1 accuracy (%) as in metrics.csv: " + row);
        assertTrue(c[13].trim().endsWith("(" + epochs + ")"), row);
        assertEquals("finished", c[14].trim(), row);
    }
}
