package dev.heinit.examples.report;

import java.util.List;

/**
 * What went wrong in an invocation, for the top of summary.md and validation.md: the runs that ended without a
 * result (a diverged run is a result), and the failed attempts the runner retried.
 */
public final class Failures {

    /** Exit code of {@code compare} and {@code validate} when a run failed to produce a result. */
    public static final int EXIT_CODE = 3;

    private Failures() {}

    /** Runs that ended without a result ({@link RunResult#isFailed()}). */
    public static List<RunResult> failed(List<RunResult> results) {
        return results.stream().filter(RunResult::isFailed).toList();
    }

    /**
     * The first lines of a report: "**2 of 4 runs failed** (no result; the command exits with code 3):" and one
     * line per failed run with its reason, and how many attempts the runner retried; nothing when every run
     * produced a result at its first attempt.
     */
    public static void appendHead(StringBuilder b, List<RunResult> results, List<FailedAttempt> retried) {
        List<RunResult> failed = failed(results);
        if (!failed.isEmpty()) {
            b.append("**")
                    .append(failed.size())
                    .append(" of ")
                    .append(results.size())
                    .append(results.size() == 1 ? " run failed" : " runs failed")
                    .append("** (no result; the command exits with code ")
                    .append(EXIT_CODE)
                    .append("):\n\n");
            for (RunResult r : failed) {
                b.append("- ")
                        .append(r.label())
                        .append(": ")
                        .append(r.fastPath().substring(RunResult.FAILED.length()))
                        .append('\n');
            }
            b.append('\n');
        }
        if (!retried.isEmpty()) {
            b.append(retried.size())
                    .append(retried.size() == 1 ? " attempt" : " attempts")
                    .append(" failed and went back to Spark (listed under \"Failed attempts\" at the end).\n\n");
        }
    }

    /** A section with one table row per failed attempt (run, attempt, executor, host, reason); nothing if none. */
    public static void appendRetried(StringBuilder b, List<FailedAttempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        b.append("\n## Failed attempts\n\n")
                .append(attempts.size())
                .append(attempts.size() == 1 ? " attempt" : " attempts")
                .append(" failed and went back to the runner (Spark retries a run's task up to spark.task.maxFailures "
                        + "attempts in all; a run's rows come from its one successful attempt):\n\n")
                .append("| run | attempt | executor | host | reason |\n|---|---:|---|---|---|\n");
        for (FailedAttempt a : attempts) {
            b.append("| ")
                    .append(a.run())
                    .append(" | ")
                    .append(a.attempt())
                    .append(" | ")
                    .append(a.executor())
                    .append(" | ")
                    .append(a.host())
                    .append(" | ")
                    .append(a.reason().replace('|', '/'))
                    .append(" |\n");
        }
    }
}
