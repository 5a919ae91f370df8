package dev.heinit.lsuv;

import java.util.Objects;

/**
 * What LSUV did to one layer (or graph vertex): an immutable value.
 *
 * <p>For an {@link Status#ADJUSTED} layer the weights end as {@code W = s · W₀}, {@code s = totalScale()}, where
 * W₀ is the orthonormal pre-init (or the existing weights), and {@code varianceAfter = Var(output)} on the batch,
 * measured as {@link #measure()} says. For other layers both variances are the variance of the layer's output,
 * which LSUV did not change. Variances are population variances over every element (examples × units × positions),
 * accumulated in double.
 */
public final class LayerResult {

    /** What LSUV did with a layer. */
    public enum Status {
        /** The weights were rescaled (and pre-initialized, if asked). */
        ADJUSTED,
        /** No weights to rescale (pooling, activation, batch norm, dropout, graph vertices …): forwarded as is. */
        PASS_THROUGH,
        /** Has weights LSUV cannot handle (SameDiff, recurrent, wrapper layers …): left alone, forwarded as is. */
        UNSUPPORTED
    }

    private final int index;
    private final String name;
    private final String type;
    private final Status status;
    private final Measure measure;
    private final boolean orthonormal;
    private final int iterations;
    private final double varianceBefore;
    private final double varianceAfter;
    private final double totalScale;
    private final boolean converged;
    private final String note;

    LayerResult(
            int index,
            String name,
            String type,
            Status status,
            Measure measure,
            boolean orthonormal,
            int iterations,
            double varianceBefore,
            double varianceAfter,
            double totalScale,
            boolean converged,
            String note) {
        this.index = index;
        this.name = name;
        this.type = type;
        this.status = status;
        this.measure = measure;
        this.orthonormal = orthonormal;
        this.iterations = iterations;
        this.varianceBefore = varianceBefore;
        this.varianceAfter = varianceAfter;
        this.totalScale = totalScale;
        this.converged = converged;
        this.note = note == null ? "" : note;
    }

    /** Position in execution order (layer index, or position in the graph's topological order). */
    public int index() {
        return index;
    }

    /** The layer or vertex name ({@code "layer i"} for an unnamed layer of a MultiLayerNetwork). */
    public String name() {
        return name;
    }

    /** The configuration class's simple name, e.g. {@code ConvolutionLayer}. */
    public String type() {
        return type;
    }

    /** What LSUV did with it. */
    public Status status() {
        return status;
    }

    /** What was measured: pre- or post-activation (null for layers that were not adjusted). */
    public Measure measure() {
        return measure;
    }

    /** Whether the weights were replaced by an orthonormal matrix before rescaling. */
    public boolean orthonormal() {
        return orthonormal;
    }

    /** Number of rescalings applied (0 if the layer was already within tolerance, or not adjusted). */
    public int iterations() {
        return iterations;
    }

    /** Variance before the first rescaling (after the pre-init and bias zeroing, if any). */
    public double varianceBefore() {
        return varianceBefore;
    }

    /** Variance after the last rescaling. */
    public double varianceAfter() {
        return varianceAfter;
    }

    /** Product of all rescalings: the final weights are this times the pre-initialized ones. */
    public double totalScale() {
        return totalScale;
    }

    /** {@code |varianceAfter/target − 1| < tolerance}; always true for layers that were not adjusted. */
    public boolean converged() {
        return converged;
    }

    /** Why a layer was passed through or not handled (empty otherwise). */
    public String note() {
        return note;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LayerResult)) {
            return false;
        }
        LayerResult r = (LayerResult) o;
        return index == r.index
                && name.equals(r.name)
                && type.equals(r.type)
                && status == r.status
                && measure == r.measure
                && orthonormal == r.orthonormal
                && iterations == r.iterations
                && Double.compare(varianceBefore, r.varianceBefore) == 0
                && Double.compare(varianceAfter, r.varianceAfter) == 0
                && Double.compare(totalScale, r.totalScale) == 0
                && converged == r.converged
                && note.equals(r.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                index,
                name,
                type,
                status,
                measure,
                orthonormal,
                iterations,
                varianceBefore,
                varianceAfter,
                totalScale,
                converged,
                note);
    }

    @Override
    public String toString() {
        return "LayerResult(" + index + ", " + name + ", " + type + ", " + status
                + (status == Status.ADJUSTED
                        ? ", " + measure + ", orthonormal=" + orthonormal + ", iterations="
                                + iterations + ", variance " + varianceBefore + " -> " + varianceAfter + ", scale="
                                + totalScale + ", converged=" + converged
                        : ", variance=" + varianceAfter)
                + (note.isEmpty() ? "" : ", " + note) + ")";
    }
}
