package dev.heinit.activation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward and derivative of {@link SiLU} and the three {@link GELU} forms in every floating-point type: finite
 * everywhere, equal to the textbook closed forms ({@link ClosedForm}, double arithmetic at the input as rounded
 * to the type), and equal to ND4J's own swish / GELU ops wherever those are finite.
 */
class StableActivationTest {

    private static final DataType[] TYPES = {DataType.DOUBLE, DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16};
    private static final double[] EDGES = {-1000, -100, -30, 0, 26.5, 30, 44.4, 50, 100, 1000};

    /**
     * Relative tolerance per type: a few ulps for DOUBLE and FLOAT; one ulp for HALF (2^−10) and BFLOAT16 (2^−7),
     * which are computed in FLOAT and rounded once.
     */
    static double rel(DataType t) {
        if (t == DataType.DOUBLE) {
            return 1e-13;
        }
        if (t == DataType.FLOAT) {
            return 1e-6;
        }
        return t == DataType.FLOAT16 ? 1e-3 : 8e-3;
    }

    /**
     * Absolute floor per type, for values near a zero of f or f' (f'(z) = 0 at z ≈ −1.28 for SiLU), where the
     * result is a difference of O(1) terms and its error is a few ulps of 1 (in FLOAT for the narrow types), not
     * of the result.
     */
    static double abs(DataType t) {
        return t == DataType.DOUBLE ? 1e-15 : 3e-7;
    }

    /**
     * Tolerance against ND4J's own op, which computes HALF and BFLOAT16 natively (each intermediate rounded to
     * 11 or 8 significant bits): 1e-6 relative for DOUBLE and FLOAT, 1e-2 for the narrow types, plus an absolute
     * floor near zeros of a few ulps of 1 in the op's type.
     */
    private static double dl4jTolerance(DataType t, double want) {
        if (t == DataType.DOUBLE || t == DataType.FLOAT) {
            return 1e-6 * Math.abs(want) + abs(t);
        }
        return 1e-2 * Math.abs(want) + (t == DataType.FLOAT16 ? 2e-3 : 1.6e-2);
    }

    static Stream<Arguments> formsAndTypes() {
        List<Arguments> out = new ArrayList<>();
        for (ClosedForm c : ClosedForm.values()) {
            for (DataType t : TYPES) {
                out.add(Arguments.of(c, t));
            }
        }
        return out.stream();
    }

    private static INDArray grid(double from, double to, double step, DataType t) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = from + i * step;
        }
        return Nd4j.createFromArray(z).castTo(t);
    }

    private static double[] values(INDArray z) {
        return z.castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double[] forward(IActivation a, INDArray z) {
        return values(a.getActivation(z.dup(), false));
    }

    private static double[] derivative(IActivation a, INDArray z) {
        return values(a.backprop(z.dup(), Nd4j.onesLike(z)).getFirst());
    }

    private static void assertClose(double want, double got, DataType t, String what) {
        assertTrue(Double.isFinite(got), what + " is " + got);
        double tol = rel(t) * Math.abs(want) + abs(t);
        assertEquals(want, got, tol, what);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formsAndTypes")
    void finiteAndClosedFormAtTheOverflowPoints(ClosedForm c, DataType t) {
        INDArray z = Nd4j.createFromArray(EDGES).castTo(t);
        double[] zd = values(z);
        double[] f = forward(c.activation(), z);
        double[] df = derivative(c.activation(), z);
        for (int i = 0; i < EDGES.length; i++) {
            double x = zd[i];
            String at = c + " " + t + " at z=" + x;
            assertClose(c.f(x), f[i], t, "f " + at);
            assertClose(c.df(x), df[i], t, "f' " + at);
            if (x >= 30) {
                assertEquals(1.0, df[i], 1e-6, "f' " + at + " must be 1");
            }
            if (x <= -30) {
                assertEquals(0.0, df[i], 1e-6, "f' " + at + " must be 0");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formsAndTypes")
    void closedFormOnADenseGrid(ClosedForm c, DataType t) {
        INDArray z = grid(-40, 40, 0.01, t);
        double[] zd = values(z);
        double[] f = forward(c.activation(), z);
        double[] df = derivative(c.activation(), z);
        for (int i = 0; i < zd.length; i++) {
            double x = zd[i];
            assertClose(c.f(x), f[i], t, "f " + c + " " + t + " at z=" + x);
            assertClose(c.df(x), df[i], t, "f' " + c + " " + t + " at z=" + x);
        }
    }

    static Stream<Arguments> dl4jCounterparts() {
        List<Arguments> out = new ArrayList<>();
        for (DataType t : TYPES) {
            out.add(Arguments.of(new SiLU(), new ActivationSwish(), t));
            out.add(Arguments.of(GELU.sigmoidApprox(), new ActivationGELU(), t));
        }
        return out.stream();
    }

    /**
     * Where ND4J's op is finite the two agree to 1e-6 relative (1e-2 in HALF/BFLOAT16), with the absolute floor
     * near the derivative's zero; and every point where ND4J's op is NaN is finite here. Also checks that the
     * grid reaches ND4J's overflow region, so the second half of the test is not vacuous.
     */
    @ParameterizedTest(name = "{0} vs {1} {2}")
    @MethodSource("dl4jCounterparts")
    void agreesWithDl4jWhereItsOpIsFinite(IActivation ours, IActivation theirs, DataType t) {
        INDArray z = grid(-60, 60, 0.01, t);
        double[] zd = values(z);
        double[][] mine = {forward(ours, z), derivative(ours, z)};
        double[][] dl4j = {forward(theirs, z), derivative(theirs, z)};
        long dl4jNonFinite = 0;
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < zd.length; i++) {
                double want = dl4j[k][i];
                double got = mine[k][i];
                assertTrue(Double.isFinite(got), (k == 0 ? "f" : "f'") + " at z=" + zd[i] + " is " + got);
                if (!Double.isFinite(want)) {
                    dl4jNonFinite++;
                    continue;
                }
                assertEquals(
                        want,
                        got,
                        dl4jTolerance(t, want),
                        (k == 0 ? "f" : "f'") + " " + ours + " vs " + theirs + " " + t + " at z=" + zd[i]);
            }
        }
        if (t != DataType.DOUBLE) {
            assertTrue(dl4jNonFinite > 0, "ND4J's " + theirs + " was expected to overflow in " + t + " below z = 60");
        }
    }

    @Test
    void contract() {
        for (ClosedForm c : ClosedForm.values()) {
            IActivation a = c.activation();
            INDArray z = Nd4j.createFromArray(new float[] {-2f, 0.5f, 3f});
            assertSame(z, a.getActivation(z, true), c + ": getActivation works in place and returns its input");
            assertEquals((float) c.f(-2), z.getFloat(0), 1e-6);

            INDArray in = Nd4j.createFromArray(new float[] {-2f, 0.5f, 3f});
            INDArray before = in.dup();
            INDArray eps = Nd4j.createFromArray(new float[] {2f, -1f, 0.5f});
            Pair<INDArray, INDArray> p = a.backprop(in, eps);
            assertNull(p.getSecond(), "no parameter gradient");
            assertEquals(before, in, c + ": backprop leaves its input unchanged");
            assertEquals(2 * c.df(-2), p.getFirst().getDouble(0), 1e-6, "dL/dz = f'·ε");
            assertEquals(-c.df(0.5), p.getFirst().getDouble(1), 1e-6);
            assertEquals(0.5 * c.df(3), p.getFirst().getDouble(2), 1e-6);
            assertEquals(0, a.numParams(10));
        }
    }

    @Test
    void viewsAreTransformedInPlaceWithoutTouchingTheRest() {
        for (ClosedForm c : ClosedForm.values()) {
            INDArray base = Nd4j.linspace(-5, 5, 12, DataType.FLOAT).reshape(3, 4);
            INDArray copy = base.dup();
            INDArray column = base.get(NDArrayIndex.all(), NDArrayIndex.point(1));
            c.activation().getActivation(column, false);
            for (int r = 0; r < 3; r++) {
                for (int k = 0; k < 4; k++) {
                    double x = copy.getDouble(r, k);
                    double want = k == 1 ? c.f(x) : x;
                    assertEquals(want, base.getDouble(r, k), 1e-5, c + " at (" + r + "," + k + ")");
                }
            }
        }
    }

    @Test
    void badInputIsRejected() {
        INDArray ints = Nd4j.createFromArray(1, 2, 3);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SiLU().getActivation(ints, false));
        assertTrue(e.getMessage().contains("INT") && e.getMessage().contains("FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GELU.exact().backprop(null, null));
        assertThrows(
                IllegalStateException.class,
                () -> GELU.tanhApprox().backprop(Nd4j.ones(DataType.FLOAT, 3), Nd4j.ones(DataType.FLOAT, 4)));
        assertThrows(IllegalArgumentException.class, () -> GELU.of(null));
    }

    @Test
    void valueSemantics() {
        assertEquals(new SiLU(), new SiLU());
        assertEquals(new SiLU().hashCode(), new SiLU().hashCode());
        assertEquals("silu", new SiLU().toString());
        for (GELU.Form f : GELU.Form.values()) {
            assertEquals(f, GELU.of(f).form());
        }
        assertEquals(GELU.Form.EXACT, GELU.exact().form());
        assertEquals(GELU.Form.TANH, GELU.tanhApprox().form());
        assertEquals(GELU.Form.SIGMOID, GELU.sigmoidApprox().form());
        assertNotEquals(GELU.exact(), GELU.tanhApprox());
        assertNotEquals(GELU.exact(), new SiLU());
        assertEquals("gelu(exact)", GELU.exact().toString());
        assertEquals("gelu(tanh)", GELU.tanhApprox().toString());
        assertEquals("gelu(sigmoid)", GELU.sigmoidApprox().toString());
    }
}
