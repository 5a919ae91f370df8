package dev.heinit.examples.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.report.FailedAttempt;
import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunNotes;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunReport;
import dev.heinit.examples.report.RunResult;

/**
 * Runs a list of {@link RunSpec}s with a {@link Runner} (in this JVM one after the other, child processes, Spark),
 * writing metrics.csv as rows arrive (then rewritten in the order of the runs), then a {@link RunReport} (compare's:
 * summary.md and the charts). A shutdown hook
 * (Ctrl-C) stops the runs, closes metrics.csv on a row boundary and writes the report of what finished.
 */
public final class Compare {

    private Compare() {}

    /**
     * @param parallel  0: in this JVM, sequentially; N ≥ 1: up to N child processes at once, one native thread each
     * @param data      loads the data for in-process runs (called at most once)
     * @param report    writes the invocation's report at the end or on Ctrl-C
     * @param bars      progress bars (terminal) or plain log lines
     */
    public static List<RunResult> run(
            List<RunSpec> specs,
            int parallel,
            Path out,
            Supplier<ImageData> data,
            RunReport report,
            boolean bars,
            PrintStream console)
            throws IOException, InterruptedException {
        return run(specs, Runners.of(parallel, data), out, report, bars, console);
    }

    /**
     * @param runner executes the runs (in this JVM, child processes, Spark)
     * @param report writes the invocation's report at the end or on Ctrl-C
     * @param bars   progress bars (terminal) or plain log lines
     */
    public static List<RunResult> run(
            List<RunSpec> specs, Runner runner, Path out, RunReport report, boolean bars, PrintStream console)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        MetricsCsv csv = new MetricsCsv(out.resolve("metrics.csv"));
        ConsoleDisplay display = new ConsoleDisplay(bars, console);
        List<RunResult> results = Collections.synchronizedList(new ArrayList<>());
        Map<String, InitSignal> signals = new ConcurrentHashMap<>();
        Map<String, RunPrognosis> prognoses = new ConcurrentHashMap<>();
        Map<String, List<String>> warnings = new ConcurrentHashMap<>();
        RunNotes notes = new RunNotes(prognoses, warnings);
        AtomicBoolean stop = new AtomicBoolean();
        RunListener listener = new RunListener() {
            @Override
            public void started(RunSpec s, int total, String fastPath) {
                warnings.remove(s.label()); // a retried run's warnings are its last attempt's
                display.started(s, total, fastPath);
            }

            @Override
            public void initSignal(RunSpec s, InitSignal signal) {
                signals.put(s.label(), signal);
                display.initSignal(s, signal);
            }

            @Override
            public void prognosis(RunSpec s, RunPrognosis prognosis) {
                prognoses.put(s.label(), prognosis);
                display.prognosis(s, prognosis);
            }

            @Override
            public void iteration(RunSpec s, int iteration, double loss) {
                display.iteration(s, iteration, loss);
            }

            @Override
            public void row(RunSpec s, MetricsRow row) {
                csv.add(row);
            }

            @Override
            public void log(RunSpec s, String message) {
                if (message.startsWith(Trainer.EARLY_WARNING)) {
                    warnings.computeIfAbsent(s.label(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(message.substring(Trainer.EARLY_WARNING.length()));
                }
                display.log(s, message);
            }

            @Override
            public void finished(RunSpec s, RunResult result) {
                results.add(result);
                display.finished(s, result);
            }
        };
        AtomicBoolean finishing = new AtomicBoolean();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.set(true);
                    if (!finishing.compareAndSet(false, true)) {
                        try {
                            done.await(10, java.util.concurrent.TimeUnit.SECONDS); // let the normal finish complete
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return;
                    }
                    runner.cancel();
                    csv.close();
                    display.closeAll();
                    try {
                        finish(
                                out,
                                csv,
                                specs,
                                withPartial(specs, results, csv.rows()),
                                signals,
                                notes,
                                report,
                                runner.failedAttempts(),
                                true);
                        console.println("\ninterrupted: complete rows kept in " + out.resolve("metrics.csv"));
                    } catch (IOException | RuntimeException e) {
                        console.println("interrupted; could not write summary/charts: " + e);
                    }
                },
                "compare-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runner.run(specs, listener, stop);
            List<RunResult> ordered = order(specs, results);
            if (!finishing.compareAndSet(false, true)) {
                return ordered; // interrupted: the shutdown hook writes the files
            }
            csv.close();
            finish(out, csv, specs, ordered, signals, notes, report, runner.failedAttempts(), false);
            return ordered;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is doing the rest
            }
        }
    }

    /** Results in the order of the specs (child processes finish in any order). */
    private static List<RunResult> order(List<RunSpec> specs, List<RunResult> results) {
        List<RunResult> r = new ArrayList<>();
        synchronized (results) {
            for (RunSpec s : specs) {
                results.stream()
                        .filter(x -> x.label().equals(s.label()))
                        .findFirst()
                        .ifPresent(r::add);
            }
        }
        return r;
    }

    /** Finished runs, plus, for runs cut short, what their complete rows say (marked as interrupted). */
    private static List<RunResult> withPartial(List<RunSpec> specs, List<RunResult> results, List<MetricsRow> rows) {
        List<RunResult> r = new ArrayList<>();
        for (RunSpec s : specs) {
            RunResult done;
            synchronized (results) {
                done = results.stream()
                        .filter(x -> x.label().equals(s.label()))
                        .findFirst()
                        .orElse(null);
            }
            if (done != null) {
                r.add(done);
                continue;
            }
            List<MetricsRow> mine = rows.stream().filter(m -> owns(s, m)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            MetricsRow last = mine.get(mine.size() - 1);
            List<MetricsRow> epochEnds =
                    mine.stream().filter(m -> !Double.isNaN(m.testAccuracy())).toList();
            double best = epochEnds.stream()
                    .mapToDouble(MetricsRow::testAccuracy)
                    .max()
                    .orElse(Double.NaN);
            double fin = epochEnds.isEmpty()
                    ? Double.NaN
                    : epochEnds.get(epochEnds.size() - 1).testAccuracy();
            r.add(new RunResult(
                    s.label(),
                    s.init().cliName(),
                    s.activation().cliName(),
                    s.depth(),
                    s.seed(),
                    last.trainLoss(),
                    fin,
                    best,
                    epochEnds.size(),
                    last.seconds(),
                    Double.NaN,
                    0,
                    "interrupted"));
        }
        return r;
    }

    /** Whether a metrics row is one of this run's (a row has no architecture column: depth tells nets apart). */
    private static boolean owns(RunSpec s, MetricsRow m) {
        return m.init().equals(s.init().cliName())
                && m.activation().equals(s.activation().cliName())
                && m.depth() == s.depth()
                && m.seed() == s.seed();
    }

    /** The run a row belongs to, by its position in the specs (rows of no run last). */
    private static int runIndex(List<RunSpec> specs, MetricsRow m) {
        for (int i = 0; i < specs.size(); i++) {
            if (owns(specs.get(i), m)) {
                return i;
            }
        }
        return specs.size();
    }

    private static void finish(
            Path out,
            MetricsCsv csv,
            List<RunSpec> specs,
            List<RunResult> results,
            Map<String, InitSignal> signals,
            RunNotes notes,
            RunReport report,
            List<FailedAttempt> retried,
            boolean interrupted)
            throws IOException {
        List<RunResult> copy;
        synchronized (results) {
            copy = new ArrayList<>(results);
        }
        // rows arrive as runs progress (interleaved with parallel runs, by finishing order on Spark): the file
        // lists them run by run in the order of the specs, whatever the runner
        csv.reorder(Comparator.comparingInt(m -> runIndex(specs, m)));
        Map<String, List<String>> warnings = new java.util.HashMap<>();
        notes.warnings().forEach((k, v) -> {
            synchronized (v) {
                warnings.put(k, List.copyOf(v));
            }
        });
        report.write(
                out,
                copy,
                Map.copyOf(signals),
                new RunNotes(Map.copyOf(notes.prognoses()), warnings),
                csv.rows(),
                List.copyOf(retried),
                interrupted);
    }
}
