package dev.heinit.examples.report;

/**
 * One attempt of a run that failed and was left to the runner to retry (Spark retries a task up to
 * {@code spark.task.maxFailures} attempts in all), e.g. because its executor died.
 *
 * @param run      the run's label
 * @param attempt  1 for the first attempt
 * @param executor the executor it ran on
 * @param host     that executor's host
 * @param reason   the runner's reason, one line
 */
public record FailedAttempt(String run, int attempt, String executor, String host, String reason) {}
