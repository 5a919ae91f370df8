package dev.heinit;

import java.util.Locale;
import java.util.function.DoubleFunction;

import org.nd4j.linalg.activations.Activation;

import dev.heinit.gain.ActivationMoments;
import dev.heinit.gain.Criticality;
import dev.heinit.gain.Gains;

/**
 * Prints the criticality table of docs/criticality.md (σ_w, q*, and the variance map's slope at σ_b = 0, 0.1, 0.2; χ at the He gain)
 * for DL4J's element-wise activations. A tool, not a test: the values are asserted where they can be checked
 * independently ({@code CriticalityTest}: reference points and the defining equations re-evaluated by a separate
 * quadrature). Run:
 * {@code ./mvnw -B -o -q -pl dl4j-he-init test-compile exec:java -Dexec.mainClass=dev.heinit.CriticalityTable
 * -Dexec.classpathScope=test}.
 */
public final class CriticalityTable {

    private static final double[] BIASES = {0.0, 0.1, 0.2};

    private CriticalityTable() {}

    /**
     * Prints the table to standard output.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.print(table());
    }

    /** The table as Markdown. */
    static String table() {
        StringBuilder t = new StringBuilder();
        t.append("| activation | He gain (fan_in) | χ at the He gain | σ_b = 0: σ_w, q* | σ_b = 0.1: σ_w, q*, V′(q*)"
                + " | σ_b = 0.2: σ_w, q*, V′(q*) |\n|---|---|---|---|---|---|\n");
        Activation[] all = {
            Activation.RELU,
            Activation.LEAKYRELU,
            Activation.RRELU,
            Activation.IDENTITY,
            Activation.RELU6,
            Activation.ELU,
            Activation.SELU,
            Activation.GELU,
            Activation.SWISH,
            Activation.MISH,
            Activation.TANH,
            Activation.HARDTANH,
            Activation.RATIONALTANH,
            Activation.RECTIFIEDTANH,
            Activation.SIGMOID,
            Activation.HARDSIGMOID,
            Activation.SOFTPLUS,
            Activation.SOFTSIGN,
            Activation.THRESHOLDEDRELU,
            Activation.CUBE
        };
        for (Activation a : all) {
            row(t, a.name(), Gains.of(a.getActivationFunction()), sb -> Gains.critical(a.getActivationFunction(), sb));
        }
        row(t, "exact GELU (Nonlinearity.GELU)", null, Nonlinearity.GELU::criticality);
        return t.toString();
    }

    private static void row(StringBuilder t, String name, ActivationMoments m, DoubleFunction<Criticality> critical) {
        t.append("| ").append(name).append(" | ");
        if (m == null) {
            t.append(String.format(
                    Locale.ROOT,
                    "%.4f | %.4f | ",
                    Nonlinearity.GELU.forwardGain(),
                    Nonlinearity.GELU.backwardMoment() / Nonlinearity.GELU.forwardMoment()));
        } else {
            // At the He gain g = 1/√E[f²] with σ_b = 0, q = 1 is a fixed point and χ = g²·E[f'²].
            t.append(String.format(
                    Locale.ROOT, "%.4f | %.4f | ", m.fanInGain(), m.backwardMoment() / m.forwardMoment()));
        }
        for (double sb : BIASES) {
            try {
                Criticality c = critical.apply(sb);
                String q = c.kind() == Criticality.Kind.SCALE_INVARIANT
                        ? "any"
                        : c.kind() == Criticality.Kind.SMALL_SIGNAL
                                ? "→ 0"
                                : String.format(Locale.ROOT, "%.3g", c.fixedPoint());
                t.append(String.format(Locale.ROOT, "%.4f, %s", c.sigmaW(), q));
                if (sb > 0) {
                    t.append(String.format(Locale.ROOT, ", %.3f", c.stability()));
                }
            } catch (IllegalArgumentException e) {
                // only the documented outcome "this activation has no critical point" is a cell; anything else
                // is an error the table must not hide
                if (!e.getMessage().contains("no critical point")) {
                    throw e;
                }
                t.append("none");
            }
            t.append(" | ");
        }
        t.setLength(t.length() - 1);
        t.append('\n');
    }
}
