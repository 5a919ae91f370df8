package dev.heinit.lsuv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean and population variance of all elements, two-pass, accumulated in double. */
final class Moments {

    private Moments() {
    }

    /** {@code {mean, var}}; NaN or ∞ in either if the array holds NaN or ∞. */
    static double[] of(INDArray a) {
        INDArray d = a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
        long n = d.length();
        double mean = d.sumNumber().doubleValue() / n;
        if (!Double.isFinite(mean)) {
            return new double[] {mean, Double.NaN};
        }
        // Two passes: the one-pass E[x²] − E[x]² loses everything when |mean| ≫ std.
        double norm = d.sub(mean).norm2Number().doubleValue();
        return new double[] {mean, norm * norm / n};
    }
}
