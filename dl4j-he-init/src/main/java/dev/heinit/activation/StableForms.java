package dev.heinit.activation;

import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erfc;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The overflow-free forward and derivative formulas shared by {@link SiLU} and {@link GELU}, as whole-array ND4J
 * ops (so they run on whatever backend holds the array), in DOUBLE for DOUBLE input and FLOAT otherwise.
 *
 * <p>HALF and BFLOAT16 arrays are evaluated in FLOAT and rounded once at the end (the usual practice for
 * half-precision kernels): evaluated natively, the half a dozen roundings of the intermediate steps cost
 * BFLOAT16 results up to 3 % (measured), against ½ ulp plus FLOAT's error this way.
 *
 * <p>Every gated form is {@code f(x) = x·σ(v(x))} with derivative {@code f'(x) = σ(v)·(1 + w·σ(−v))},
 * {@code w = x·v'(x)}. ND4J's sigmoid is {@code 1/(1+e^−v)}: when {@code e^−v} overflows the result is 0, never
 * NaN, and it is relatively accurate everywhere; {@code σ(−v)} is evaluated directly rather than as
 * {@code 1 − σ(v)}, whose rounding error (½ ulp of 1) times a large w would swamp the result.
 *
 * <p>The only products that can become ∞·0 are {@code w·σ(−v)} and, for exact GELU, {@code x·e^(−x²/2)}, once
 * {@code x³} or {@code x²} overflow (in FLOAT from |x| ≈ 7·10¹²). x is therefore clamped first, at a point beyond
 * which the clamped formula returns exactly what the closed form rounds to in every type, DOUBLE included:
 * |v| = 800 gives {@code e^−800 = 0} (below DOUBLE's smallest subnormal, e^−744.4), so σ is exactly 0 or 1
 * there and the derivative exactly 1 or 0.
 */
final class StableForms {

    /** |v| at which σ(±v) is exactly 1 / 0 in DOUBLE: e^−800 underflows. */
    static final double SATURATED = 800;
    /** |x| beyond which the tanh form's σ(±v) is exactly 1 / 0 in DOUBLE: v(22) = 794.9, and e^−v underflows from 745.2. */
    static final double TANH_CLAMP = 22;
    /** |x| at which exact GELU's x·φ(x) underflows to 0 in DOUBLE (40²/2 = 800). */
    static final double ERF_CLAMP = 40;

    static final double SQRT_2_OVER_PI = 0.79788456080286535587989211986876;
    static final double TANH_CUBIC = 0.044715;
    static final double INV_SQRT_2 = 0.70710678118654752440084436210485;
    static final double INV_SQRT_2PI = 0.39894228040143267793994605993438;

    private StableForms() {
    }

    static void checkFloatingPoint(INDArray in, String what) {
        if (in == null) {
            throw new IllegalArgumentException(what + " must be a floating-point INDArray, got null");
        }
        DataType t = in.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE && t != DataType.HALF && t != DataType.BFLOAT16) {
            throw new IllegalArgumentException(what + " has data type " + t
                    + "; allowed are FLOAT, DOUBLE, HALF and BFLOAT16");
        }
    }

    private static boolean narrow(DataType t) {
        return t == DataType.HALF || t == DataType.BFLOAT16;
    }

    /** Applies the in-place FLOAT/DOUBLE formula {@code f} to {@code in}, in place, and returns {@code in}. */
    static INDArray forward(INDArray in, UnaryOperator<INDArray> f) {
        checkFloatingPoint(in, "input");
        if (!narrow(in.dataType())) {
            return f.apply(in);
        }
        return in.assign(f.apply(in.castTo(DataType.FLOAT)));
    }

    /** {@code f'(in)·epsilon} in a new array of {@code in}'s type; {@code df} returns a new array. */
    static INDArray backward(INDArray in, INDArray epsilon, UnaryOperator<INDArray> df) {
        checkFloatingPoint(in, "input");
        checkFloatingPoint(epsilon, "epsilon");
        if (!narrow(in.dataType())) {
            return df.apply(in).muli(epsilon);
        }
        INDArray d = df.apply(in.castTo(DataType.FLOAT)).muli(epsilon.castTo(DataType.FLOAT));
        return d.castTo(in.dataType());
    }

    /** A new array {@code min(max(x, −c), c)}. */
    private static INDArray clamp(INDArray x, double c) {
        return Transforms.min(Transforms.max(x, -c, true), c, false);
    }

    /** {@code σ(v)·(1 + w·σ(−v))}, in a new array; v and w are not modified (they may be the same array). */
    private static INDArray gatedDerivative(INDArray v, INDArray w) {
        INDArray s = Transforms.sigmoid(v, true);
        INDArray d = Transforms.sigmoid(v.neg(), false);
        return d.muli(w).addi(1).muli(s);
    }

    /** {@code v = a·clamp(x, ±800/a)}: σ(v) is already exactly 0 or 1 at the clamp. */
    private static INDArray sigmoidArgument(INDArray x, double a) {
        INDArray v = clamp(x, SATURATED / a);
        return a == 1.0 ? v : v.muli(a);
    }

    /** In place: {@code x ← x·σ(a·x)}. */
    static INDArray sigmoidGate(INDArray x, double a) {
        return x.muli(Transforms.sigmoid(sigmoidArgument(x, a), false));
    }

    /** New array: {@code d/dx [x·σ(a·x)] = σ(ax)·(1 + ax·σ(−ax))}. */
    static INDArray sigmoidGateDerivative(INDArray x, double a) {
        INDArray v = sigmoidArgument(x, a);
        return gatedDerivative(v, v);
    }

    /** {@code v = 2√(2/π)·(xc + 0.044715·xc³)} for the clamped {@code xc}: ½(1 + tanh(v/2)) = σ(v). */
    private static INDArray tanhArgument(INDArray xc, INDArray xc2) {
        return xc2.mul(TANH_CUBIC).addi(1).muli(xc).muli(2 * SQRT_2_OVER_PI);
    }

    /** In place: {@code x ← ½x·(1 + tanh(√(2/π)(x + 0.044715x³))) = x·σ(v)}. */
    static INDArray tanhGelu(INDArray x) {
        INDArray xc = clamp(x, TANH_CLAMP);
        INDArray v = tanhArgument(xc, xc.mul(xc));
        return x.muli(Transforms.sigmoid(v, false));
    }

    /** New array: {@code σ(v)·(1 + w·σ(−v))}, {@code w = x·2√(2/π)(1 + 3·0.044715x²)}. */
    static INDArray tanhGeluDerivative(INDArray x) {
        INDArray xc = clamp(x, TANH_CLAMP);
        INDArray xc2 = xc.mul(xc);
        INDArray v = tanhArgument(xc, xc2);
        INDArray w = xc2.muli(3 * TANH_CUBIC).addi(1).muli(xc).muli(2 * SQRT_2_OVER_PI);
        return gatedDerivative(v, w);
    }

    /** New array: {@code Φ(x) = ½·erfc(−x/√2)}, accurate in the lower tail where 1 + erf would cancel. */
    private static INDArray normalCdf(INDArray x) {
        INDArray p = x.mul(-INV_SQRT_2);
        Nd4j.exec(new Erfc(p, p));
        return p.muli(0.5);
    }

    /** In place: {@code x ← x·Φ(x)}. */
    static INDArray exactGelu(INDArray x) {
        return x.muli(normalCdf(x));
    }

    /** New array: {@code Φ(x) + x·φ(x)}, φ(x) = e^(−x²/2)/√(2π) evaluated at x clamped to ±40. */
    static INDArray exactGeluDerivative(INDArray x) {
        INDArray xc = clamp(x, ERF_CLAMP);
        INDArray xPhi = Transforms.exp(xc.mul(xc).muli(-0.5), false).muli(INV_SQRT_2PI).muli(xc);
        return normalCdf(x).addi(xPhi);
    }
}
