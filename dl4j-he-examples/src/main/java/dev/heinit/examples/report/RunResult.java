package dev.heinit.examples.report;

import java.util.Locale;

import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;

/**
 * Outcome of one run.
 *
 * @param label         run label ("he d30 s1")
 * @param init          init name
 * @param activation    hidden layers' activation (CLI form)
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
        String activation,
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

    /** Start of {@link #fastPath()} for a run that ended with an error instead of a result. */
    public static final String FAILED = "run failed: ";

    /** The result of a run that threw instead of ending: no numbers, the error in {@link #fastPath()}. */
    public static RunResult failed(String label, String init, String activation, int depth, long seed, String error) {
        return new RunResult(
                label,
                init,
                activation,
                depth,
                seed,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                0,
                Double.NaN,
                0,
                FAILED + error.replace('\n', ' '));
    }

    /**
     * A run's label, e.g. {@code "he silu d30 s1"} or {@code "lsuv relu res d110 s2"}: init, activation,
     * {@code res} for the residual net, depth and seed.
     */
    public static String label(InitScheme init, HiddenActivation activation, Arch arch, int depth, long seed) {
        return init.cliName() + " " + activation.cliName() + (arch == Arch.PLAIN ? "" : " " + arch.tag()) + " d" + depth
                + " s" + seed;
    }

    /** Whether this is the result of a run that failed ({@link #failed}). */
    public boolean isFailed() {
        return fastPath.startsWith(FAILED);
    }

    /** Whether the loss became NaN or infinite. */
    public boolean diverged() {
        return divergedAt > 0;
    }

    /** Single-line encoding for the parent/child protocol (fastPath last: it may contain spaces). */
    public String encode() {
        return String.format(
                Locale.ROOT,
                "%s|%s|%s|%d|%d|%s|%s|%s|%d|%s|%s|%d|%s",
                label,
                init,
                activation,
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
        String[] f = s.split("\\|", 13);
        return new RunResult(
                f[0],
                f[1],
                f[2],
                Integer.parseInt(f[3]),
                Long.parseLong(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Integer.parseInt(f[8]),
                Double.parseDouble(f[9]),
                Double.parseDouble(f[10]),
                Integer.parseInt(f[11]),
                f[12]);
    }
}
