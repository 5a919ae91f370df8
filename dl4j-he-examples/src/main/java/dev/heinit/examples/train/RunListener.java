package dev.heinit.examples.train;

import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;

/** Receives a run's events; implementations write CSV rows, drive progress bars or forward to a parent process. */
public interface RunListener {
    /** The run starts; {@code totalIterations} = epochs × iterations per epoch. */
    void started(RunSpec spec, int totalIterations, String fastPath);

    /** The network's signal at initialization, measured before the first step. */
    void initSignal(RunSpec spec, InitSignal signal);

    /** The run's prognosis, measured before the first step on a copy of its network (ignored by default). */
    default void prognosis(RunSpec spec, RunPrognosis prognosis) {}

    /** After every iteration. */
    void iteration(RunSpec spec, int iteration, double loss);

    /** A metrics row is complete. */
    void row(RunSpec spec, MetricsRow row);

    /** A human-readable progress line (epoch ends, init reports). */
    void log(RunSpec spec, String message);

    /** The run ended (normally, diverged or interrupted). */
    void finished(RunSpec spec, RunResult result);
}
