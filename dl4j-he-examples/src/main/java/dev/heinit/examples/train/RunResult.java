package dev.heinit.examples.train;

import java.util.Locale;

/**
 * Outcome of one run.
 *
 * @param label         run label ("he d30 s1")
 * @param init          init name
 * @param depth         weight layers
 * @param seed          seed
 * @param finalLoss     training loss of the last row (NaN if none)
 * @param finalAccuracy test accuracy after the last completed epoch (NaN if none)
 * @param bestAccuracy  best test accuracy over completed epochs (NaN if none)
 * @param epochsDone    completed epochs
 * @param seconds       wall time of the run
 * @param cpuSeconds    CPU time of the process that ran it (the whole JVM: meaningful for child processes)
 * @param divergedAt    iteration whose loss was NaN/∞, 0 if it did not diverge
 * @param fastPath      how the run was executed (fast path status line)
 */
public record RunResult(
        String label,
        String init,
        int depth,
        long seed,
        double finalLoss,
        double finalAccuracy,
        double bestAccuracy,
        int epochsDone,
        double seconds,
        double cpuSeconds,
        int divergedAt,
        String fastPath) {

    /** Whether the loss became NaN or infinite. */
    public boolean diverged() {
        return divergedAt > 0;
    }

    /** Single-line encoding for the parent/child protocol (fastPath last: it may contain spaces). */
    public String encode() {
        return String.format(
                Locale.ROOT,
                "%s|%s|%d|%d|%s|%s|%s|%d|%s|%s|%d|%s",
                label,
                init,
                depth,
                seed,
                finalLoss,
                finalAccuracy,
                bestAccuracy,
                epochsDone,
                seconds,
                cpuSeconds,
                divergedAt,
                fastPath.replace('\n', ' '));
    }

    /** Inverse of {@link #encode()}. */
    public static RunResult decode(String s) {
        String[] f = s.split("\\|", 12);
        return new RunResult(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Long.parseLong(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Integer.parseInt(f[7]),
                Double.parseDouble(f[8]),
                Double.parseDouble(f[9]),
                Integer.parseInt(f[10]),
                f[11]);
    }
}
