/**
 * Training runs of {@code compare}: the in-process {@link dev.heinit.examples.train.Trainer}, child-process runs
 * ({@link dev.heinit.examples.train.ChildRuns}), the {@link dev.heinit.examples.train.Runner}s that execute a list
 * of runs (in this JVM, child processes, Spark through a {@link dev.heinit.examples.train.Runner.Provider}),
 * metrics.csv and summary.md.
 */
package dev.heinit.examples.train;
