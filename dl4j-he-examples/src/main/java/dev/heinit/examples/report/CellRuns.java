package dev.heinit.examples.report;

import java.util.List;
import java.util.OptionalDouble;

/**
 * What one validation cell's run (cell × seed) left in a compare run: its epoch-end metrics rows (test accuracy after
 * epoch e), its last epoch and accuracy, and its {@link RunResult}, matched by the run's label.
 */
final class CellRuns {

    private CellRuns() {}

    static List<MetricsRow> epochEnds(ValidationCell c, long seed, List<MetricsRow> rows) {
        return rows.stream()
                .filter(r -> c.matches(r) && r.seed() == seed && !Double.isNaN(r.testAccuracy()))
                .toList();
    }

    static OptionalDouble at(ValidationCell c, long seed, int epoch, List<MetricsRow> rows) {
        return epochEnds(c, seed, rows).stream()
                .filter(r -> r.epoch() == epoch)
                .mapToDouble(MetricsRow::testAccuracy)
                .findFirst();
    }

    static OptionalDouble last(ValidationCell c, long seed, List<MetricsRow> rows) {
        List<MetricsRow> e = epochEnds(c, seed, rows);
        return e.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(e.get(e.size() - 1).testAccuracy());
    }

    static int lastEpoch(ValidationCell c, long seed, List<MetricsRow> rows) {
        List<MetricsRow> e = epochEnds(c, seed, rows);
        return e.isEmpty() ? 0 : e.get(e.size() - 1).epoch();
    }

    static RunResult result(ValidationCell c, long seed, List<RunResult> results) {
        String label = label(c, seed);
        return results.stream().filter(r -> r.label().equals(label)).findFirst().orElse(null);
    }

    static String label(ValidationCell c, long seed) {
        return RunResult.label(c.init(), c.activation(), c.arch(), c.depth(), seed);
    }
}
