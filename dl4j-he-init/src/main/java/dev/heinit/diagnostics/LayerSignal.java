package dev.heinit.diagnostics;

import java.util.Locale;
import java.util.Objects;

import dev.heinit.stats.ExampleCorrelation;
import dev.heinit.stats.TensorStats;

/**
 * One layer's signal statistics from one forward and one backward pass (immutable value).
 *
 * <ul>
 *   <li>{@link #preActivation()}: z, the input of the activation function (for layers without one, and
 *       recurrent layers, the layer's output); {@link #activation()}: a = f(z), the layer's output.</li>
 *   <li>{@link #delta()}: δ = ∂L/∂z per example (DL4J's backprop differentiates the summed loss
 *       L = Σₙ ℓₙ), through the activation's derivative: δ = f'(z) ⊙ ∂L/∂a.</li>
 *   <li>{@link #deadFraction()}: units (one per output element of an example: a feature, or a
 *       channel·position) with a = 0 for every example of the batch.</li>
 *   <li>{@link #saturatedFraction()}: for a bounded activation (finite f(±∞) with upper &gt; lower, found by
 *       probing f at ±10³ and ±10⁴), the fraction of activations within margin·(upper − lower) of a bound;
 *       NaN for unbounded activations.</li>
 *   <li>{@link #weightRms()}: RMS of the {@code W} parameter; {@link #gradientWeightRms()},
 *       {@link #gradientBiasRms()}: RMS of ∂L/∂W, ∂L/∂b of the <em>mean</em> loss (DL4J's gradient divided by
 *       the minibatch size, as the updater applies it); {@link #updateRatio()} = gradientWeightRms / weightRms,
 *       the relative step per unit SGD learning rate (≈1e-3·lr⁻¹ is the usual rule of thumb).</li>
 *   <li>{@link #forwardRatio()} = RMS(a) / RMS(layer input) (for a graph vertex with several inputs, their
 *       pooled RMS); {@link #backwardRatio()} = RMS(δ) / RMS(δ of the next layer(s)) (the pooled δ of the
 *       vertices this layer feeds); NaN where undefined.</li>
 * </ul>
 * All moments exclude non-finite values, which are counted instead ({@link #nanCount()}, {@link #infCount()}).
 */
public final class LayerSignal {

    private final int index;
    private final String name;
    private final String type;
    private final String activationFunction;
    private final boolean output;
    private final TensorStats preActivation;
    private final TensorStats activation;
    private final TensorStats delta;
    private final TensorStats weight;
    private final TensorStats gradientWeight;
    private final TensorStats gradientBias;
    private final double deadFraction;
    private final double saturatedFraction;
    private final double forwardRatio;
    private final double backwardRatio;
    private final double cosineRaw;
    private final double cosineCentred;
    private final double predictedChi;
    private final double preActivationMaxAbs;
    private final long positions;

    LayerSignal(
            int index,
            String name,
            String type,
            String activationFunction,
            boolean output,
            TensorStats preActivation,
            TensorStats activation,
            TensorStats delta,
            TensorStats weight,
            TensorStats gradientWeight,
            TensorStats gradientBias,
            double deadFraction,
            double saturatedFraction,
            double forwardRatio,
            double backwardRatio,
            double cosineRaw,
            double cosineCentred,
            double predictedChi,
            double preActivationMaxAbs,
            long positions) {
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.activationFunction = Objects.requireNonNull(activationFunction, "activationFunction");
        this.output = output;
        this.preActivation = Objects.requireNonNull(preActivation, "preActivation");
        this.activation = Objects.requireNonNull(activation, "activation");
        this.delta = Objects.requireNonNull(delta, "delta");
        this.weight = Objects.requireNonNull(weight, "weight");
        this.gradientWeight = Objects.requireNonNull(gradientWeight, "gradientWeight");
        this.gradientBias = Objects.requireNonNull(gradientBias, "gradientBias");
        this.deadFraction = deadFraction;
        this.saturatedFraction = saturatedFraction;
        this.forwardRatio = forwardRatio;
        this.backwardRatio = backwardRatio;
        this.cosineRaw = cosineRaw;
        this.cosineCentred = cosineCentred;
        this.predictedChi = predictedChi;
        this.preActivationMaxAbs = preActivationMaxAbs;
        this.positions = positions;
    }

    LayerSignal withBackwardGain(double gain) {
        return new LayerSignal(
                index,
                name,
                type,
                activationFunction,
                output,
                preActivation,
                activation,
                delta,
                weight,
                gradientWeight,
                gradientBias,
                deadFraction,
                saturatedFraction,
                forwardRatio,
                gain,
                cosineRaw,
                cosineCentred,
                predictedChi,
                preActivationMaxAbs,
                positions);
    }

    /**
     * The positions P at which one weight is applied per example: H·W of a convolution's output, the length of a
     * sequence, 1 for a dense layer (the layer's output elements per example over its nOut; 1 if it has none).
     * ∂L/∂W sums δ·x over them, so {@code √P·RMS(δ)} is the scale of the weight gradient that δ makes.
     */
    public long positions() {
        return positions;
    }

    /** Position in the report: layer index (MultiLayerNetwork) or topological rank among layers (graph). */
    public int index() {
        return index;
    }

    /** Layer name (graph: vertex name; MultiLayerNetwork: the configured name, else the index). */
    public String name() {
        return name;
    }

    /** Simple class name of the layer configuration, e.g. {@code DenseLayer}. */
    public String type() {
        return type;
    }

    /** The activation function as DL4J prints it (e.g. {@code relu}), or {@code none}. */
    public String activationFunction() {
        return activationFunction;
    }

    /** Whether this is an output layer (computes the loss); excluded from DEAD_UNITS and SATURATED. */
    public boolean isOutput() {
        return output;
    }

    /** Whether the layer has a {@code W} parameter (the layers the forward/backward ratios run over). */
    public boolean isWeighted() {
        return weight.present();
    }

    /** Statistics of z, the input of the activation function. */
    public TensorStats preActivation() {
        return preActivation;
    }

    /** Statistics of a = f(z), the layer's output. */
    public TensorStats activation() {
        return activation;
    }

    /** Statistics of δ = ∂L/∂z per example ({@link TensorStats#ABSENT} where backprop did not reach). */
    public TensorStats delta() {
        return delta;
    }

    /** Statistics of the {@code W} parameter ({@link TensorStats#ABSENT} if none). */
    public TensorStats weight() {
        return weight;
    }

    /** Statistics of ∂(mean loss)/∂W ({@link TensorStats#ABSENT} if none). */
    public TensorStats gradientWeight() {
        return gradientWeight;
    }

    /** Statistics of ∂(mean loss)/∂b ({@link TensorStats#ABSENT} if none). */
    public TensorStats gradientBias() {
        return gradientBias;
    }

    /** Fraction of units that are exactly zero for every example of the batch. */
    public double deadFraction() {
        return deadFraction;
    }

    /**
     * Fraction of the finite outputs within {@code margin·(upper − lower)} of a bound of the activation; NaN for an
     * unbounded activation. A floor, the value f takes on all of z ≤ 0 (ReLU's 0, also when capped), does not
     * count: those outputs are inactive units, which {@link #deadFraction()} is about.
     */
    public double saturatedFraction() {
        return saturatedFraction;
    }

    /** RMS of the {@code W} parameter; NaN if none. */
    public double weightRms() {
        return weight.rms();
    }

    /** RMS of ∂(mean loss)/∂W; NaN if none. */
    public double gradientWeightRms() {
        return gradientWeight.rms();
    }

    /** RMS of ∂(mean loss)/∂b; NaN if none. */
    public double gradientBiasRms() {
        return gradientBias.rms();
    }

    /** {@code gradientWeightRms / weightRms}. */
    public double updateRatio() {
        return gradientWeight.rms() / weight.rms();
    }

    /** RMS(a) / RMS(layer input). */
    public double forwardRatio() {
        return forwardRatio;
    }

    /** RMS(δ) / RMS(δ of the layer(s) this one feeds); NaN for the last layer. */
    public double backwardRatio() {
        return backwardRatio;
    }

    /**
     * Mean cosine similarity between different examples' outputs a (each example flattened), over the batch:
     * {@code mean_{i≠j} cos(a_i, a_j)} ({@link ExampleCorrelation#raw()}); NaN with fewer than two examples of
     * non-zero norm. Tends to 1 when the layer maps every input alike (the ordered phase).
     */
    public double cosineRaw() {
        return cosineRaw;
    }

    /**
     * The same mean cosine after subtracting the batch mean from every example's output
     * ({@link ExampleCorrelation#centred()}).
     */
    public double cosineCentred() {
        return cosineCentred;
    }

    /**
     * Measured χ: {@code backwardRatio²} = E[δ²] / E[δ_next²], the per-layer factor of the backward second moment
     * (Schoenholz et al. 2017, "Deep information propagation", χ₁); NaN where the backward ratio is.
     */
    public double measuredChi() {
        return backwardRatio * backwardRatio;
    }

    /**
     * Predicted χ: {@code σ_w²·E[f'(√q·z)²]}, z ~ N(0, 1), with q the layer's measured pre-activation second
     * moment and {@code σ_w² = fan_out·E[W²]} of the weights δ passes through next (the consuming layer's
     * {@code W}, fan_out counted {@link dev.heinit.fan.FanConvention#STRIDE_EXACT}: each input of a stride-s conv
     * reaches out·k²/s² outputs); E[f'²] by {@link dev.heinit.gain.Gains#at}. NaN where the layer has no
     * element-wise activation, or is not followed by exactly one weighted layer.
     */
    public double predictedChi() {
        return predictedChi;
    }

    /**
     * max |z| over the batch, measured only where δ is non-finite (the first layer of such, in backprop order, is
     * {@link SignalReport#firstNonFiniteDelta()}); NaN elsewhere. Tells an activation whose derivative overflows at
     * large z (DL4J's float Swish/GELU from |z| ≈ 44.4 / 26.5) from a network whose signal exploded.
     */
    public double preActivationMaxAbs() {
        return preActivationMaxAbs;
    }

    /** NaN count over z, a, δ, W, ∂L/∂W and ∂L/∂b. */
    public long nanCount() {
        return preActivation.nanCount()
                + activation.nanCount()
                + delta.nanCount()
                + weight.nanCount()
                + gradientWeight.nanCount()
                + gradientBias.nanCount();
    }

    /** ±∞ count over z, a, δ, W, ∂L/∂W and ∂L/∂b. */
    public long infCount() {
        return preActivation.infCount()
                + activation.infCount()
                + delta.infCount()
                + weight.infCount()
                + gradientWeight.infCount()
                + gradientBias.infCount();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LayerSignal)) {
            return false;
        }
        LayerSignal l = (LayerSignal) o;
        return index == l.index
                && output == l.output
                && name.equals(l.name)
                && type.equals(l.type)
                && activationFunction.equals(l.activationFunction)
                && preActivation.equals(l.preActivation)
                && activation.equals(l.activation)
                && delta.equals(l.delta)
                && weight.equals(l.weight)
                && gradientWeight.equals(l.gradientWeight)
                && gradientBias.equals(l.gradientBias)
                && Double.compare(deadFraction, l.deadFraction) == 0
                && Double.compare(saturatedFraction, l.saturatedFraction) == 0
                && Double.compare(forwardRatio, l.forwardRatio) == 0
                && Double.compare(backwardRatio, l.backwardRatio) == 0
                && Double.compare(cosineRaw, l.cosineRaw) == 0
                && Double.compare(cosineCentred, l.cosineCentred) == 0
                && Double.compare(predictedChi, l.predictedChi) == 0
                && Double.compare(preActivationMaxAbs, l.preActivationMaxAbs) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                index,
                name,
                type,
                activationFunction,
                output,
                preActivation,
                activation,
                delta,
                weight,
                gradientWeight,
                gradientBias,
                deadFraction,
                saturatedFraction,
                forwardRatio,
                backwardRatio,
                cosineRaw,
                cosineCentred,
                predictedChi,
                preActivationMaxAbs);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "LayerSignal{%d %s %s(%s), zRms=%.4g, aRms=%.4g, deltaRms=%.4g, dead=%.3f, "
                        + "sat=%.3f, wRms=%.4g, gW=%.4g, fwd=%.4g, bwd=%.4g, cos=%.4g, cosCentred=%.4g, chiPredicted=%.4g, "
                        + "zMaxAbs=%.4g}",
                index,
                name,
                type,
                activationFunction,
                preActivation.rms(),
                activation.rms(),
                delta.rms(),
                deadFraction,
                saturatedFraction,
                weightRms(),
                gradientWeightRms(),
                forwardRatio,
                backwardRatio,
                cosineRaw,
                cosineCentred,
                predictedChi,
                preActivationMaxAbs);
    }
}
