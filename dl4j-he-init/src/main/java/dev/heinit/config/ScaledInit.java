package dev.heinit.config;

import java.util.Objects;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Another init's draws times a constant: {@code W = factor · W_inner}, so {@code std = factor · std_inner}. What
 * {@link Fixup} puts on the non-final layers of a residual branch ({@code factor = L^(−1/(2m−2))}). Immutable and
 * JSON-serializable inside DL4J configurations (the inner init is written with its class).
 */
public final class ScaledInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("init")
    private final IWeightInit init;

    @JsonProperty("factor")
    private final double factor;

    /**
     * @param init   the init whose draws are scaled
     * @param factor the multiplier, {@code ≥ 0} and finite
     * @throws IllegalArgumentException if init is null or factor is negative, NaN or infinite
     */
    @JsonCreator
    public ScaledInit(@JsonProperty("init") IWeightInit init, @JsonProperty("factor") double factor) {
        if (init == null) {
            throw new IllegalArgumentException("the init to scale must not be null");
        }
        if (!(factor >= 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("factor must be >= 0 and finite, got " + factor);
        }
        this.init = init;
        this.factor = factor;
    }

    /** The init whose draws are scaled. */
    public IWeightInit init() {
        return init;
    }

    /** The multiplier. */
    public double factor() {
        return factor;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        // IWeightInit's contract: the draws land in paramView (DL4J's own inits and this library's all do).
        init.init(fanIn, fanOut, shape, order, paramView);
        paramView.muli(factor);
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof ScaledInit
                        && init.equals(((ScaledInit) o).init)
                        && Double.compare(factor, ((ScaledInit) o).factor) == 0);
    }

    @Override
    public int hashCode() {
        return Objects.hash(init, factor);
    }

    @Override
    public String toString() {
        return "ScaledInit(" + init + " x " + factor + ")";
    }
}
