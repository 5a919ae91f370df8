/**
 * Training runs of {@code compare} and {@code validate}: the in-process {@link dev.heinit.examples.train.Trainer},
 * child-process runs ({@link dev.heinit.examples.train.ChildRuns}), the {@link dev.heinit.examples.train.Runner}s
 * that execute a list of runs (in this JVM, child processes, Spark through a
 * {@link dev.heinit.examples.train.Runner.Provider}), the signal probe at initialization and the validation matrix.
 * What the runs leave is written by {@code report}.
 */
package dev.heinit.examples.train;
