package dev.heinit.internal.dl4j;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;

/**
 * What the library knows about a graph vertex that is not a layer, as DL4J keeps a vertex's {@code doForward} and
 * {@code doBackward} in one class: one {@link Transfer} read by both the forward and the backward moment rules.
 *
 * <ul>
 *   <li>Merge, Stack: a concatenation (each input gets its slice of the gradient);
 *   <li>Preprocessor, Reshape, Subset, Unstack, LastTimeStep, DuplicateToTimeSeries, ReverseTimeSeries: shape
 *       only, moments unchanged (a subset's, a last step's units get the gradient unchanged, the others none);
 *   <li>Scale c: second moments ×c²; ElementWise Add, Subtract, Average: sums of independent inputs;
 *   <li>SameDiff vertices (not lambdas): unsupported; anything else (Product, Max, L2, Shift …): not modelled.
 * </ul>
 */
public final class VertexRule {

    private final GraphVertex vertex;

    private VertexRule(GraphVertex vertex) {
        this.vertex = vertex;
    }

    /**
     * The rule of a graph vertex configuration.
     *
     * @throws IllegalArgumentException if vertex is null
     */
    public static VertexRule of(GraphVertex vertex) {
        if (vertex == null) {
            throw new IllegalArgumentException("vertex must be a DL4J graph vertex configuration, got null");
        }
        return new VertexRule(vertex);
    }

    /** The vertex's class, simple name. */
    public String type() {
        return vertex.getClass().getSimpleName();
    }

    /** What the vertex does to the signal, both ways. */
    public Transfer transfer() {
        GraphVertex gv = vertex;
        if (gv instanceof SameDiffVertex && !(gv instanceof SameDiffLambdaVertex)) {
            return Transfer.unsupported("a SameDiff vertex, DL4J never passes its weights to a custom IWeightInit");
        }
        if (gv instanceof MergeVertex || gv instanceof StackVertex) {
            return Transfer.of(Transfer.Kind.CONCAT);
        }
        if (gv instanceof PreprocessorVertex
                || gv instanceof ReshapeVertex
                || gv instanceof SubsetVertex
                || gv instanceof UnstackVertex
                || gv instanceof LastTimeStepVertex
                || gv instanceof DuplicateToTimeSeriesVertex
                || gv instanceof ReverseTimeSeriesVertex) {
            return Transfer.identity();
        }
        if (gv instanceof ScaleVertex) {
            return Transfer.scale(((ScaleVertex) gv).getScaleFactor(), null);
        }
        if (gv instanceof ElementWiseVertex) {
            switch (((ElementWiseVertex) gv).getOp()) {
                case Add:
                    return Transfer.of(Transfer.Kind.SUM);
                case Subtract:
                    return Transfer.of(Transfer.Kind.SUBTRACT);
                case Average:
                    return Transfer.of(Transfer.Kind.AVERAGE);
                default:
                    return Transfer.of(Transfer.Kind.UNKNOWN);
            }
        }
        return Transfer.of(Transfer.Kind.UNKNOWN);
    }

    /** True for element-wise vertices (any op) and scale: the output has the first input's channels. */
    public boolean keepsChannels() {
        return vertex instanceof ElementWiseVertex || vertex instanceof ScaleVertex;
    }

    @Override
    public String toString() {
        return "VertexRule(" + type() + ")";
    }
}
