package dev.heinit.examples.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.heinit.examples.chart.Charts;
import dev.heinit.examples.data.ImageData;

/**
 * Runs a list of {@link RunSpec}s (in this JVM one after the other, or up to N at once in child processes),
 * writing metrics.csv as rows arrive, then the charts and summary.md. A shutdown hook (Ctrl-C) stops the runs,
 * closes metrics.csv on a row boundary and writes the charts and summary of what finished.
 */
public final class Compare {

    private Compare() {
    }

    /**
     * @param parallel  0: in this JVM, sequentially; N ≥ 1: up to N child processes at once, one native thread each
     * @param data      loads the data for in-process runs (called at most once)
     * @param header    summary lines describing the invocation
     * @param bars      progress bars (terminal) or plain log lines
     */
    public static List<RunResult> run(List<RunSpec> specs, int parallel, Path out, Supplier<ImageData> data,
                                      List<String> header, String title, boolean bars, PrintStream console)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        MetricsCsv csv = new MetricsCsv(out.resolve("metrics.csv"));
        ConsoleDisplay display = new ConsoleDisplay(bars, console);
        List<RunResult> results = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean finishedNormally = new AtomicBoolean();
        RunListener listener = new RunListener() {
            @Override
            public void started(RunSpec s, int total, String fastPath) {
                display.started(s, total, fastPath);
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
                display.log(s, message);
            }

            @Override
            public void finished(RunSpec s, RunResult result) {
                results.add(result);
                display.finished(s, result);
            }
        };
        Thread hook = new Thread(() -> {
            if (finishedNormally.get()) {
                return;
            }
            stop.set(true);
            ChildRuns.destroyAll();
            csv.close();
            display.closeAll();
            try {
                finish(out, csv, results, header, title, true);
                console.println("\ninterrupted: complete rows kept in " + out.resolve("metrics.csv"));
            } catch (IOException | RuntimeException e) {
                console.println("interrupted; could not write summary: " + e);
            }
        }, "compare-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (parallel <= 0) {
                ImageData d = data.get();
                for (RunSpec s : specs) {
                    if (stop.get()) {
                        break;
                    }
                    Trainer.run(s, d, listener, stop);
                }
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, specs.size()));
                List<Future<RunResult>> fs = new ArrayList<>();
                for (RunSpec s : specs) {
                    fs.add(pool.submit(() -> ChildRuns.run(s, listener)));
                }
                pool.shutdown();
                for (Future<RunResult> f : fs) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IOException("a child run failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            csv.close();
            List<RunResult> ordered = order(specs, results);
            finish(out, csv, ordered, header, title, false);
            finishedNormally.set(true);
            return ordered;
        } finally {
            finishedNormally.set(true);
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
                results.stream().filter(x -> x.label().equals(s.label())).findFirst().ifPresent(r::add);
            }
        }
        return r;
    }

    private static void finish(Path out, MetricsCsv csv, List<RunResult> results, List<String> header, String title,
                               boolean interrupted) throws IOException {
        Charts.write(csv.rows(), out, title);
        List<RunResult> copy;
        synchronized (results) {
            copy = new ArrayList<>(results);
        }
        Summary.write(out, copy, header, interrupted);
    }
}
