package dev.heinit.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPadding3DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.ocnn.OCNNOutputLayer;

/**
 * The single place that knows DL4J 1.0.0-M2.1 layer configurations by type: how to unwrap them, whether they
 * output their configured activation of their own pre-activation, which are embeddings, output or loss layers,
 * which parameter keys are fan-scaled weights, and which layers the library cannot model. A new layer type is
 * taught here (and its fans in {@code dev.heinit.fan.Fans} if it has weights); the configuration pass, LSUV and
 * the diagnostics ask this class.
 *
 * <p>Checked against the layer implementations' {@code activate} methods: Dense, Output, RnnOutput,
 * CenterLossOutput, every convolution (1D/2D/3D, transposed 2D/3D, depthwise, separable), Embedding(Sequence),
 * ElementWiseMultiplication, AutoEncoder, SimpleRnn and the loss layers (Loss, CnnLoss, Cnn3DLoss, RnnLoss, whose
 * pre-activation is their input) output {@code f(z)} with f their configured activation. SimpleRnn counts in:
 * {@code h_t = f(W·x_t + R·h_{t−1} + b)} is f of its own pre-activation (which contains the recurrence; see
 * {@link #isRecurrent}). Not in the list although they carry an activation: BatchNormalization (never applied),
 * PReLU (its learned slopes), LSTM and GravesLSTM (f inside gates), OCNNOutput (f of a hidden product, then a
 * second linear map), Bidirectional (two layers, merged).
 */
public final class LayerCatalog {

    private LayerCatalog() {}

    /**
     * The layer a FrozenLayer or wrapper ({@code BaseWrapperLayer}: FrozenLayerWithBackprop, LastTimeStep,
     * TimeDistributed, MaskZero …) answers for, through any depth of wrapping; the layer itself otherwise.
     * Bidirectional is not a wrapper here: it holds two layers ({@link #baseLayers}).
     *
     * @throws IllegalArgumentException if layer is null
     */
    public static Layer unwrap(Layer layer) {
        Layer l = requireLayer(layer);
        while (l instanceof FrozenLayer || l instanceof BaseWrapperLayer) {
            l = l instanceof FrozenLayer ? ((FrozenLayer) l).getLayer() : ((BaseWrapperLayer) l).getUnderlying();
        }
        return l;
    }

    /**
     * True if the (unwrapped) layer's output is its configured activation applied to its own pre-activation (the
     * list in the class comment).
     */
    public static boolean appliesActivation(Layer layer) {
        Layer l = unwrap(layer);
        return l instanceof DenseLayer
                || l instanceof OutputLayer
                || l instanceof RnnOutputLayer
                || l instanceof CenterLossOutputLayer
                || l instanceof ConvolutionLayer
                || l instanceof EmbeddingLayer
                || l instanceof EmbeddingSequenceLayer
                || l instanceof ElementWiseMultiplicationLayer
                || l instanceof AutoEncoder
                || l instanceof SimpleRnn
                || l instanceof LossLayer
                || l instanceof CnnLossLayer
                || l instanceof Cnn3DLossLayer
                || l instanceof RnnLossLayer;
    }

    /**
     * True for recurrent layers (SimpleRnn, LSTM, GravesLSTM, GravesBidirectionalLSTM, Bidirectional): their
     * pre-activation at step t contains their own output at t−1, so replacing the activation by the identity to
     * read z changes z itself.
     */
    public static boolean isRecurrent(Layer layer) {
        Layer l = unwrap(layer);
        return l instanceof BaseRecurrentLayer || l instanceof Bidirectional;
    }

    /** True for Embedding and EmbeddingSequence (after unwrapping): their input is indices, a row is looked up. */
    public static boolean isEmbedding(Layer layer) {
        Layer l = unwrap(layer);
        return l instanceof EmbeddingLayer || l instanceof EmbeddingSequenceLayer;
    }

    /**
     * True for layers the loss follows (after unwrapping): output layers ({@code BaseOutputLayer}: Output,
     * RnnOutput, CenterLossOutput, OCNNOutput) and the parameter-free loss layers (Loss, CnnLoss, Cnn3DLoss,
     * RnnLoss).
     */
    public static boolean isOutputLayer(Layer layer) {
        Layer l = unwrap(layer);
        return l instanceof BaseOutputLayer
                || l instanceof LossLayer
                || l instanceof CnnLossLayer
                || l instanceof Cnn3DLossLayer
                || l instanceof RnnLossLayer;
    }

    /**
     * The parameter keys DL4J gives this layer's weights (fan-scaled or not: PReLU's slopes, CenterLoss's
     * centers), in DL4J's order; Bidirectional prefixes the wrapped layer's keys with {@code f} and {@code b}.
     * Empty for layer types the library has no fan model for, and for layers without weights.
     */
    @SuppressWarnings("deprecation") // GravesBidirectionalLSTM: deprecated, still in users' models
    public static Set<String> weightKeys(Layer layer) {
        Layer l = unwrap(layer);
        if (l instanceof Bidirectional) {
            Set<String> out = new LinkedHashSet<>();
            for (String k : weightKeys(((Bidirectional) l).getFwd())) {
                out.add("f" + k);
            }
            for (String k : weightKeys(((Bidirectional) l).getBwd())) {
                out.add("b" + k);
            }
            return Collections.unmodifiableSet(out);
        }
        if (l instanceof GravesBidirectionalLSTM) {
            return keys("WF", "WB", "RWF", "RWB");
        }
        if (l instanceof AbstractLSTM || l instanceof SimpleRnn) {
            return keys("W", "RW");
        }
        if (l instanceof SeparableConvolution2D) {
            return keys("W", "pW");
        }
        if (l instanceof CenterLossOutputLayer) {
            return keys("W", "cL");
        }
        if (l instanceof ConvolutionLayer
                || l instanceof EmbeddingLayer
                || l instanceof EmbeddingSequenceLayer
                || l instanceof PReLULayer
                || l instanceof ElementWiseMultiplicationLayer
                || l instanceof DenseLayer
                || (l instanceof BaseOutputLayer && !(l instanceof OCNNOutputLayer))
                || l instanceof AutoEncoder) {
            return keys("W");
        }
        return Collections.emptySet();
    }

    /**
     * Why this layer's weights are not modelled, if so: OCNNOutputLayer (a one-class objective); SameDiff layers
     * (SelfAttention, LearnedSelfAttention, RecurrentAttention, LocallyConnected1D/2D, Capsule, PrimaryCapsules
     * and users' own) take the {@code WeightInit} enum only. Looks through wrappers and Bidirectional.
     */
    public static Optional<String> unsupportedReason(Layer layer) {
        Layer l = unwrap(layer);
        while (l instanceof Bidirectional) {
            l = unwrap(((Bidirectional) l).getFwd());
        }
        if (l instanceof OCNNOutputLayer) {
            // Not an ordinary output layer: V [nIn, hidden], w [1, hidden] and the threshold r of a one-class
            // objective (Chalapathy et al. 2018), which DL4J initializes its own way.
            return Optional.of(
                    "OCNNOutputLayer" + (layer.getLayerName() == null ? "" : " ('" + layer.getLayerName() + "')")
                            + " not modelled: its parameters (V, W, r) belong to a one-class objective, not a"
                            + " fan-scaled output layer; its own init is kept");
        }
        if (l instanceof AbstractSameDiffLayer) {
            return Optional.of("unsupported layer " + l.getClass().getSimpleName()
                    + (layer.getLayerName() == null ? "" : " ('" + layer.getLayerName() + "')")
                    + ": a SameDiff layer, DL4J never passes its weights to a custom IWeightInit (it takes the"
                    + " WeightInit enum only)");
        }
        return Optional.empty();
    }

    /** The pooling type of a pooling layer (Subsampling 1D/2D/3D, GlobalPooling), after unwrapping; else empty. */
    public static Optional<PoolingType> pooling(Layer layer) {
        Layer l = unwrap(layer);
        if (l instanceof SubsamplingLayer) { // Subsampling1DLayer included
            return Optional.ofNullable(((SubsamplingLayer) l).getPoolingType());
        }
        if (l instanceof Subsampling3DLayer) {
            return Optional.ofNullable(((Subsampling3DLayer) l).getPoolingType());
        }
        if (l instanceof GlobalPoolingLayer) {
            return Optional.ofNullable(((GlobalPoolingLayer) l).getPoolingType());
        }
        return Optional.empty();
    }

    /** True for zero-padding layers (1D, 2D, 3D), after unwrapping. */
    public static boolean isZeroPadding(Layer layer) {
        Layer l = unwrap(layer);
        return l instanceof ZeroPaddingLayer || l instanceof ZeroPadding1DLayer || l instanceof ZeroPadding3DLayer;
    }

    /**
     * The {@code BaseLayer}s inside a (possibly wrapped) layer, in a fixed order: a Bidirectional gives fwd, bwd.
     * These are the objects whose init slots ({@code setWeightInitFn}, and {@code setWeightInitFnRecurrent} for
     * recurrent layers) DL4J calls for the layer's weights.
     */
    public static List<BaseLayer> baseLayers(Layer layer) {
        List<BaseLayer> out = new ArrayList<>();
        Layer l = unwrap(layer);
        if (l instanceof Bidirectional) {
            out.addAll(baseLayers(((Bidirectional) l).getFwd()));
            out.addAll(baseLayers(((Bidirectional) l).getBwd()));
        } else if (l instanceof BaseLayer) {
            out.add((BaseLayer) l);
        }
        return out;
    }

    private static Set<String> keys(String... keys) {
        Set<String> s = new LinkedHashSet<>();
        Collections.addAll(s, keys);
        return Collections.unmodifiableSet(s);
    }

    private static Layer requireLayer(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("layer must be a DL4J layer configuration, got null");
        }
        return layer;
    }
}
