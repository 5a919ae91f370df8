package dev.heinit.config;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.Sampler;
import dev.heinit.fan.Fan;
import java.util.Locale;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

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

    /** One weight's init ({@code null}: its own init is kept), the plan's feeding cell, notes and an assumption row. */
    static final class Choice {
        final HeInit init;
        final String feeding;
        final String note;
        final String assumption; // text of an ASSUMPTION row to add before the weight's row, or null

        Choice(HeInit init, String feeding, String note, String assumption) {
            this.init = init;
            this.feeding = feeding;
            this.note = note;
            this.assumption = assumption;
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
    Choice choose(Fan f, String note, Signal feed, BackwardMoments.Back back, IActivation ownAct, boolean recurrent,
            boolean lookup) {
        if (convention == GainConvention.PYTORCH) {
            return pytorch(lookup ? new ActivationIdentity() : ownAct, note);
        }
        // An embedding's input is indices, not a signal: a row is looked up, so the gain is that of the identity.
        Signal s = recurrent ? Signal.lenient(ownAct) : lookup ? Signal.of(null) : feed;
        HeInit h;
        String feeding;
        String assumption = null;
        if (back != null) {
            // He et al. 2015, eqs. 13-14: the backward condition needs E[(∂x_{l+1}/∂y_l)²], the derivative of
            // what lies between this layer's pre-activation and the next weighted layers' inputs.
            HeInit base = base();
            if (s.activation != null) {
                base = base.nonlinearity(Nonlinearity.of(s.activation)); // informational: the explicit gain overrides it
            }
            h = base.gain(gain(mode, f.in(), f.out(), s.forward, back.moment));
            String in0 = s.description + (s.activation == null ? " (mixed)" : "");
            feeding = mode == FanMode.FAN_OUT ? "out: " + back.description : "in: " + in0 + "; out: " + back.description;
            note = Signal.join(note, back.note);
            if (mode == FanMode.FAN_OUT && !back.assumed && back.moment < SATURATING) {
                note = Signal.join(String.format(Locale.ROOT, "WARNING: fan_out gain %.3g from E[(∂x_next/∂y)²] ="
                        + " %.4g, a saturating derivative: the forward signal grows by about that factor per layer"
                        + " (sigmoid before BatchNormalization: gain 4.72, pre-activations at RMS 29, 87%% saturated);"
                        + " fan_in is safer here", h.explicitGain().orElse(Double.NaN), back.moment), note);
            }
            if (back.assumed) {
                assumption = back.note;
            }
        } else {
            h = s.activation != null ? base().nonlinearity(Nonlinearity.of(s.activation))
                    : base().gain(gain(mode, f.in(), f.out(), s.forward, s.backward));
            feeding = s.description + (s.activation == null ? " (mixed)" : "");
        }
        if (recurrent) {
            note = Signal.join(note, "recurrent: fed by the layer's own activation " + s.description);
        } else if (!lookup) {
            note = Signal.join(note, feed.caveat);
            if (feed.activation == null && feed.mean != 0) {
                note = Signal.join(note, String.format(Locale.ROOT, "mixed signal: E[x²]=%.4g includes the"
                        + " branches' means (mean %.4g)", feed.forward, feed.mean));
            }
        }
        return new Choice(h, feeding, note, assumption);
    }

    /** PyTorch practice: kaiming_normal_(w, nonlinearity=<the activation after this layer>), whatever feeds it. */
    private Choice pytorch(IActivation own, String note) {
        Nonlinearity nl;
        try {
            nl = own instanceof ActivationSoftmax ? Nonlinearity.LINEAR : Nonlinearity.of(own);
            nl.pytorchGain();
        } catch (IllegalArgumentException e) {
            return new Choice(null, "own " + own, Signal.join(note, "GainConvention.PYTORCH: PyTorch's calculate_gain"
                    + " has no value for the layer's own activation " + own + "; its own init is kept (use"
                    + " SECOND_MOMENT for a computed gain)"), null);
        }
        return new Choice(base().nonlinearity(nl), "own " + own, Signal.join(note, "GainConvention.PYTORCH: gain of"
                + " the layer's own activation, as kaiming_normal_(nonlinearity=...)" + (own instanceof ActivationSoftmax
                ? " (softmax output: logits, linear gain 1)" : "")), null);
    }

    private HeInit base() {
        return HeInit.normal().sampler(sampler).mode(mode).gainConvention(convention);
    }
}
