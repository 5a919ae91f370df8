package dev.heinit.examples.train;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.report.Summary;

/**
 * Shows runs on the console: one progress bar per run when attached to a terminal, plain log lines otherwise
 * (CI logs, pipes), always with a line per finished epoch.
 */
public final class ConsoleDisplay implements RunListener {

    private final boolean bars;
    private final PrintStream out;
    private final Map<String, ProgressBar> open = new ConcurrentHashMap<>();

    /** @param bars progress bars (terminal) or plain lines */
    public ConsoleDisplay(boolean bars, PrintStream out) {
        this.bars = bars;
        this.out = out;
    }

    /** Whether stdout looks like an interactive terminal. */
    public static boolean isTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void started(RunSpec spec, int totalIterations, String fastPath) {
        if (bars) {
            open.put(
                    spec.label(),
                    new ProgressBarBuilder()
                            .setTaskName(String.format("%-22s", spec.label()))
                            .setInitialMax(totalIterations)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUpdateIntervalMillis(500)
                            .setMaxRenderedLength(110)
                            .build());
        } else {
            synchronized (out) {
                out.println("[" + spec.label() + "] start: " + totalIterations + " iterations; " + fastPath);
            }
        }
    }

    @Override
    public void initSignal(RunSpec spec, InitSignal signal) {
        synchronized (out) {
            out.println("[" + spec.label() + "] signal at init: " + signal.describe());
        }
    }

    @Override
    public void prognosis(RunSpec spec, RunPrognosis prognosis) {
        synchronized (out) {
            out.println("[" + spec.label() + "] prognosis: " + prognosis.describe());
        }
    }

    @Override
    public void iteration(RunSpec spec, int iteration, double loss) {
        ProgressBar pb = open.get(spec.label());
        if (pb != null) {
            pb.stepTo(iteration);
            if (Double.isFinite(loss)) {
                pb.setExtraMessage(String.format(java.util.Locale.ROOT, "loss %.3f", loss));
            }
        }
    }

    @Override
    public void row(RunSpec spec, MetricsRow row) {}

    @Override
    public void log(RunSpec spec, String message) {
        if (bars) {
            ProgressBar pb = open.get(spec.label());
            if (pb != null && message.startsWith("epoch")) {
                pb.setExtraMessage(message.replaceAll("\\s+", " ").replaceFirst("iteration \\d+ ", ""));
                return;
            }
        }
        synchronized (out) {
            out.println("[" + spec.label() + "] " + message);
        }
    }

    @Override
    public void finished(RunSpec spec, RunResult result) {
        ProgressBar pb = open.remove(spec.label());
        if (pb != null) {
            pb.close();
        }
        synchronized (out) {
            out.println("[" + spec.label() + "] done: " + Summary.outcome(result));
        }
    }

    /** Closes any bars still open (interrupt). */
    public void closeAll() {
        open.values().forEach(ProgressBar::close);
        open.clear();
    }
}
