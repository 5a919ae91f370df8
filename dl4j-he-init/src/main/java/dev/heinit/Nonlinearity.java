package dev.heinit;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.heinit.gain.ActivationMoments;
import dev.heinit.gain.Criticality;
import dev.heinit.gain.Gains;
import dev.heinit.internal.quadrature.GaussianQuadrature;

/**
 * The nonlinearity {@code f} that follows a layer, and the second moments He initialization needs from it:
 * {@code E[f(z)²]} (forward, for fan_in) and {@code E[f'(z)²]} (backward, for fan_out), z ~ N(0, 1).
 *
 * <p>{@code gain_in = 1/√E[f(z)²]}, {@code gain_out = 1/√E[f'(z)²]}. ReLU and leaky ReLU(a) are closed-form,
 * {@code E[f²] = E[f'²] = (1 + a²)/2}, hence √2 and √(2/(1+a²)) in every mode; the others are computed by
 * Gauss–Legendre quadrature ({@link GaussianQuadrature}), not looked up:
 *
 * <table>
 *   <caption>Gains (SECOND_MOMENT convention) and PyTorch's calculate_gain</caption>
 *   <tr><th>nonlinearity</th><th>f(z)</th><th>gain fan_in</th><th>gain fan_out</th><th>PyTorch</th></tr>
 *   <tr><td>LINEAR</td><td>z</td><td>1</td><td>1</td><td>1</td></tr>
 *   <tr><td>SIGMOID</td><td>1/(1+e^−z)</td><td>1.84623</td><td>4.72265</td><td>1</td></tr>
 *   <tr><td>TANH</td><td>tanh z</td><td>1.59254</td><td>1.46741</td><td>5/3</td></tr>
 *   <tr><td>RELU</td><td>max(0, z)</td><td>√2</td><td>√2</td><td>√2</td></tr>
 *   <tr><td>leakyRelu(a)</td><td>max(az, z)</td><td>√(2/(1+a²))</td><td>√(2/(1+a²))</td><td>same</td></tr>
 *   <tr><td>SELU</td><td>λ(z or α(e^z−1))</td><td>1.00000</td><td>0.96603</td><td>3/4</td></tr>
 *   <tr><td>GELU</td><td>z·Φ(z) (exact, erf)</td><td>1.53353</td><td>1.48111</td><td>—</td></tr>
 *   <tr><td>SILU</td><td>z·σ(z)</td><td>1.67653</td><td>1.62332</td><td>—</td></tr>
 * </table>
 * (The tests check these values against computations independent of this class.) Note that DL4J's {@code Activation.GELU} is the sigmoid approximation z·σ(1.702z),
 * whose gain differs by ~0.4 %: {@link #GELU} is the exact form, as in PyTorch's default {@code nn.GELU}.
 *
 * <p>Any other DL4J activation, custom ones included, is wrapped by {@link #of(IActivation)}; its moments come
 * from {@link Gains#of(IActivation)} (quadrature through the activation's own code).
 *
 * <p>{@link #criticality(double)} gives the edge-of-chaos weight scale σ_w for biases N(0, σ_b²)
 * ({@link dev.heinit.gain.Criticality}), as {@link HeInit#critical(double)} uses it.
 *
 * <p>Immutable; serialized in DL4J configurations as {@code {"name": ..., "slope": ...}}, plus
 * {@code "activation": {"@class": ..., ...}} for the activation-based kind (name {@code "activation"}).
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Nonlinearity implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final double SELU_LAMBDA = 1.0507009873554804934193349852946;
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double LOG_SQRT_2PI = 0.91893853320467274178;

    /** f(z; a), f'(z; a) with a the leaky slope (0 for the others). */
    @FunctionalInterface
    private interface Fn {
        double at(double z, double slope);
    }

    /**
     * The named kinds: persisted name, f, f' and PyTorch's {@code calculate_gain} (null where PyTorch has none).
     * {@link #ACTIVATION} wraps a DL4J activation and has none of them.
     */
    private enum Kind {
        LINEAR("linear", (z, a) -> z, (z, a) -> 1.0, a -> 1.0),
        SIGMOID("sigmoid", (z, a) -> sigmoid(z), (z, a) -> sigmoid(z) * (1 - sigmoid(z)), a -> 1.0),
        TANH("tanh", (z, a) -> Math.tanh(z), (z, a) -> 1 - Math.tanh(z) * Math.tanh(z), a -> 5.0 / 3.0),
        RELU("relu", (z, a) -> z > 0 ? z : 0.0, (z, a) -> z > 0 ? 1.0 : 0.0, a -> Math.sqrt(2.0)),
        LEAKY_RELU(
                "leaky_relu",
                (z, a) -> z > 0 ? z : a * z,
                (z, a) -> z > 0 ? 1.0 : a,
                a -> Math.sqrt(2.0 / (1.0 + a * a))),
        SELU(
                "selu",
                (z, a) -> z > 0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(z),
                (z, a) -> z > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z),
                a -> 0.75),
        GELU("gelu", (z, a) -> z * phi(z), (z, a) -> phi(z) + z * Math.exp(-0.5 * z * z - LOG_SQRT_2PI), null),
        SILU("silu", (z, a) -> z * sigmoid(z), (z, a) -> sigmoid(z) * (1 + z * (1 - sigmoid(z))), null),
        ACTIVATION("activation", null, null, null);

        private final String jsonName;
        private final Fn f;
        private final Fn derivative;
        private final DoubleUnaryOperator pytorchGain;

        Kind(String jsonName, Fn f, Fn derivative, DoubleUnaryOperator pytorchGain) {
            this.jsonName = jsonName;
            this.f = f;
            this.derivative = derivative;
            this.pytorchGain = pytorchGain;
        }

        static Kind byName(String name) {
            for (Kind k : values()) {
                if (k.jsonName.equals(name)) {
                    return k;
                }
            }
            StringBuilder known = new StringBuilder();
            for (Kind k : values()) {
                known.append(known.length() == 0 ? "" : ", ").append(k.jsonName);
            }
            throw new IllegalArgumentException("unknown nonlinearity '" + name + "'; known: " + known);
        }
    }

    /** The identity, {@code f(z) = z}: E[f²] = E[f'²] = 1. */
    public static final Nonlinearity LINEAR = new Nonlinearity(Kind.LINEAR, 0.0, null);
    /** The logistic sigmoid {@code 1/(1+e^−z)}. */
    public static final Nonlinearity SIGMOID = new Nonlinearity(Kind.SIGMOID, 0.0, null);
    /** The hyperbolic tangent. */
    public static final Nonlinearity TANH = new Nonlinearity(Kind.TANH, 0.0, null);
    /** {@code max(0, z)}: E[f²] = E[f'²] = 1/2, gain √2. */
    public static final Nonlinearity RELU = new Nonlinearity(Kind.RELU, 0.0, null);
    /** Scaled ELU (Klambauer et al. 2017), λ = 1.0507…, α = 1.6733…. */
    public static final Nonlinearity SELU = new Nonlinearity(Kind.SELU, 0.0, null);
    /** Exact GELU, {@code z·Φ(z)} with Φ the normal CDF (Hendrycks &amp; Gimpel 2016). */
    public static final Nonlinearity GELU = new Nonlinearity(Kind.GELU, 0.0, null);
    /** SiLU / swish, {@code z·σ(z)} (DL4J's {@code Activation.SWISH}). */
    public static final Nonlinearity SILU = new Nonlinearity(Kind.SILU, 0.0, null);

    private static final List<Nonlinearity> NAMED = List.of(LINEAR, SIGMOID, TANH, RELU, SELU, GELU, SILU);

    @JsonProperty("name")
    private final String name;

    @JsonProperty("slope")
    private final double slope;

    @JsonProperty("activation")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private final IActivation activation;

    private final transient Kind kind;
    private transient volatile double[] moments;

    private Nonlinearity(Kind kind, double slope, IActivation activation) {
        this.kind = kind;
        this.name = kind.jsonName;
        this.slope = slope;
        this.activation = activation;
    }

    /**
     * The nonlinearity of a DL4J activation, custom ones included. DL4J activations with a closed form here map
     * to it (identity → {@link #LINEAR}, plain ReLU → {@link #RELU}, LReLU(a) → {@link #leakyRelu(double)},
     * sigmoid, tanh, SELU, swish → {@link #SILU}); any other is kept as is (name {@code "activation"}) and its
     * moments {@code E[f²]}, {@code E[f'²]} are computed by {@link Gains#of(IActivation)}. DL4J's
     * {@code ActivationGELU} is the sigmoid approximation z·σ(1.702z), so it is not mapped to {@link #GELU}.
     *
     * @throws IllegalArgumentException if the activation is null or rejected by {@link Gains#of(IActivation)}
     *                                  (softmax, PReLU, vanishing moments)
     */
    public static Nonlinearity of(IActivation activation) {
        if (activation == null) {
            throw new IllegalArgumentException(
                    "activation must be a DL4J IActivation such as new ActivationReLU(), got null");
        }
        // Exact classes only: a user's subclass may compute something else.
        if (activation.getClass() == ActivationIdentity.class) {
            return LINEAR;
        }
        if (activation.getClass() == ActivationReLU.class) {
            ActivationReLU r = (ActivationReLU) activation;
            if (isZeroOrNull(r.getThreshold()) && isZeroOrNull(r.getNegativeSlope()) && r.getMax() == null) {
                return RELU;
            }
        }
        if (activation.getClass() == ActivationLReLU.class) {
            return leakyRelu(((ActivationLReLU) activation).getAlpha());
        }
        if (activation.getClass() == ActivationSigmoid.class) {
            return SIGMOID;
        }
        if (activation.getClass() == ActivationTanH.class) {
            return TANH;
        }
        if (activation.getClass() == ActivationSELU.class) {
            return SELU;
        }
        if (activation.getClass() == ActivationSwish.class) {
            return SILU;
        }
        Gains.of(activation); // reject softmax etc. now, not at network init
        return new Nonlinearity(Kind.ACTIVATION, 0.0, activation);
    }

    private static boolean isZeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    /**
     * Leaky ReLU {@code max(a·z, z)} (for a ≤ 1) with negative-side slope {@code a}: E[f²] = E[f'²] = (1+a²)/2.
     * Any finite slope is allowed (negative ones included, as in PReLU).
     *
     * @throws IllegalArgumentException if the slope is NaN or infinite
     */
    public static Nonlinearity leakyRelu(double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leaky ReLU slope must be finite, got " + slope);
        }
        return new Nonlinearity(Kind.LEAKY_RELU, slope, null);
    }

    @JsonCreator
    static Nonlinearity fromJson(
            @JsonProperty("name") String name,
            @JsonProperty("slope") double slope,
            @JsonProperty("activation") IActivation activation) {
        if (name == null) {
            throw new IllegalArgumentException("nonlinearity name is missing");
        }
        switch (Kind.byName(name)) {
            case LEAKY_RELU:
                return leakyRelu(slope);
            case ACTIVATION:
                if (activation == null) {
                    throw new IllegalArgumentException("nonlinearity 'activation' needs an \"activation\" property");
                }
                return new Nonlinearity(Kind.ACTIVATION, 0.0, activation);
            default:
                for (Nonlinearity n : NAMED) {
                    if (n.name.equals(name)) {
                        return n;
                    }
                }
                throw new IllegalStateException("no constant for nonlinearity '" + name + "'");
        }
    }

    /** Lower-case name: linear, sigmoid, tanh, relu, leaky_relu, selu, gelu, silu, or activation (see {@link #of}). */
    public String name() {
        return name;
    }

    /** Negative-side slope of a leaky ReLU; 0 for every other nonlinearity. */
    public double slope() {
        return slope;
    }

    /** The wrapped DL4J activation of the kind made by {@link #of(IActivation)}, or null for the named ones. */
    public IActivation activation() {
        return activation;
    }

    /** {@code E[f(z)²]}, z ~ N(0,1): the forward second moment that fan_in mode divides by. */
    public double forwardMoment() {
        return moments()[0];
    }

    /** {@code E[f'(z)²]}, z ~ N(0,1): the backward second moment that fan_out mode divides by. */
    public double backwardMoment() {
        return moments()[1];
    }

    /** {@code 1/√E[f(z)²]}: the gain that keeps the forward second moment at 1. */
    public double forwardGain() {
        return 1.0 / Math.sqrt(forwardMoment());
    }

    /** {@code 1/√E[f'(z)²]}: the gain that keeps the backward second moment at 1. */
    public double backwardGain() {
        return 1.0 / Math.sqrt(backwardMoment());
    }

    /**
     * PyTorch's {@code torch.nn.init.calculate_gain} value: linear/sigmoid 1, tanh 5/3, relu √2,
     * leaky √(2/(1+a²)), selu 3/4.
     *
     * @throws IllegalArgumentException for GELU, SiLU and wrapped activations, which PyTorch's table lacks
     */
    public double pytorchGain() {
        if (kind.pytorchGain == null) {
            throw new IllegalArgumentException("PyTorch's calculate_gain has no value for '" + name
                    + "' (it raises ValueError); use GainConvention.SECOND_MOMENT, which computes the gain"
                    + " from E[f(z)^2] and E[f'(z)^2]");
        }
        return kind.pytorchGain.applyAsDouble(slope);
    }

    /** The function itself, {@code f(z)}. */
    public double apply(double z) {
        if (activation != null) {
            return Gains.values(activation, new double[] {z})[0][0];
        }
        return kind.f.at(z, slope);
    }

    /** Its derivative {@code f'(z)} (the right derivative at kinks). */
    public double derivative(double z) {
        if (activation != null) {
            return Gains.values(activation, new double[] {z})[1][0];
        }
        return kind.derivative.at(z, slope);
    }

    /**
     * The edge-of-chaos point of this nonlinearity for biases N(0, σ_b²) (see {@link Criticality}) by
     * {@link Gains#critical(IActivation, double)}: a wrapped activation through its own code, the named kinds through
     * their closed forms here (so {@link #GELU} is the exact, erf-based GELU). Cached.
     *
     * @throws IllegalArgumentException if biasStd is negative, NaN or infinite, or there is no critical point
     */
    public Criticality criticality(double biasStd) {
        return Gains.critical(activation != null ? activation : new ClosedFormActivation(this), biasStd);
    }

    private double[] moments() {
        double[] m = moments;
        if (m == null) {
            if (activation != null) {
                ActivationMoments g = Gains.of(activation);
                m = new double[] {g.forwardMoment(), g.backwardMoment()};
            } else if (kind == Kind.RELU || kind == Kind.LEAKY_RELU) {
                double e = 0.5 * (1.0 + slope * slope);
                m = new double[] {e, e};
            } else {
                GaussianQuadrature q = GaussianQuadrature.withBreakpoints(0.0);
                m = new double[] {
                    q.expectation(z -> {
                        double v = kind.f.at(z, slope);
                        return v * v;
                    }),
                    q.expectation(z -> {
                        double v = kind.derivative.at(z, slope);
                        return v * v;
                    })
                };
            }
            moments = m;
        }
        return m;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
    }

    /** Standard normal CDF to ~1e-16 absolute (Marsaglia 2004, "Evaluating the Normal Distribution"). */
    static double phi(double x) {
        if (x < -9) {
            return 0.0;
        }
        if (x > 9) {
            return 1.0;
        }
        double s = x;
        double t = 0;
        double b = x;
        double q = x * x;
        double i = 1;
        while (s != t) {
            t = s;
            i += 2;
            b *= q / i;
            s = t + b;
        }
        return 0.5 + s * Math.exp(-0.5 * q - LOG_SQRT_2PI);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Nonlinearity)) {
            return false;
        }
        Nonlinearity that = (Nonlinearity) o;
        return name.equals(that.name)
                && Double.compare(slope, that.slope) == 0
                && Objects.equals(activation, that.activation);
    }

    @Override
    public int hashCode() {
        return activation == null ? Objects.hash(name, slope) : Objects.hash(name, slope, activation);
    }

    @Override
    public String toString() {
        if (activation != null) {
            return activation.toString();
        }
        return kind == Kind.LEAKY_RELU ? String.format(Locale.ROOT, "leaky_relu(%s)", slope) : name;
    }

    private Object readResolve() {
        return fromJson(name, slope, activation);
    }
}
