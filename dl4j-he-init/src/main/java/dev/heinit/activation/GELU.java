package dev.heinit.activation;

import java.util.Locale;
import java.util.function.UnaryOperator;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * GELU (Hendrycks &amp; Gimpel 2016), {@code f(z) = z·Φ(z)}, in one of three {@link Form}s, with forward and
 * derivative finite for every finite z in FLOAT, DOUBLE, HALF and BFLOAT16 (f' → 1 as z → ∞, → 0 as z → −∞):
 *
 * <ul>
 *   <li>{@link #exact()}: {@code z·Φ(z)}, {@code Φ(z) = ½·erfc(−z/√2)}; {@code f' = Φ(z) + z·φ(z)}. PyTorch's
 *       default {@code nn.GELU()}; He gains 1.53353 (fan_in) and 1.48111 (fan_out).</li>
 *   <li>{@link #tanhApprox()}: {@code ½z·(1 + tanh(√(2/π)(z + 0.044715z³)))}, PyTorch's
 *       {@code nn.GELU(approximate="tanh")}. Not DL4J's {@code ActivationGELU(true)}: ND4J 1.0.0-M2.1's
 *       "precise" GELU cubes 0.044715·z instead of multiplying 0.044715 by z³ (measured: −0.0247 at z = −3,
 *       where this form gives −0.0036 and z·Φ(z) −0.0040).</li>
 *   <li>{@link #sigmoidApprox()}: {@code z·σ(1.702z)}, DL4J's {@code ActivationGELU()} ({@code Activation.GELU});
 *       the constant is 1.702 rounded to float, as ND4J's op uses in every data type. ND4J's derivative of this
 *       form returns NaN for z ≥ 26.07 in FLOAT (3.25 in HALF); this one does not.</li>
 * </ul>
 *
 * <p>{@link #getActivation} transforms its input in place and returns it; {@link #backprop} returns a new
 * {@code dL/dz = f'(z)·ε} and null parameter gradients, leaving its input unchanged. Immutable. JSON:
 * {@code {"@class":"dev.heinit.activation.GELU","form":"EXACT"}}.
 */
public final class GELU extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    /** ND4J's sigmoid-GELU slope: {@code 1.702f}, widened (1.7020000219345093). */
    static final double SIGMOID_SLOPE = 1.702f;

    /** Which GELU formula. The names are persisted in saved models. */
    public enum Form {
        /** {@code z·Φ(z)} through erfc. */
        EXACT,
        /** {@code ½z·(1 + tanh(√(2/π)(z + 0.044715z³)))}. */
        TANH,
        /** {@code z·σ(1.702z)}, DL4J's {@code Activation.GELU}. */
        SIGMOID
    }

    private static final GELU EXACT = new GELU(Form.EXACT);
    private static final GELU TANH = new GELU(Form.TANH);
    private static final GELU SIGMOID = new GELU(Form.SIGMOID);

    /** The formula; persisted as {@code "form"}. */
    @JsonProperty("form")
    private final Form form;

    @JsonCreator
    private GELU(@JsonProperty("form") Form form) {
        if (form == null) {
            throw new IllegalArgumentException("GELU form must be one of EXACT, TANH, SIGMOID, got null");
        }
        this.form = form;
    }

    /**
     * Exact GELU {@code z·Φ(z)}.
     *
     * @return the exact form
     */
    public static GELU exact() {
        return EXACT;
    }

    /**
     * The tanh approximation {@code ½z·(1 + tanh(√(2/π)(z + 0.044715z³)))}.
     *
     * @return the tanh form
     */
    public static GELU tanhApprox() {
        return TANH;
    }

    /**
     * DL4J's sigmoid approximation {@code z·σ(1.702z)}.
     *
     * @return the sigmoid form
     */
    public static GELU sigmoidApprox() {
        return SIGMOID;
    }

    /**
     * The GELU of the given form.
     *
     * @param form which formula
     * @return the GELU computing it
     * @throws IllegalArgumentException if form is null
     */
    public static GELU of(Form form) {
        if (form == null) {
            throw new IllegalArgumentException("GELU form must be one of EXACT, TANH, SIGMOID, got null");
        }
        switch (form) {
            case EXACT:
                return EXACT;
            case TANH:
                return TANH;
            default:
                return SIGMOID;
        }
    }

    /**
     * The formula this GELU computes.
     *
     * @return its form
     */
    public Form form() {
        return form;
    }

    /**
     * @throws IllegalArgumentException if {@code in} is null or not FLOAT, DOUBLE, HALF or BFLOAT16
     */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        switch (form) {
            case EXACT:
                return StableForms.forward(in, StableForms::exactGelu);
            case TANH:
                return StableForms.forward(in, StableForms::tanhGelu);
            default:
                return StableForms.forward(in, StableForms::sigmoidGelu);
        }
    }

    /**
     * @throws IllegalArgumentException if {@code in} is null or not FLOAT, DOUBLE, HALF or BFLOAT16
     * @throws IllegalStateException    if {@code epsilon}'s shape differs from {@code in}'s (DL4J's check)
     */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        StableForms.checkFloatingPoint(in, "input");
        assertShape(in, epsilon);
        UnaryOperator<INDArray> df;
        switch (form) {
            case EXACT:
                df = StableForms::exactGeluDerivative;
                break;
            case TANH:
                df = StableForms::tanhGeluDerivative;
                break;
            default:
                df = x -> StableForms.sigmoidGateDerivative(x, SIGMOID_SLOPE);
        }
        return new Pair<>(StableForms.backward(in, epsilon, df), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GELU && ((GELU) o).form == form;
    }

    @Override
    public int hashCode() {
        return form.name().hashCode();
    }

    @Override
    public String toString() {
        return "gelu(" + form.name().toLowerCase(Locale.ROOT) + ")";
    }
}
