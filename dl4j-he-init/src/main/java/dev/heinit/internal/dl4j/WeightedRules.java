package dev.heinit.internal.dl4j;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The rules of the feed-forward layer families with weights (convolutions: {@link ConvRule}). */
final class WeightedRules {

    private WeightedRules() {}

    static Set<String> keys(String... keys) {
        Set<String> s = new LinkedHashSet<>();
        Collections.addAll(s, keys);
        return Collections.unmodifiableSet(s);
    }

    static String named(Layer layer) {
        return layer.getLayerName() == null ? "" : " ('" + layer.getLayerName() + "')";
    }

    /** The geometry of a [nIn, nOut] weight of a feed-forward layer, after checking the key. */
    static WeightGeometry geometry(LayerRule rule, String key, WeightGeometry.Role role, String note) {
        requireKey(rule, key);
        Layer l = rule.layer();
        // PReLU is not a FeedForwardLayer: its slopes have no nIn/nOut (and are not fan-scaled)
        long nIn = l instanceof FeedForwardLayer ? ((FeedForwardLayer) l).getNIn() : 0;
        long nOut = l instanceof FeedForwardLayer ? ((FeedForwardLayer) l).getNOut() : 0;
        double in = role == WeightGeometry.Role.EMBEDDING ? 1 : nIn;
        return new WeightGeometry(role, nIn, nOut, in, nOut, note, null);
    }

    static void requireKey(LayerRule rule, String key) {
        if (!rule.weightKeys().contains(key)) {
            throw badKey(rule, key);
        }
    }

    static IllegalArgumentException badKey(LayerRule rule, String key) {
        Layer l = rule.layer();
        return new IllegalArgumentException("'" + key + "' is not a weight parameter of "
                + l.getClass().getSimpleName() + " (layer '" + l.getLayerName() + "'); its weight parameters: "
                + String.join(", ", rule.weightKeys()));
    }

    /** Dense, Output, RnnOutput, AutoEncoder (encoder): W [nIn, nOut], output f(z). */
    static final class Dense extends LayerRule {
        Dense(Layer layer) {
            super(layer);
        }

        @Override
        public boolean appliesActivation() {
            return true;
        }

        @Override
        public boolean isOutput() {
            return layer() instanceof BaseOutputLayer;
        }

        @Override
        public ILossFunction lossFunction() {
            return layer() instanceof BaseOutputLayer ? ((BaseOutputLayer) layer()).getLossFn() : null;
        }

        @Override
        public Set<String> weightKeys() {
            return keys("W");
        }

        @Override
        public WeightGeometry weight(String key) {
            return geometry(this, key, WeightGeometry.Role.KERNEL, "");
        }
    }

    /** CenterLossOutput: W as a dense output layer, cL the class centers (DL4J starts them at zero). */
    static final class CenterLoss extends LayerRule {
        private final Dense dense;

        CenterLoss(Layer layer) {
            super(layer);
            dense = new Dense(layer);
        }

        @Override
        public boolean appliesActivation() {
            return true;
        }

        @Override
        public boolean isOutput() {
            return true;
        }

        @Override
        public ILossFunction lossFunction() {
            return dense.lossFunction();
        }

        @Override
        public Set<String> weightKeys() {
            return keys("W", "cL");
        }

        @Override
        public WeightGeometry weight(String key) {
            if ("cL".equals(key)) {
                return geometry(
                        this,
                        key,
                        WeightGeometry.Role.NOT_FAN_SCALED,
                        "center-loss class centers are not fan-scaled (DL4J starts them at zero)");
            }
            return dense.weight(key);
        }
    }

    /** Embedding, EmbeddingSequence: a row of W [vocab, nOut] is looked up (fan_in 1), output f(row). */
    static final class Embedding extends LayerRule {
        Embedding(Layer layer) {
            super(layer);
        }

        @Override
        public boolean appliesActivation() {
            return true;
        }

        @Override
        public boolean isEmbedding() {
            return true;
        }

        @Override
        public Set<String> weightKeys() {
            return keys("W");
        }

        @Override
        public WeightGeometry weight(String key) {
            return geometry(
                    this, key, WeightGeometry.Role.EMBEDDING, "lookup: each output sums one row (one-hot input)");
        }
    }

    /** ElementWiseMultiplication: y = f(x ⊙ w + b); w is a scale, not fan-scaled. */
    static final class ElementWiseScale extends LayerRule {
        ElementWiseScale(Layer layer) {
            super(layer);
        }

        @Override
        public boolean appliesActivation() {
            return true;
        }

        @Override
        public Set<String> weightKeys() {
            return keys("W");
        }

        @Override
        public WeightGeometry weight(String key) {
            return geometry(
                    this, key, WeightGeometry.Role.NOT_FAN_SCALED, "element-wise scale, not a fan-scaled weight");
        }
    }

    /**
     * PReLU: y = max(x, 0) + α·min(x, 0) with learned slopes α (W, not fan-scaled); its output is leaky ReLU of
     * its input when α starts constant. LSUV has nothing to rescale in it.
     */
    static final class PRelu extends LayerRule {
        PRelu(Layer layer) {
            super(layer);
        }

        @Override
        public Set<String> weightKeys() {
            return keys("W");
        }

        @Override
        public WeightGeometry weight(String key) {
            return geometry(
                    this, key, WeightGeometry.Role.NOT_FAN_SCALED, "PReLU alpha is a slope, not a fan-scaled weight");
        }

        @Override
        public OutputActivation output() {
            IWeightInit alphaInit = ((PReLULayer) layer()).getWeightInitFn();
            Double alpha = constant(alphaInit);
            if (alpha != null) {
                return new OutputActivation(alpha == 0.0 ? new ActivationReLU() : new ActivationLReLU(alpha), "");
            }
            return new OutputActivation(
                    new ActivationReLU(),
                    "PReLU with non-constant alpha init " + alphaInit + ": output assumed ReLU (alpha ≈ 0)");
        }

        @Override
        public boolean lsuvPassesThrough(long params) {
            return true;
        }

        private static Double constant(IWeightInit init) {
            if (!(init instanceof WeightInitConstant)) {
                return null;
            }
            try {
                Field f = WeightInitConstant.class.getDeclaredField("value");
                f.setAccessible(true);
                return f.getDouble(init);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }

    /** VariationalAutoencoder: its output is the pzx activation of its encoder; its weights have no fan model. */
    static final class Vae extends LayerRule {
        Vae(Layer layer) {
            super(layer);
        }

        @Override
        public OutputActivation output() {
            return new OutputActivation(((VariationalAutoencoder) layer()).getPzxActivationFn(), "");
        }
    }

    /**
     * Layers whose weights the library cannot model: OCNNOutputLayer (a one-class objective) and SameDiff layers
     * (SelfAttention, LearnedSelfAttention, RecurrentAttention, LocallyConnected1D/2D, Capsule, PrimaryCapsules
     * and users' own), which take the {@code WeightInit} enum only.
     */
    static final class Unsupported extends LayerRule {
        Unsupported(Layer layer) {
            super(layer);
        }

        @Override
        public boolean isOutput() {
            return layer() instanceof BaseOutputLayer;
        }

        @Override
        public Optional<String> unsupportedReason() {
            if (layer() instanceof AbstractSameDiffLayer) {
                return Optional.of("unsupported layer " + layer().getClass().getSimpleName()
                        + named(configured())
                        + ": a SameDiff layer, DL4J never passes its weights to a custom IWeightInit (it takes the"
                        + " WeightInit enum only)");
            }
            // Not an ordinary output layer: V [nIn, hidden], w [1, hidden] and the threshold r of a one-class
            // objective (Chalapathy et al. 2018), which DL4J initializes its own way.
            return Optional.of("OCNNOutputLayer" + named(configured())
                    + " not modelled: its parameters (V, W, r) belong to a one-class objective, not a"
                    + " fan-scaled output layer; its own init is kept");
        }

        @Override
        protected Optional<String> lsuvLeftAlone(
                String implementation, long numParams, Set<String> paramKeys, boolean baseImplementation) {
            return layer() instanceof AbstractSameDiffLayer
                    ? Optional.of("SameDiff layer: parameters not handled, left alone")
                    : super.lsuvLeftAlone(implementation, numParams, paramKeys, baseImplementation);
        }

        @Override
        public boolean lsuvPassesThrough(long params) {
            return !(layer() instanceof AbstractSameDiffLayer) && params == 0;
        }
    }
}
