package dev.heinit.gain;

import java.util.Locale;
import java.util.Objects;

/**
 * The two second moments of one activation f, z ~ N(0, 1): {@code forwardMoment() = E[f(z)²]} and
 * {@code backwardMoment() = E[f'(z)²]}, and the He gains they give: {@code fanInGain() = 1/√E[f(z)²]}
 * (fan_in mode) and {@code fanOutGain() = 1/√E[f'(z)²]} (fan_out mode)
 * (He et al. 2015, "Delving Deep into Rectifiers", eqs. 10 and 14, generalized from ReLU's 1/2 to any f).
 *
 * <p>The forward condition {@code fan_in·Var(W)·E[f²] = 1} keeps the pre-activations' second moment at 1;
 * the backward condition {@code fan_out·Var(W)·E[f'²] = 1} keeps the gradients'. For activations that are
 * not positively homogeneous (everything but the ReLU family) the values hold at unit pre-activation
 * variance, the fixed point the init is designed for. Obtained from {@link Gains#of}; immutable.
 */
public final class ActivationMoments {

    private final String activation;
    private final double forwardMoment;
    private final double backwardMoment;

    ActivationMoments(String activation, double forwardMoment, double backwardMoment) {
        this.activation = activation;
        this.forwardMoment = forwardMoment;
        this.backwardMoment = backwardMoment;
    }

    /** The activation these gains belong to, as its {@code toString()}. */
    public String activation() {
        return activation;
    }

    /** {@code E[f(z)²]}, z ~ N(0,1). */
    public double forwardMoment() {
        return forwardMoment;
    }

    /** {@code E[f'(z)²]}, z ~ N(0,1). */
    public double backwardMoment() {
        return backwardMoment;
    }

    /** {@code 1/√E[f(z)²]}: the fan_in gain. */
    public double fanInGain() {
        return 1.0 / Math.sqrt(forwardMoment);
    }

    /** {@code 1/√E[f'(z)²]}: the fan_out gain. */
    public double fanOutGain() {
        return 1.0 / Math.sqrt(backwardMoment);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ActivationMoments)) {
            return false;
        }
        ActivationMoments that = (ActivationMoments) o;
        return activation.equals(that.activation)
                && Double.compare(forwardMoment, that.forwardMoment) == 0
                && Double.compare(backwardMoment, that.backwardMoment) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(activation, forwardMoment, backwardMoment);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "ActivationMoments(%s: fan_in gain %.6f, fan_out gain %.6f; E[f²] %.9g, E[f'²] %.9g)",
                activation,
                fanInGain(),
                fanOutGain(),
                forwardMoment,
                backwardMoment);
    }
}
