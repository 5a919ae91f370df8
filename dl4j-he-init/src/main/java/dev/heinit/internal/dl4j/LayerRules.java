package dev.heinit.internal.dl4j;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPadding3DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.conf.ocnn.OCNNOutputLayer;

/**
 * The registry of {@link LayerRule}s: which rule answers for a DL4J layer configuration type, checked against the
 * unwrapped layer in order (taught rules first, then the built-in families, most specific first); a type no rule
 * claims gets the default {@link LayerRule}.
 *
 * <p>Built-in families: SameDiff layers and OCNNOutput (unsupported); Bidirectional; GravesBidirectionalLSTM;
 * LSTM, GravesLSTM and SimpleRnn; every convolution (1D/2D/3D, transposed, depthwise, separable); Embedding(Sequence);
 * PReLU; ElementWiseMultiplication; CenterLossOutput; dense and output layers (Dense, Output, RnnOutput,
 * AutoEncoder); VariationalAutoencoder; BatchNormalization; ActivationLayer; LocalResponseNormalization; Dropout;
 * pooling (Subsampling 1D/2D/3D, GlobalPooling); zero padding (1D/2D/3D); loss layers (Loss, CnnLoss, Cnn3DLoss,
 * RnnLoss).
 */
@SuppressWarnings("deprecation") // GravesBidirectionalLSTM: deprecated, still in users' models
public final class LayerRules {

    private static final List<Map.Entry<Class<? extends Layer>, Function<Layer, LayerRule>>> RULES =
            new CopyOnWriteArrayList<>();

    static {
        add(AbstractSameDiffLayer.class, WeightedRules.Unsupported::new);
        add(OCNNOutputLayer.class, WeightedRules.Unsupported::new);
        add(Bidirectional.class, RecurrentRules.BidirectionalRule::new);
        add(GravesBidirectionalLSTM.class, RecurrentRules.GravesBidirectional::new);
        add(AbstractLSTM.class, RecurrentRules.Recurrent::new);
        add(SimpleRnn.class, RecurrentRules.Recurrent::new);
        add(ConvolutionLayer.class, ConvRule::new);
        add(EmbeddingLayer.class, WeightedRules.Embedding::new);
        add(EmbeddingSequenceLayer.class, WeightedRules.Embedding::new);
        add(PReLULayer.class, WeightedRules.PRelu::new);
        add(ElementWiseMultiplicationLayer.class, WeightedRules.ElementWiseScale::new);
        add(CenterLossOutputLayer.class, WeightedRules.CenterLoss::new);
        add(BaseOutputLayer.class, WeightedRules.Dense::new);
        add(DenseLayer.class, WeightedRules.Dense::new);
        add(AutoEncoder.class, WeightedRules.Dense::new);
        add(VariationalAutoencoder.class, WeightedRules.Vae::new);
        add(BatchNormalization.class, ParameterFreeRules.BatchNorm::new);
        add(ActivationLayer.class, ParameterFreeRules.Activation::new);
        add(LocalResponseNormalization.class, ParameterFreeRules.Lrn::new);
        add(DropoutLayer.class, ParameterFreeRules.Dropout::new);
        add(SubsamplingLayer.class, ParameterFreeRules.Pooling::new);
        add(Subsampling3DLayer.class, ParameterFreeRules.Pooling::new);
        add(GlobalPoolingLayer.class, ParameterFreeRules.Pooling::new);
        add(ZeroPaddingLayer.class, ParameterFreeRules.ZeroPadding::new);
        add(ZeroPadding1DLayer.class, ParameterFreeRules.ZeroPadding::new);
        add(ZeroPadding3DLayer.class, ParameterFreeRules.ZeroPadding::new);
        add(LossLayer.class, ParameterFreeRules.Loss::new);
        add(CnnLossLayer.class, ParameterFreeRules.Loss::new);
        add(Cnn3DLossLayer.class, ParameterFreeRules.Loss::new);
        add(RnnLossLayer.class, ParameterFreeRules.Loss::new);
    }

    private LayerRules() {}

    private static void add(Class<? extends Layer> type, Function<Layer, LayerRule> rule) {
        RULES.add(new AbstractMap.SimpleImmutableEntry<>(type, rule));
    }

    /**
     * The rule of {@code layer} (as configured, wrappers included): the first registered type the unwrapped layer
     * is an instance of, else the default rule.
     *
     * @throws IllegalArgumentException if layer is null
     */
    public static LayerRule of(Layer layer) {
        Layer l = LayerRule.unwrap(layer);
        for (Map.Entry<Class<? extends Layer>, Function<Layer, LayerRule>> e : RULES) {
            if (e.getKey().isInstance(l)) {
                return e.getValue().apply(layer);
            }
        }
        return new ParameterFreeRules.Other(layer);
    }

    /**
     * Teaches the library a layer type: layers of {@code type} (and its subclasses) get the rule {@code rule}
     * makes, before any built-in family. The configuration pass, the fans, LSUV, the diagnostics and the Keras
     * re-initialization follow.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public static void teach(Class<? extends Layer> type, Function<Layer, LayerRule> rule) {
        if (type == null || rule == null) {
            throw new IllegalArgumentException("type and rule must not be null, got " + type + ", " + rule);
        }
        RULES.add(0, new AbstractMap.SimpleImmutableEntry<>(type, rule));
    }
}
