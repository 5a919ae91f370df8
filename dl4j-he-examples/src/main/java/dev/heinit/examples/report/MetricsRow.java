package dev.heinit.examples.report;

import java.util.Locale;

/**
 * One line of metrics.csv.
 *
 * @param init              init name
 * @param activation        hidden layers' activation, as on the command line (e.g. relu, leaky:0.2, silu)
 * @param depth             weight layers
 * @param seed              run seed
 * @param epoch             1-based epoch the iteration belongs to
 * @param iteration         global 1-based iteration of the run
 * @param trainLoss         mean minibatch loss over the iterations since the previous row (NaN/∞ if it diverged)
 * @param testAccuracy      fraction in [0, 1] on an epoch's last row, NaN (written empty) elsewhere
 * @param seconds           cumulative wall time of the run (training + evaluation)
 * @param examplesPerSecond training examples per second of training wall time since the previous row
 */
public record MetricsRow(
        String init,
        String activation,
        int depth,
        long seed,
        int epoch,
        int iteration,
        double trainLoss,
        double testAccuracy,
        double seconds,
        double examplesPerSecond) {

    /** The exact header of metrics.csv. */
    public static final String HEADER =
            "init,activation,depth,seed,epoch,iteration,train_loss,test_accuracy,seconds,examples_per_second";

    /** Locale-independent CSV line (no newline). */
    public String toCsv() {
        return String.format(
                Locale.ROOT,
                "%s,%s,%d,%d,%d,%d,%s,%s,%.3f,%.1f",
                init,
                activation,
                depth,
                seed,
                epoch,
                iteration,
                num(trainLoss),
                Double.isNaN(testAccuracy) ? "" : String.format(Locale.ROOT, "%.4f", testAccuracy),
                seconds,
                examplesPerSecond);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : Double.toString(v);
    }

    /** Parses a line written by {@link #toCsv()}. */
    public static MetricsRow parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 10) {
            throw new IllegalArgumentException("a metrics row has 10 fields, got " + f.length + ": " + line);
        }
        return new MetricsRow(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Long.parseLong(f[3]),
                Integer.parseInt(f[4]),
                Integer.parseInt(f[5]),
                Double.parseDouble(f[6]),
                f[7].isEmpty() ? Double.NaN : Double.parseDouble(f[7]),
                Double.parseDouble(f[8]),
                Double.parseDouble(f[9]));
    }
}
