package dev.heinit.lsuv;

import java.util.Objects;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Layer-sequential unit-variance initialization (Mishkin &amp; Matas 2016, "All you need is a good init", ICLR):
 * <ol>
 *   <li>pre-init each weight with an orthonormal matrix ({@link dev.heinit.OrthogonalInit}, gain 1) and zero the
 *       biases (both optional);</li>
 *   <li>for each layer l from the input: measure {@code v = Var(z_l)} on the batch and set
 *       {@code W_l ← W_l · √(target / v)} until {@code |v/target − 1| < tolerance} or {@code maxIterations}
 *       rescalings; {@code z_l} is the pre-activation (default) or the output, see {@link Measure}.</li>
 * </ol>
 *
 * <p><b>Cost, linear in depth.</b> Layer l is forwarded alone on the cached output of layers 0…l−1; when l is final
 * its output is computed once and becomes the next layer's input. With zero biases and pre-activations that is two
 * forward passes of the layer (measure, rescale, measure again: z is linear in W) plus one activation function,
 * about 2× one full forward pass of the network in all.
 *
 * <p><b>How the pre-activation is obtained</b> ({@code preOutput} is protected in DL4J): while layer l is measured,
 * its configuration's activation function is set to identity, so the layer's own {@code activate} (with its
 * pre-processor, convolution mode, helper …) returns {@code z}; the original function is restored in a
 * {@code finally} ({@link dev.heinit.internal.dl4j.LayerActivations}, which lists the DL4J layers whose output is
 * f(z); a layer outside that list is measured on its output). Where f(z) of the last measurement is the layer's
 * output ({@link dev.heinit.internal.dl4j.LayerActivations#outputIsActivationOf}: no mask, no softmax over rank
 * &gt; 2) it becomes the next layer's input; otherwise the layer is forwarded once more. Variances are
 * {@link dev.heinit.stats.TensorStats#variance()}, one pass in double. Layers run in inference mode (no dropout; batch norm applies its running
 * statistics), with their working memory in one reused workspace and their outputs detached; masks are not applied.
 *
 * <p><b>Handled layers</b>: every {@code BaseLayer} with a weight {@code W} and no recurrent weight (Dense,
 * Output, Conv1D/2D/3D, Deconv, Separable/Depthwise conv, Embedding …); only {@code W} is rescaled. The orthonormal
 * pre-init applies to rank-2 weights and to Conv1D/2D/3D ({@code [out, in·k…]}); other kernels keep their weights.
 * Layers without weights (pooling, activation, batch norm, dropout, graph vertices) pass through; others with
 * parameters (SameDiff, recurrent, wrapper/frozen layers) are reported as {@link LayerResult.Status#UNSUPPORTED} by
 * name and left alone.
 *
 * <p><b>Transactional</b>: on any failure the network's parameters are restored bitwise and an
 * {@link LsuvException} names the layer and the {@link LsuvException.Reason}. Randomness (the orthonormal draws)
 * comes from ND4J's RNG: {@code Nd4j.getRandom().setSeed(s)} makes the result bitwise repeatable.
 *
 * <pre>{@code
 * LsuvReport r = Lsuv.builder().tolerance(0.02).build().initialize(net, batch);
 * System.out.print(r.toText());
 * }</pre>
 * Immutable and thread-compatible (do not run it on the same network from two threads).
 */
public final class Lsuv {

    private final double tolerance;
    private final int maxIterations;
    private final double targetVariance;
    private final boolean orthonormal;
    private final Measure measure;
    private final boolean zeroBiases;
    private final boolean strict;

    private Lsuv(Builder b) {
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.targetVariance = b.targetVariance;
        this.orthonormal = b.orthonormal;
        this.measure = b.measure;
        this.zeroBiases = b.zeroBiases;
        this.strict = b.strict;
    }

    /** A builder with the paper's defaults: tolerance 0.1, 10 iterations, target 1, orthonormal, pre-activation, zero biases, not strict. */
    public static Builder builder() {
        return new Builder();
    }

    /** LSUV with all defaults (see {@link #builder()}). */
    public static Lsuv defaults() {
        return builder().build();
    }

    /** The target variance of {@link #smallSignal()}. */
    public static final double SMALL_SIGNAL_VARIANCE = 0.01;

    /**
     * LSUV to {@code Var(z) = 0.01} in every layer instead of 1 (the other settings as {@link #defaults()}): the
     * data-driven form of the small-signal critical point. For an activation smooth at 0 with σ_b = 0 (GELU, SiLU,
     * tanh, ELU …) the edge of chaos is the limit q → 0 with σ_w = 1/|f'(0)| ({@link dev.heinit.gain.Gains#critical});
     * at q = 0.01 the quadratic term of f is small next to the linear one ({@code |f''(0)|·√q / (2|f'(0)|)} = 8 % for
     * GELU, 5 % for SiLU), so each layer's measured rescaling lands near that σ_w while absorbing what the formula
     * cannot see (zero padding, the input's scale, curvature). At the unit variance of {@link #defaults()} GELU and
     * SiLU sit on an unstable fixed point of the variance map ({@code V'(q*) > 1}) that training leaves within a
     * few steps. For the ReLU family (scale-invariant) the target only scales the logits.
     */
    public static Lsuv smallSignal() {
        return builder().targetVariance(SMALL_SIGNAL_VARIANCE).build();
    }

    /** A builder holding this instance's settings. */
    public Builder toBuilder() {
        return new Builder()
                .tolerance(tolerance)
                .maxIterations(maxIterations)
                .targetVariance(targetVariance)
                .orthonormal(orthonormal)
                .measure(measure)
                .zeroBiases(zeroBiases)
                .strict(strict);
    }

    /**
     * Runs LSUV on an initialized network (call {@code net.init()} first) with one batch of features.
     *
     * @return what was done, per layer
     * @throws LsuvException if it fails; the parameters are then restored bitwise
     * @throws IllegalArgumentException if the network is not initialized or the batch is null
     */
    public LsuvReport initialize(MultiLayerNetwork net, INDArray features) {
        return new LsuvEngine(this, false).run(net, features);
    }

    /** As {@link #initialize(MultiLayerNetwork, INDArray)} with the batch's features (labels and masks are ignored). */
    public LsuvReport initialize(MultiLayerNetwork net, DataSet batch) {
        return initialize(net, features(batch));
    }

    /**
     * As {@link #initialize(MultiLayerNetwork, INDArray)} with the iterator's first batch; the iterator is reset
     * before and after when it supports it.
     */
    public LsuvReport initialize(MultiLayerNetwork net, DataSetIterator iterator) {
        return initialize(net, first(iterator));
    }

    /** Runs LSUV on an initialized graph, one feature array per network input, in input order. */
    public LsuvReport initialize(ComputationGraph graph, INDArray... features) {
        return new LsuvEngine(this, false).run(graph, features);
    }

    /** As {@link #initialize(ComputationGraph, INDArray...)} with the batch's features. */
    public LsuvReport initialize(ComputationGraph graph, DataSet batch) {
        return initialize(graph, features(batch));
    }

    /** As {@link #initialize(ComputationGraph, INDArray...)} with the batch's features. */
    public LsuvReport initialize(ComputationGraph graph, MultiDataSet batch) {
        Objects.requireNonNull(batch, "batch");
        return initialize(graph, batch.getFeatures());
    }

    /** As {@link #initialize(ComputationGraph, INDArray...)} with the iterator's first batch (reset before and after if supported). */
    public LsuvReport initialize(ComputationGraph graph, DataSetIterator iterator) {
        return initialize(graph, first(iterator));
    }

    /** As {@link #initialize(ComputationGraph, INDArray...)} with the iterator's first batch (reset before and after if supported). */
    public LsuvReport initialize(ComputationGraph graph, MultiDataSetIterator iterator) {
        if (iterator == null) {
            throw new IllegalArgumentException("iterator must not be null");
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        if (!iterator.hasNext()) {
            throw new LsuvException(LsuvException.Reason.EMPTY_BATCH, "batch", "the iterator has no batch", null);
        }
        MultiDataSet first = iterator.next();
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        return initialize(graph, first);
    }

    /**
     * Measures, without changing anything, what LSUV would measure: per layer the variance of the pre-activation
     * (or output, by {@link Measure}) on this batch, and whether it is within tolerance of the target. Use it to
     * check an initialized network on held-out data. (Named apart from {@link #measure()}, which says <em>what</em>
     * is measured.)
     */
    public LsuvReport check(MultiLayerNetwork net, INDArray features) {
        return new LsuvEngine(this, true).run(net, features);
    }

    /** As {@link #check(MultiLayerNetwork, INDArray)} for a graph. */
    public LsuvReport check(ComputationGraph graph, INDArray... features) {
        return new LsuvEngine(this, true).run(graph, features);
    }

    private static INDArray features(DataSet batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        return batch.getFeatures();
    }

    private static DataSet first(DataSetIterator iterator) {
        if (iterator == null) {
            throw new IllegalArgumentException("iterator must not be null");
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        if (!iterator.hasNext()) {
            throw new LsuvException(LsuvException.Reason.EMPTY_BATCH, "batch", "the iterator has no batch", null);
        }
        DataSet first = iterator.next();
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        return first;
    }

    /** Relative tolerance: a layer has converged when {@code |Var/target − 1| < tolerance}. */
    public double tolerance() {
        return tolerance;
    }

    /** Maximum rescalings per layer. */
    public int maxIterations() {
        return maxIterations;
    }

    /** The variance each layer is driven to. */
    public double targetVariance() {
        return targetVariance;
    }

    /** Whether weights are replaced by orthonormal matrices first (false: rescale the weights already there). */
    public boolean orthonormal() {
        return orthonormal;
    }

    /** What is measured. */
    public Measure measure() {
        return measure;
    }

    /** Whether the biases of adjusted layers are set to zero first. */
    public boolean zeroBiases() {
        return zeroBiases;
    }

    /** Whether a layer that does not converge is an error (else it is flagged in the report). */
    public boolean strict() {
        return strict;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Lsuv)) {
            return false;
        }
        Lsuv l = (Lsuv) o;
        return Double.compare(tolerance, l.tolerance) == 0
                && maxIterations == l.maxIterations
                && Double.compare(targetVariance, l.targetVariance) == 0
                && orthonormal == l.orthonormal
                && measure == l.measure
                && zeroBiases == l.zeroBiases
                && strict == l.strict;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tolerance, maxIterations, targetVariance, orthonormal, measure, zeroBiases, strict);
    }

    @Override
    public String toString() {
        return "Lsuv(tolerance=" + tolerance + ", maxIterations=" + maxIterations + ", targetVariance="
                + targetVariance + ", orthonormal=" + orthonormal + ", measure=" + measure + ", zeroBiases="
                + zeroBiases + ", strict=" + strict + ")";
    }

    /** Fluent, validating builder for {@link Lsuv}. */
    public static final class Builder {
        private double tolerance = 0.1;
        private int maxIterations = 10;
        private double targetVariance = 1.0;
        private boolean orthonormal = true;
        private Measure measure = Measure.PRE_ACTIVATION;
        private boolean zeroBiases = true;
        private boolean strict = false;

        private Builder() {}

        /**
         * Relative tolerance, {@code |Var/target − 1| < tolerance}; default 0.1 (the paper's; 0.02–0.1 are common).
         *
         * @throws IllegalArgumentException unless {@code 0 < tolerance < 1}
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Maximum rescalings per layer; default 10.
         *
         * @throws IllegalArgumentException unless {@code maxIterations ≥ 1}
         */
        public Builder maxIterations(int maxIterations) {
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            }
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * The variance to reach; default 1.
         *
         * @throws IllegalArgumentException unless positive and finite
         */
        public Builder targetVariance(double targetVariance) {
            if (!(targetVariance > 0) || !Double.isFinite(targetVariance)) {
                throw new IllegalArgumentException("targetVariance must be > 0 and finite, got " + targetVariance);
            }
            this.targetVariance = targetVariance;
            return this;
        }

        /** Orthonormal pre-init (default true); false rescales the weights already there (e.g. "He + LSUV"). */
        public Builder orthonormal(boolean orthonormal) {
            this.orthonormal = orthonormal;
            return this;
        }

        /**
         * Pre-activation (default) or post-activation.
         *
         * @throws IllegalArgumentException if null
         */
        public Builder measure(Measure measure) {
            if (measure == null) {
                throw new IllegalArgumentException("measure must be PRE_ACTIVATION or POST_ACTIVATION, got null");
            }
            this.measure = measure;
            return this;
        }

        /** Zero the biases of adjusted layers first (default true); false keeps them. */
        public Builder zeroBiases(boolean zeroBiases) {
            this.zeroBiases = zeroBiases;
            return this;
        }

        /** Fail (and restore) when a layer does not converge (default false: flag it in the report). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** The configured, immutable {@link Lsuv}. */
        public Lsuv build() {
            return new Lsuv(this);
        }
    }
}
