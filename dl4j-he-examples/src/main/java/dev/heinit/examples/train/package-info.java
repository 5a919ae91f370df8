/**
 * Training runs of {@code compare}: the in-process {@link dev.heinit.examples.train.Trainer}, child-process runs
 * ({@link dev.heinit.examples.train.ChildRuns}), metrics.csv and summary.md.
 */
package dev.heinit.examples.train;
