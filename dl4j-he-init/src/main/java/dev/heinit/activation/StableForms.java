package dev.heinit.activation;

import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erfc;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
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
 * NaN, and it is relatively accurate everywhere. For the sigmoid forms w = v and {@code 1 + v·σ(−v) =
 * 1 − swish(−v)}, one fused op whose factors are finite and bounded; {@code σ(−v)} is never formed as
 * {@code 1 − σ(v)}, whose rounding error (½ ulp of 1) times a large v would swamp the result.
 *
 * <p>The only products that could still become ∞·0 are those with an infinite v or w: for the tanh form once
 * {@code x³} overflows (FLOAT: |x| ≳ 10¹²), for sigmoid GELU once 1.702x does. There x is clamped first, at a
 * point beyond which the clamped formula returns exactly what the closed form rounds to in every type, DOUBLE
 * included: |v| ≥ 745.2 makes {@code e^−v} underflow to 0, so σ is exactly 0 or 1 there and the derivative
 * exactly 1 or 0. Exact GELU needs no clamp: for large |x|, {@code e^(−x²/2)} underflows to 0 (also when x²
 * overflows to ∞) and x·0 = 0 for finite x.
 */
final class StableForms {

    /** |v| at which σ(±v) is exactly 1 / 0 in DOUBLE: e^−800 underflows (from e^−745.2 on). */
    static final double SATURATED = 800;
    /** |x| beyond which the tanh form's σ(±v) is exactly 1 / 0 in DOUBLE: v(22) = 794.9 ≥ 745.2. */
    static final double TANH_CLAMP = 22;

    static final double SQRT_2_OVER_PI = 0.79788456080286535587989211986876;
    static final double TANH_CUBIC = 0.044715;
    static final double INV_SQRT_2 = 0.70710678118654752440084436210485;
    static final double INV_SQRT_2PI = 0.39894228040143267793994605993438;

    private StableForms() {}

    static void checkFloatingPoint(INDArray in, String what) {
        if (in == null) {
            throw new IllegalArgumentException(what + " must be a floating-point INDArray, got null");
        }
        DataType t = in.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE && t != DataType.FLOAT16 && t != DataType.BFLOAT16) {
            throw new IllegalArgumentException(
                    what + " has data type " + t + "; allowed are FLOAT, DOUBLE, HALF and BFLOAT16");
        }
    }

    private static boolean narrow(DataType t) {
        return t == DataType.FLOAT16 || t == DataType.BFLOAT16;
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
        return Nd4j.exec(new ClipByValue(x, -c, c))[0];
    }

    /** In place: {@code x ← x·σ(x)}, ND4J's swish op (σ saturates, never overflows). */
    static INDArray silu(INDArray x) {
        Nd4j.exec(new Swish(x, x));
        return x;
    }

    /** In place: {@code x ← x·σ(1.702f·x)}, ND4J's GELU op (σ saturates, never overflows). */
    static INDArray sigmoidGelu(INDArray x) {
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.GELU(x, x));
        return x;
    }

    /**
     * New array: {@code d/dx [x·σ(a·x)] = σ(v)·(1 − swish(−v))}, v = a·x. For a = 1 no clamp is needed
     * (−x is finite, swish of a finite value is finite); otherwise v is clamped to ±800 so that a·x cannot
     * overflow.
     */
    static INDArray sigmoidGateDerivative(INDArray x, double a) {
        INDArray s;
        INDArray t;
        if (a == 1.0) {
            t = x.neg();
            s = Transforms.sigmoid(x, true);
        } else {
            t = clamp(x, SATURATED / a).muli(-a);
            s = Transforms.sigmoid(t.neg(), false);
        }
        Nd4j.exec(new Swish(t, t));
        return t.rsubi(1).muli(s);
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

    /** New array: {@code σ(v)·(1 + w·σ(−v))}, {@code w = x·2√(2/π)(1 + 3·0.044715x²)}, x clamped to ±22. */
    static INDArray tanhGeluDerivative(INDArray x) {
        INDArray xc = clamp(x, TANH_CLAMP);
        INDArray xc2 = xc.mul(xc);
        INDArray v = tanhArgument(xc, xc2);
        INDArray w = xc2.muli(3 * TANH_CUBIC).addi(1).muli(xc).muli(2 * SQRT_2_OVER_PI);
        INDArray s = Transforms.sigmoid(v, true);
        return Transforms.sigmoid(v.negi(), false).muli(w).addi(1).muli(s);
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

    /** New array: {@code Φ(x) + x·φ(x)}, φ(x) = e^(−x²/2)/√(2π). */
    static INDArray exactGeluDerivative(INDArray x) {
        INDArray xPhi =
                Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI).muli(x);
        return normalCdf(x).addi(xPhi);
    }
}
