package dev.heinit.config;

import java.util.Locale;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.Sampler;
import dev.heinit.fan.Fan;
import dev.heinit.gain.Criticality;
import dev.heinit.gain.Gains;

/**
 * How one weight's gain is chosen, per {@link GainConvention}.
 *
 * <p>{@link GainConvention#SECOND_MOMENT} (He et al. 2015, eqs. 10 and 14): with the moments of what feeds the
 * weight, {@code E = E[f(z)²]}, and of what follows it, {@code B = E[(∂x_next/∂y)²]}, the std is
 * {@code √(1/(wIn·fan_in·E + wOut·fan_out·B))} ({@link FanMode}'s weights): VarianceScalingInit's
 * {@code √(scale/(wIn·fan_in + wOut·fan_out))} with scale 1 and each fan weighted by its moment. It is handed to
 * {@link HeInit} as the explicit gain {@code g = √(fan/(wIn·fan_in·E + wOut·fan_out·B))} ({@link #gain}), so that
 * {@code g/√fan} is that std. A signal with one activation and no backward walk keeps HeInit's own nonlinearity
 * gain (the same formula, E and B both of that activation).
 *
 * <p>{@link GainConvention#PYTORCH}: {@code calculate_gain} of the layer's own activation, as
 * {@code kaiming_normal_(w, nonlinearity=...)} is called (a softmax output: logits, gain 1); an activation without
 * a PyTorch gain keeps the weight's own init.
 */
final class GainPolicy {

    /**
     * Below this backward moment a fan_out row is warned about: gain 1/√0.25 = 2 and more (sigmoid's E[σ'²] =
     * 0.0449 gives 4.72; tanh's 0.464 gives 1.47 and is not warned).
     */
    static final double SATURATING = 0.25;

    private final Sampler sampler;
    private final FanMode mode;
    private final GainConvention convention;

    GainPolicy(Sampler sampler, FanMode mode, GainConvention convention) {
        this.sampler = sampler;
        this.mode = mode;
        this.convention = convention;
    }

    /**
     * One weight's init ({@code null}: its own init is kept), the plan's feeding cell, notes and an assumption row;
     * for a critical configuration also σ_w, σ_b, q* and χ (NaN where they do not apply).
     */
    static final class Choice {
        final HeInit init;
        final String feeding;
        final String note;
        final String assumption; // text of an ASSUMPTION row to add before the weight's row, or null
        final double[] critical; // {σ_w, σ_b, q*, χ}, or null outside a critical configuration

        Choice(HeInit init, String feeding, String note, String assumption) {
            this(init, feeding, note, assumption, null);
        }

        Choice(HeInit init, String feeding, String note, String assumption, double[] critical) {
            this.init = init;
            this.feeding = feeding;
            this.note = note;
            this.assumption = assumption;
            this.critical = critical;
        }
    }

    /**
     * The gain that makes HeInit's {@code gain/√fan} equal {@code √(1/(wIn·fanIn·E + wOut·fanOut·B))}: the one
     * place the configuration pass turns moments into a variance.
     */
    static double gain(FanMode mode, double fanIn, double fanOut, double forwardMoment, double backwardMoment) {
        double g2 = mode.fan(fanIn, fanOut)
                / (mode.inWeight() * fanIn * forwardMoment + mode.outWeight() * fanOut * backwardMoment);
        return Math.sqrt(g2);
    }

    /**
     * The choice for one fan-scaled weight.
     *
     * @param f            its true fans
     * @param note         the fan's note, to which the choice's notes are joined
     * @param feed         the signal feeding the layer
     * @param back         the backward moment after the layer (fan_out/fan_avg in SECOND_MOMENT), or null
     * @param ownAct       the layer's own configured activation (what recurrent weights multiply)
     * @param recurrent    a recurrent weight
     * @param lookup       an embedding's weight: its input is indices, a row is looked up (identity gain)
     */
    Choice choose(
            Fan f,
            String note,
            Feed feed,
            BackwardMoments.Back back,
            IActivation ownAct,
            boolean recurrent,
            boolean lookup) {
        if (convention == GainConvention.PYTORCH) {
            return pytorch(lookup ? new ActivationIdentity() : ownAct, note);
        }
        // An embedding's input is indices, not a signal: a row is looked up, so the gain is that of the identity.
        Feed s = recurrent ? Feed.lenient(ownAct) : lookup ? Feed.of(null) : feed;
        HeInit h;
        String feeding;
        String assumption = null;
        if (back != null) {
            // He et al. 2015, eqs. 13-14: the backward condition needs E[(∂x_{l+1}/∂y_l)²], the derivative of
            // what lies between this layer's pre-activation and the next weighted layers' inputs.
            HeInit base = base();
            if (s.activation != null) {
                base = base.nonlinearity(
                        Nonlinearity.of(s.activation)); // informational: the explicit gain overrides it
            }
            h = base.gain(gain(mode, f.in(), f.out(), s.forward, back.moment));
            String in0 = s.description + (s.activation == null && !s.fromInput ? " (mixed)" : "");
            feeding =
                    mode == FanMode.FAN_OUT ? "out: " + back.description : "in: " + in0 + "; out: " + back.description;
            note = Feed.join(note, back.note);
            if (mode == FanMode.FAN_OUT && !back.assumed && back.moment < SATURATING) {
                note = Feed.join(
                        String.format(
                                Locale.ROOT,
                                "WARNING: fan_out gain %.3g from E[(∂x_next/∂y)²] ="
                                        + " %.4g, a saturating derivative: the forward signal grows by about that factor per layer"
                                        + " (sigmoid before BatchNormalization: gain 4.72, pre-activations at RMS 29, 87%% saturated);"
                                        + " fan_in is safer here",
                                h.explicitGain().orElse(Double.NaN),
                                back.moment),
                        note);
            }
            if (back.assumed) {
                assumption = back.note;
            }
        } else {
            h = s.activation != null
                    ? base().nonlinearity(Nonlinearity.of(s.activation))
                    : base().gain(gain(mode, f.in(), f.out(), s.forward, s.backward));
            feeding = s.description + (s.activation == null && !s.fromInput ? " (mixed)" : "");
        }
        if (recurrent) {
            note = Feed.join(note, "recurrent: fed by the layer's own activation " + s.description);
        } else if (!lookup) {
            note = Feed.join(note, feed.caveat);
            if (feed.activation == null && feed.mean != 0 && !feed.fromInput) {
                note = Feed.join(
                        note,
                        String.format(
                                Locale.ROOT,
                                "mixed signal: E[x²]=%.4g includes the" + " branches' means (mean %.4g)",
                                feed.forward,
                                feed.mean));
            }
        }
        return new Choice(h, feeding, note, assumption);
    }

    /**
     * The choice for one fan-scaled weight of a critical configuration (fan_in, biases N(0, σ_b²)).
     * <ul>
     *   <li>Fed by one activation f: {@code Var(W) = σ_w²/fan_in} with σ_w of {@link Gains#critical}(f, σ_b), so a
     *       pre-activation variance q* stays q* and χ = 1 (exact in a stack of one activation; where the activation
     *       changes, the next one is entered at the previous one's q*).</li>
     *   <li>Fed by a network input directly, of second moment E[x²] (the input nonlinearity's, or given/measured):
     *       {@code Var(W) = (q* − σ_b²)/(fan_in·E[x²])} with q* of the layer's own output activation g, so the first
     *       pre-activation variance is the q* the rest of the network holds; where g has no fixed point q* &gt; 0
     *       (ReLU family, small-signal limit, an output layer) the weights give unit variance, as for He.</li>
     *   <li>Fed by a mixture (sum, concatenation), a recurrent weight or an embedding: the He choice, with a note.</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the layer and the activation if the activation feeding it has no
     *                                  critical point
     */
    Choice critical(
            String layer,
            double sigmaB,
            Fan f,
            String note,
            Feed feed,
            IActivation next,
            IActivation ownAct,
            boolean recurrent,
            boolean lookup) {
        if (recurrent || lookup || feed.activation == null && !feed.fromInput) {
            Choice he = choose(f, note, feed, null, ownAct, recurrent, lookup);
            return new Choice(
                    he.init,
                    he.feeding,
                    Feed.join(
                            he.note,
                            "critical: "
                                    + (recurrent
                                            ? "recurrent weight"
                                            : lookup
                                                    ? "embedding lookup"
                                                    : "fed by a mixed or unmodelled signal, no single activation")
                                    + ", He's choice"
                                    + " kept"),
                    he.assumption,
                    new double[] {Double.NaN, sigmaB, Double.NaN, Double.NaN});
        }
        if (feed.fromInput) {
            double target = 1.0;
            String aim = "unit (the next activation has no fixed point q* > 0)";
            Criticality c = next == null ? null : criticalOrNull(next, sigmaB);
            if (c != null && c.kind() == Criticality.Kind.FIXED_POINT) {
                target = c.fixedPoint() - sigmaB * sigmaB;
                aim = String.format(Locale.ROOT, "q* %.4g of %s", c.fixedPoint(), next);
            }
            double gain = Math.sqrt(target / feed.forward);
            HeInit h = base().gain(gain);
            String msg = String.format(
                    Locale.ROOT,
                    "critical, first layer: Var(W) = (%.4g)/(fan_in·E[x²]), E[x²] ="
                            + " %.4g, pre-activation variance %.4g + σ_b² (%s)",
                    target,
                    feed.forward,
                    target,
                    aim);
            return new Choice(h, feed.description, Feed.join(Feed.join(note, feed.caveat), msg), null, new double[] {
                gain, sigmaB, target + sigmaB * sigmaB, Double.NaN
            });
        }
        HeInit h;
        Criticality c;
        try {
            h = HeInit.critical(sigmaB)
                    .nonlinearity(Nonlinearity.of(feed.activation))
                    .sampler(sampler);
            c = h.criticality().orElseThrow();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "critical(" + sigmaB + "): layer '" + layer + "' is fed by activation "
                            + feed.description + ", which has no critical point (" + e.getMessage() + "); allowed are"
                            + " activations Gains.critical solves, or configure without critical(...)",
                    e);
        }
        return new Choice(
                h, feed.description, Feed.join(Feed.join(note, feed.caveat), "critical: " + c), null, new double[] {
                    c.sigmaW(), sigmaB, c.fixedPoint(), c.chi()
                });
    }

    private static Criticality criticalOrNull(IActivation a, double sigmaB) {
        try {
            return Gains.critical(a, sigmaB);
        } catch (IllegalArgumentException e) {
            return null; // an output layer's softmax: the first layer aims at unit variance
        }
    }

    /** PyTorch practice: kaiming_normal_(w, nonlinearity=<the activation after this layer>), whatever feeds it. */
    private Choice pytorch(IActivation own, String note) {
        Nonlinearity nl;
        try {
            nl = own instanceof ActivationSoftmax ? Nonlinearity.LINEAR : Nonlinearity.of(own);
            nl.pytorchGain();
        } catch (IllegalArgumentException e) {
            return new Choice(
                    null,
                    "own " + own,
                    Feed.join(
                            note,
                            "GainConvention.PYTORCH: PyTorch's calculate_gain"
                                    + " has no value for the layer's own activation " + own
                                    + "; its own init is kept (use"
                                    + " SECOND_MOMENT for a computed gain)"),
                    null);
        }
        return new Choice(
                base().nonlinearity(nl),
                "own " + own,
                Feed.join(
                        note,
                        "GainConvention.PYTORCH: gain of"
                                + " the layer's own activation, as kaiming_normal_(nonlinearity=...)"
                                + (own instanceof ActivationSoftmax ? " (softmax output: logits, linear gain 1)" : "")),
                null);
    }

    private HeInit base() {
        return HeInit.normal().sampler(sampler).mode(mode).gainConvention(convention);
    }
}
