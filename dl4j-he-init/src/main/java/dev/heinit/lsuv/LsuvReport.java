package dev.heinit.lsuv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.heinit.internal.text.TextTable;

/**
 * The outcome of {@link Lsuv#initialize}: one {@link LayerResult} per layer or graph vertex, in execution order,
 * plus the settings used. Renders as aligned text ({@link #toText()}) and CSV ({@link #toCsv()}, locale-independent
 * numbers, one header line). Immutable.
 */
public final class LsuvReport {

    private final List<LayerResult> layers;
    private final double targetVariance;
    private final double tolerance;
    private final int maxIterations;
    private final int batchSize;

    LsuvReport(List<LayerResult> layers, double targetVariance, double tolerance, int maxIterations, int batchSize) {
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.targetVariance = targetVariance;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.batchSize = batchSize;
    }

    /** Every layer or vertex, in execution order. */
    public List<LayerResult> layers() {
        return layers;
    }

    /** The layers whose weights LSUV rescaled. */
    public List<LayerResult> adjusted() {
        return filter(LayerResult.Status.ADJUSTED);
    }

    /** The layers LSUV left alone because it cannot handle them (e.g. SameDiff layers), by name in {@link LayerResult#name()}. */
    public List<LayerResult> unsupported() {
        return filter(LayerResult.Status.UNSUPPORTED);
    }

    /** Whether every adjusted layer reached the tolerance. */
    public boolean allConverged() {
        return layers.stream().allMatch(LayerResult::converged);
    }

    /** The target variance. */
    public double targetVariance() {
        return targetVariance;
    }

    /** The relative tolerance: converged means {@code |Var/target − 1| < tolerance}. */
    public double tolerance() {
        return tolerance;
    }

    /** The iteration limit per layer. */
    public int maxIterations() {
        return maxIterations;
    }

    /** Examples in the batch used. */
    public int batchSize() {
        return batchSize;
    }

    private List<LayerResult> filter(LayerResult.Status s) {
        return layers.stream().filter(r -> r.status() == s).collect(Collectors.toList());
    }

    private static final String[] HEADER = {
        "index",
        "name",
        "type",
        "status",
        "measure",
        "orthonormal",
        "iterations",
        "var_before",
        "var_after",
        "total_scale",
        "converged",
        "note"
    };

    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (LayerResult r : layers) {
            boolean adj = r.status() == LayerResult.Status.ADJUSTED;
            rows.add(new String[] {
                Integer.toString(r.index()),
                r.name(),
                r.type(),
                r.status().name(),
                adj ? r.measure().name() : "",
                adj ? Boolean.toString(r.orthonormal()) : "",
                Integer.toString(r.iterations()),
                num(r.varianceBefore()),
                num(r.varianceAfter()),
                num(r.totalScale()),
                Boolean.toString(r.converged()),
                r.note()
            });
        }
        return rows;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** One line per layer, columns aligned, after a summary line. */
    public String toText() {
        List<String[]> rows = rows();
        rows.add(0, HEADER);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "LSUV: target variance %s, tolerance %s, max %d iterations, batch %d;"
                        + " %d adjusted, %d unsupported, %s\n",
                num(targetVariance),
                num(tolerance),
                maxIterations,
                batchSize,
                adjusted().size(),
                unsupported().size(),
                allConverged() ? "all converged" : "NOT all converged"));
        sb.append(TextTable.aligned(rows, c -> c == 0 || (c >= 6 && c <= 9)));
        return sb.toString();
    }

    /** CSV with a header line; fields containing a comma or quote are quoted (RFC 4180). */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(TextTable.csvRow(HEADER));
        for (String[] row : rows()) {
            sb.append(TextTable.csvRow(row));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
