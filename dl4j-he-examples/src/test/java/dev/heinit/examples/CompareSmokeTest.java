package dev.heinit.examples;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.examples.cli.RunSpecArgs;
import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.train.RunSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare end to end on a small problem: files written, and they parse. */
class CompareSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void smokeDepth4TwoHundredExamplesOneEpoch() throws Exception {
        Path out = tmp.resolve("run");
        Cli r = Cli.run(
                "compare",
                "--depth",
                "4",
                "--train-examples",
                "200",
                "--test-examples",
                "200",
                "--epochs",
                "1",
                "--parallel",
                "0",
                "--out",
                out.toString());
        assertEquals(0, r.code, r.err);

        List<MetricsRow> rows = MetricsCsv.read(out.resolve("metrics.csv"));
        assertEquals(
                List.of("he", "xavier"),
                rows.stream().map(MetricsRow::init).distinct().toList());
        for (String init : List.of("he", "xavier")) {
            List<MetricsRow> run =
                    rows.stream().filter(x -> x.init().equals(init)).collect(Collectors.toList());
            // 200 examples / batch 64 = 4 iterations; fewer than 20 per epoch, so a row for each
            assertEquals(
                    List.of(1, 2, 3, 4), run.stream().map(MetricsRow::iteration).toList());
            for (int i = 0; i < run.size(); i++) {
                MetricsRow m = run.get(i);
                assertEquals(4, m.depth());
                assertEquals(1, m.seed());
                assertEquals(1, m.epoch());
                assertTrue(Double.isFinite(m.trainLoss()) && m.trainLoss() > 0, m.toString());
                assertTrue(m.examplesPerSecond() > 0, m.toString());
                if (i > 0) {
                    assertTrue(m.seconds() >= run.get(i - 1).seconds(), "seconds are cumulative");
                }
                boolean last = i == run.size() - 1;
                assertEquals(last, !Double.isNaN(m.testAccuracy()), "accuracy only on the epoch's last row");
            }
            double acc = run.get(run.size() - 1).testAccuracy();
            assertTrue(acc >= 0 && acc <= 1, "accuracy is a fraction: " + acc);
        }
        // the accuracy field is empty, not NaN, on other rows
        String second = Files.readAllLines(out.resolve("metrics.csv")).get(1);
        assertTrue(second.matches("he,relu,4,1,1,1,[0-9.]+,,[0-9.]+,[0-9.]+"), second);

        for (String png : List.of("loss.png", "accuracy.png")) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 100, png);
        }
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| init | activation | depth | seed | final loss"), summary);
        List<String> tableRows = summary.lines()
                .filter(l -> l.startsWith("| he |") || l.startsWith("| xavier |"))
                .toList();
        assertEquals(2, tableRows.size(), summary);
        for (String row : tableRows) {
            String[] cells = row.split("\\|");
            assertEquals(" no ", cells[cells.length - 1], row);
            assertEquals(" relu ", cells[2], row);
            String init = cells[1].trim();
            MetricsRow last = rows.stream()
                    .filter(x -> x.init().equals(init))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            // final loss: the run's last training loss (4 decimals), finite, so a NaN written as "NaN" fails here
            double finalLoss = Double.parseDouble(cells[5].trim());
            assertTrue(Double.isFinite(finalLoss) && finalLoss > 0, row);
            assertEquals(last.trainLoss(), finalLoss, 5.01e-5, row);
            // signal at init: ratios of RMS values, so finite and positive, and consistent with the verdicts
            double forward = SignalCells.positiveFinite(cells[11], row);
            double backward = SignalCells.positiveFinite(cells[12], row);
            SignalCells.verdictsMatchRatios(cells[13].trim(), forward, backward, row);
            if (init.equals("he")) {
                // He's claim for ReLU: the pre-activations keep their second moment (ratio 1 in expectation;
                // 1.32 measured on this 16-channel net and 128-example probe)
                assertTrue(forward >= 0.5 && forward <= 2, "He ReLU forward ratio: " + row);
            }
        }
        var prognoses = PrognosisCells.runs(summary);
        assertEquals(List.of("he relu d4 s1", "xavier relu d4 s1"), List.copyOf(prognoses.keySet()), summary);
        prognoses.values().forEach(c -> PrognosisCells.checkRun(c, false));
        assertTrue(summary.contains("Backend: CPU"), summary);
        assertTrue(summary.contains("Seeds: [1]"), summary);
    }

    @Test
    void divergingRunIsReportedNotThrown() throws Exception {
        Path out = tmp.resolve("div");
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
        Cli r;
        try {
            r = Cli.run(
                    "compare",
                    "--depth",
                    "4",
                    "--train-examples",
                    "200",
                    "--test-examples",
                    "64",
                    "--epochs",
                    "2",
                    "--inits",
                    "he",
                    "--lr",
                    "1e6",
                    "--parallel",
                    "0",
                    "--out",
                    out.toString());
        } finally {
            System.setOut(stdout);
        }
        String shownConsole = console.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, r.code, r.err);
        List<MetricsRow> rows = MetricsCsv.read(out.resolve("metrics.csv"));
        MetricsRow last = rows.get(rows.size() - 1);
        assertFalse(Double.isFinite(last.trainLoss()), "the diverged iteration is recorded: " + last);
        assertTrue(last.iteration() < 8, "the run stopped at divergence: " + last);
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("at iteration " + last.iteration() + " |"), summary);
        List<String> p = PrognosisCells.runs(summary).get("he relu d4 s1");
        PrognosisCells.checkRun(p, true);
        // the console showed the run's prognosis, and the warnings it showed as they happened are the summary's
        assertTrue(shownConsole.contains("[he relu d4 s1] prognosis: " + p.get(1)), shownConsole);
        List<String> shown = shownConsole
                .lines()
                .filter(l -> l.startsWith("[he relu d4 s1] early warning: "))
                .map(l -> l.substring("[he relu d4 s1] early warning: ".length()))
                .toList();
        assertEquals(shown.isEmpty() ? "none" : String.join("; ", shown), p.get(7), shownConsole);
    }

    /** One epoch of 128 digits on the 3-layer net. */
    private static Cli tinyCompare(Path out, String inits, String parallel, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "compare",
                "--depth",
                "3",
                "--train-examples",
                "128",
                "--test-examples",
                "64",
                "--epochs",
                "1",
                "--inits",
                inits,
                "--parallel",
                parallel,
                "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void childProcessRunsWriteTheSameKindOfRows() throws Exception {
        Path out = tmp.resolve("par");
        Cli r = tinyCompare(out, "he,he-uniform", "2");
        assertEquals(0, r.code, r.err);
        List<MetricsRow> rows = MetricsCsv.read(out.resolve("metrics.csv"));
        assertEquals(
                List.of("he", "he-uniform"),
                rows.stream().map(MetricsRow::init).distinct().sorted().toList());
        assertEquals(4, rows.size(), rows.toString());
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(
                summary.contains("| he | relu | 3 | 1 |") && summary.contains("| he-uniform | relu | 3 | 1 |"),
                summary);
        assertTrue(summary.contains("OMP_NUM_THREADS=1"), summary);
        // the prognosis travels from the child process with the run's other events
        var prognoses = PrognosisCells.runs(summary);
        assertEquals(2, prognoses.size(), summary);
        prognoses.values().forEach(c -> PrognosisCells.checkRun(c, false));
    }

    @Test
    void noProbeSkipsThePrognosisAndTravelsToWorkers() throws Exception {
        Path out = tmp.resolve("noprobe");
        Cli r = tinyCompare(out, "he", "0", "--no-probe");
        assertEquals(0, r.code, r.err);
        List<String> row =
                PrognosisCells.runs(Files.readString(out.resolve("summary.md"))).get("he relu d3 s1");
        assertEquals(List.of("SKIPPED", "–", "–"), List.of(row.get(1), row.get(4), row.get(5)), row.toString());
        // a worker (child process, Spark task) gets the same choice from the spec's arguments
        RunSpec spec = RunSpecArgs.parse(List.of("--init", "he", "--depth", "3", "--seed", "1", "--no-probe"))
                .spec();
        assertFalse(spec.probe());
        assertEquals(spec, RunSpecArgs.parse(spec.toArgs()).spec());
        assertTrue(RunSpecArgs.parse(List.of("--init", "he", "--depth", "3", "--seed", "1"))
                .spec()
                .probe());
    }

    @Test
    void signalListenerWritesOneRowPerSampleAndLayer() throws Exception {
        Path out = tmp.resolve("signal");
        Cli r = Cli.run(
                "compare",
                "--depth",
                "4",
                "--inits",
                "he,he-auto,lsuv,lsuv-small",
                "--train-examples",
                "200",
                "--test-examples",
                "100",
                "--epochs",
                "1",
                "--parallel",
                "0",
                "--signal-every",
                "2",
                "--out",
                out.toString());
        assertEquals(0, r.code, r.err);
        for (String init : List.of("he", "he-auto", "lsuv", "lsuv-small")) {
            List<String> lines = Files.readAllLines(out.resolve("signal-" + init + "-d4-s1.csv"));
            assertTrue(lines.get(0).startsWith("iteration,epoch,layer,"), lines.get(0));
            // 4 iterations sampled every 2 (listener iterations 0-based: 0 and 2), 4 layers each
            assertEquals(1 + 2 * 4, lines.size(), init + ": " + lines);
        }
        // after one step, layer 1's pre-activation second moment is still where each LSUV put it (1 vs 0.01)
        assertTrue(preM2(out, "lsuv", 1) > 0.5, () -> "lsuv: " + preM2(out, "lsuv", 1));
        assertTrue(preM2(out, "lsuv-small", 1) < 0.02, () -> "lsuv-small: " + preM2(out, "lsuv-small", 1));
        assertEquals(2, Cli.run("compare", "--signal-every", "-1").code);
    }

    /** pre_m2 of {@code layer} in the first row of a signal CSV written by compare. */
    private static double preM2(Path out, String init, int layer) {
        try {
            List<String> lines = Files.readAllLines(out.resolve("signal-" + init + "-d4-s1.csv"));
            int col = List.of(lines.get(0).split(",")).indexOf("pre_m2");
            return Double.parseDouble(lines.get(1 + layer).split(",")[col]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
