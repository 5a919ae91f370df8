package dev.heinit.config;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

import dev.heinit.gain.ActivationMoments;
import dev.heinit.gain.Gains;

/**
 * What feeds a layer: the nonlinearity f applied to a unit signal z ~ N(0,1) (null for a mixture such as a sum or
 * a concatenation), with its moments {@code forward = E[f(z)²]}, {@code backward = E[f'(z)²]} and
 * {@code mean = E[f(z)]} (branches' means add a cross term to a sum's second moment), and the caveat: an
 * assumption made on the way (looked-through layers), noted on the next weight row. Immutable.
 */
final class Feed {
    final IActivation activation; // null for a mixture
    final String description;
    final double forward;
    final double backward;
    final double mean; // E[f(z)]: branches' means add a cross term to a sum's second moment
    final String caveat; // an assumption made on the way (looked-through layers), noted on the next weight row
    final boolean fromInput; // a network input, through nothing but dropout, preprocessors and shape-only layers

    Feed(IActivation activation, String description, double forward, double backward, double mean) {
        this(activation, description, forward, backward, mean, "");
    }

    Feed(IActivation activation, String description, double forward, double backward, double mean, String caveat) {
        this(activation, description, forward, backward, mean, caveat, false);
    }

    private Feed(
            IActivation activation,
            String description,
            double forward,
            double backward,
            double mean,
            String caveat,
            boolean fromInput) {
        this.activation = activation;
        this.description = description;
        this.forward = forward;
        this.backward = backward;
        this.mean = mean;
        this.caveat = caveat;
        this.fromInput = fromInput;
    }

    /**
     * A network input: {@code a} applied to a unit signal, or, when the input's moments are given
     * ({@code moments != null}), a signal of exactly those moments (mean, second moment), taken as mixed (no single
     * activation), with the backward moment of the identity.
     */
    static Feed input(IActivation a, InputScale.Measured moments) {
        Feed s = moments == null
                ? of(a)
                : new Feed(null, moments.description(), moments.secondMoment(), 1.0, moments.mean());
        return new Feed(s.activation, s.description, s.forward, s.backward, s.mean, s.caveat, true);
    }

    static Feed of(IActivation a) {
        if (a == null || a instanceof ActivationIdentity) {
            return new Feed(new ActivationIdentity(), "identity", 1.0, 1.0, 0.0);
        }
        ActivationMoments g = Gains.of(a);
        return new Feed(a, a.toString(), g.forwardMoment(), g.backwardMoment(), GaussianMoments.mean(a));
    }

    /** As {@link #of}, but an activation without a gain (softmax) gives an assumed unit signal. */
    static Feed lenient(IActivation a) {
        try {
            return of(a);
        } catch (IllegalArgumentException e) {
            return unit(a + " (no gain: output assumed unit second moment)");
        }
    }

    static Feed unit(String why) {
        return new Feed(null, why, 1.0, 1.0, 0.0, "");
    }

    Feed withCaveat(String c) {
        if (c == null || c.isEmpty() || caveat.contains(c)) {
            return this;
        }
        return new Feed(activation, description, forward, backward, mean, join(caveat, c), fromInput);
    }

    /** The composition f∘(what feeds it) of a non-mixed signal: an ActivationLayer after a layer. */
    static Feed activate(Feed feed, IActivation a) {
        if (feed.activation instanceof ActivationIdentity) {
            return lenient(a).withCaveat(feed.caveat);
        }
        return lenient(new ComposedActivation(feed.activation, a)).withCaveat(feed.caveat);
    }

    /** {@code a; b}, either may be empty. */
    static String join(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a == null ? "" : a;
        }
        return a == null || a.isEmpty() ? b : a + "; " + b;
    }
}
