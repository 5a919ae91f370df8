package dev.heinit.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

import dev.heinit.stats.TensorStats;

/**
 * The second moment {@code E[x²]} (and mean) of the network input, given as a number or measured on a batch, so the
 * configuration pass can set the first layer's weights for the pre-activation variance the rest of the network
 * assumes: {@code Var(W) = 1/(fan_in·E[x²])} for He (unit pre-activation variance), {@code (q* − σ_b²)/(fan_in·E[x²])}
 * for a critical configuration (pre-activation variance q*). Without it the input is taken as the input nonlinearity
 * applied to a unit signal (raw, standardized data: E[x²] = 1). Measured moments are over every element of the
 * batch, accumulated in double ({@link TensorStats}). Immutable.
 */
final class InputScale {

    /** One input's moments and how they were obtained. */
    static final class Measured {
        private final double secondMoment;
        private final double mean;
        private final String description;

        Measured(double secondMoment, double mean, String description) {
            this.secondMoment = secondMoment;
            this.mean = mean;
            this.description = description;
        }

        double secondMoment() {
            return secondMoment;
        }

        double mean() {
            return mean;
        }

        String description() {
            return description;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Measured
                    && Double.compare(secondMoment, ((Measured) o).secondMoment) == 0
                    && Double.compare(mean, ((Measured) o).mean) == 0
                    && description.equals(((Measured) o).description);
        }

        @Override
        public int hashCode() {
            return Objects.hash(secondMoment, mean, description);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private final Measured[] perInput; // length 1 with every = true: the same moments for every input
    private final boolean every;

    private InputScale(Measured[] perInput, boolean every) {
        this.perInput = perInput;
        this.every = every;
    }

    /**
     * The same given second moment for every network input (mean taken as 0).
     *
     * @throws IllegalArgumentException if it is not positive and finite
     */
    static InputScale given(double secondMoment) {
        check(secondMoment, "inputSecondMoment", "");
        return new InputScale(
                new Measured[] {
                    new Measured(
                            secondMoment, 0.0, String.format(Locale.ROOT, "input E[x²]=%.4g (given)", secondMoment))
                },
                true);
    }

    /**
     * The moments of each feature array, one per network input in input order.
     *
     * @throws IllegalArgumentException if there is no array, an array is null or empty, holds NaN or infinity, or is
     *                                  all zeros
     */
    static InputScale measured(INDArray... features) {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("inputMoments needs one feature array per network input, got "
                    + (features == null ? "null" : "none"));
        }
        Measured[] m = new Measured[features.length];
        for (int i = 0; i < features.length; i++) {
            INDArray f = features[i];
            String which = features.length == 1 ? "" : " (input " + i + ")";
            if (f == null || f.isEmpty() || f.length() == 0) {
                throw new IllegalArgumentException("inputMoments: feature array" + which + " must be a non-empty"
                        + " batch, got " + (f == null ? "null" : "shape " + Arrays.toString(f.shape())));
            }
            TensorStats s = TensorStats.of(f);
            if (s.nonFiniteCount() > 0) {
                throw new IllegalArgumentException("inputMoments: feature array" + which + " of shape "
                        + Arrays.toString(f.shape()) + " holds " + s.nonFiniteCount() + " NaN or infinite values;"
                        + " allowed are finite features");
            }
            check(s.secondMoment(), "measured E[x²]", which);
            m[i] = new Measured(
                    s.secondMoment(),
                    s.mean(),
                    String.format(
                            Locale.ROOT, "input E[x²]=%.4g (measured on %d examples)", s.secondMoment(), f.size(0)));
        }
        return new InputScale(m, false);
    }

    private static void check(double secondMoment, String what, String which) {
        if (!(secondMoment > 0) || !Double.isFinite(secondMoment)) {
            throw new IllegalArgumentException(what + which + " must be > 0 and finite (the input's mean square;"
                    + " an all-zero input carries no signal), got " + secondMoment);
        }
    }

    /**
     * The moments of input {@code index} of {@code count}.
     *
     * @throws IllegalArgumentException if measured moments were given for a different number of inputs
     */
    Measured forInput(int index, int count) {
        if (every) {
            return perInput[0];
        }
        if (perInput.length != count) {
            throw new IllegalArgumentException("inputMoments was given " + perInput.length + " feature array(s), but"
                    + " the network has " + count + " input(s): give one per input, in input order");
        }
        return perInput[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputScale
                && every == ((InputScale) o).every
                && Arrays.equals(perInput, ((InputScale) o).perInput);
    }

    @Override
    public int hashCode() {
        return Objects.hash(every, Arrays.hashCode(perInput));
    }

    @Override
    public String toString() {
        return (every ? "every input: " : "") + Arrays.toString(perInput);
    }
}
