package dev.heinit.examples.model;

import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import dev.heinit.Nonlinearity;
import dev.heinit.activation.GELU;
import dev.heinit.activation.SiLU;

/**
 * The nonlinearity of every hidden layer of the examples' CNNs ({@code --activation}): relu, leaky:A, gelu, silu,
 * tanh, elu, selu. Immutable value.
 *
 * <p>GELU is the exact erf form and SiLU the library's overflow-free implementation ({@code dev.heinit.activation}):
 * DL4J 1.0.0-M2.1's own GELU (a sigmoid approximation) and Swish compute derivatives that are NaN in FLOAT from
 * z ≈ 26.5 and 44.4, which a deep net at a large gain reaches.
 *
 * <p>He's gain for it is {@code 1/√E[f(z)²]} (fan_in) or {@code 1/√E[f'(z)²]} (fan_out), z ~ N(0, 1), taken from
 * {@link Nonlinearity#of(IActivation)} on the very activation the layers use, so the gain always matches the
 * function that runs.
 *
 * @param kind  which function
 * @param slope negative-side slope of {@link Kind#LEAKY} (finite, in [0, 1)); 0 for the others
 */
public record HiddenActivation(Kind kind, double slope) {

    /** The choices. */
    public enum Kind {
        /** max(0, z). */
        RELU,
        /** max(a·z, z), 0 ≤ a &lt; 1. */
        LEAKY,
        /** z·Φ(z). */
        GELU,
        /** z·σ(z) (swish). */
        SILU,
        /** tanh z. */
        TANH,
        /** z for z &gt; 0, e^z − 1 otherwise (α = 1). */
        ELU,
        /** Klambauer et al. 2017's scaled ELU. */
        SELU
    }

    /** ReLU, the default. */
    public static final HiddenActivation RELU = new HiddenActivation(Kind.RELU, 0.0);

    /** The valid --activation values, for messages and help. */
    public static final String VALID =
            "relu, leaky:A (A a number in [0, 1), e.g. leaky:0.2), gelu, silu, tanh, elu, selu";

    /** Validates the slope. */
    public HiddenActivation {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.LEAKY ? !(Double.isFinite(slope) && slope >= 0 && slope < 1) : slope != 0.0) {
            throw new IllegalArgumentException(
                    "slope must be a finite number in [0, 1) for leaky and 0 otherwise, got " + slope + " for " + kind);
        }
    }

    /**
     * Parses a CLI value (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and listing {@link #VALID}
     */
    public static HiddenActivation parse(String value) {
        String v = value == null ? "" : value.trim();
        String s = v.toLowerCase(Locale.ROOT);
        if (s.startsWith("leaky:")) {
            String slope = v.substring("leaky:".length());
            double a;
            try {
                a = Double.parseDouble(slope);
            } catch (NumberFormatException e) {
                a = Double.NaN;
            }
            if (!(Double.isFinite(a) && a >= 0 && a < 1)) {
                throw new IllegalArgumentException("leaky slope must be a finite number in [0, 1), got '" + slope
                        + "' in '" + value + "'; valid activations: " + VALID);
            }
            return new HiddenActivation(Kind.LEAKY, a);
        }
        for (Kind k : Kind.values()) {
            if (k != Kind.LEAKY && k.name().toLowerCase(Locale.ROOT).equals(s)) {
                return new HiddenActivation(k, 0.0);
            }
        }
        throw new IllegalArgumentException("unknown activation '" + value + "'; valid: " + VALID);
    }

    /** The CLI form, e.g. "silu" or "leaky:0.2" (also the metrics.csv value; no commas). */
    public String cliName() {
        return kind == Kind.LEAKY ? "leaky:" + slope : kind.name().toLowerCase(Locale.ROOT);
    }

    /** A fresh DL4J activation for one layer. */
    public IActivation activation() {
        return switch (kind) {
            case RELU -> new ActivationReLU();
            case LEAKY -> new ActivationLReLU(slope);
            case GELU -> GELU.exact();
            case SILU -> new SiLU();
            case TANH -> new ActivationTanH();
            case ELU -> new ActivationELU();
            case SELU -> new ActivationSELU();
        };
    }

    /** The library's nonlinearity for {@link #activation()}: its exact second moments set He's gain. */
    public Nonlinearity nonlinearity() {
        return Nonlinearity.of(activation());
    }

    /** One line for summaries: which function runs, and how. */
    public String description() {
        return switch (kind) {
            case RELU -> "relu: max(0, z)";
            case LEAKY -> "leaky ReLU, slope " + slope + ": max(" + slope + "z, z)";
            case GELU ->
                "gelu: exact z*Phi(z) (erf form, dev.heinit.activation.GELU.exact(); DL4J's own GELU is the "
                        + "sigmoid approximation, and its backprop is NaN in FLOAT from z = 26.5)";
            case SILU ->
                "silu: z*sigmoid(z) (dev.heinit.activation.SiLU; DL4J's Swish backprop is NaN in FLOAT from "
                        + "z = 44.4)";
            case TANH -> "tanh";
            case ELU -> "elu: DL4J ActivationELU, alpha 1";
            case SELU -> "selu: DL4J ActivationSELU";
        };
    }

    @Override
    public String toString() {
        return cliName();
    }
}
