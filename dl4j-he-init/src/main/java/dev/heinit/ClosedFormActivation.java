package dev.heinit;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A named {@link Nonlinearity} as a DL4J activation, element-wise {@code f(z)} and {@code f'(z)·ε} from its closed
 * forms in double precision (so {@link Nonlinearity#GELU} stays the exact, erf-based GELU): what lets the named kinds
 * use {@link dev.heinit.gain.Gains#critical(org.nd4j.linalg.activations.IActivation, double)} and its cache, keyed
 * by this activation's JSON form {@code {"nonlinearity": {"name": …, "slope": …}}}. Not for networks: never set on
 * a layer.
 */
final class ClosedFormActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("nonlinearity")
    private final Nonlinearity nonlinearity;

    /** @param nonlinearity a named kind (not one wrapping a DL4J activation) */
    ClosedFormActivation(Nonlinearity nonlinearity) {
        this.nonlinearity = nonlinearity;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return apply(in, null);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        return new Pair<>(apply(in, epsilon), null);
    }

    /** {@code in} overwritten with f(in), or with f'(in)·epsilon if epsilon is given, as DL4J's activations do. */
    private INDArray apply(INDArray in, INDArray epsilon) {
        double[] z = values(in);
        double[] e = epsilon == null ? null : values(epsilon);
        for (int i = 0; i < z.length; i++) {
            z[i] = e == null ? nonlinearity.apply(z[i]) : nonlinearity.derivative(z[i]) * e[i];
        }
        return in.assign(Nd4j.createFromArray(z).reshape('c', in.shape()).castTo(in.dataType()));
    }

    private static double[] values(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClosedFormActivation && nonlinearity.equals(((ClosedFormActivation) o).nonlinearity);
    }

    @Override
    public int hashCode() {
        return nonlinearity.hashCode();
    }

    @Override
    public String toString() {
        return nonlinearity.toString();
    }
}
