package dev.heinit.internal.dl4j;

import java.util.Locale;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The families the configuration pass does not configure but must see through: activation, normalization,
 * dropout, pooling, padding and loss layers, and the default for a type no rule claims.
 */
final class ParameterFreeRules {

    private ParameterFreeRules() {}

    /** ActivationLayer: y = g(x). */
    static final class Activation extends LayerRule {
        Activation(Layer layer) {
            super(layer);
        }

        @Override
        protected Transfer parameterFreeTransfer() {
            return Transfer.activation(((ActivationLayer) layer()).getActivationFn());
        }
    }

    /**
     * BatchNormalization: rescales to unit variance (γ 1, β 0 at init) and applies no activation; the gradient is
     * looked through (its 1/σ is not modelled). LSUV measures through it.
     */
    static final class BatchNorm extends LayerRule {
        BatchNorm(Layer layer) {
            super(layer);
        }

        @Override
        public Transfer transfer() {
            return Transfer.normalize("its 1/σ scaling of the gradient is not modelled");
        }

        @Override
        public boolean lsuvPassesThrough(long params) {
            return true;
        }
    }

    /**
     * DL4J's LocalResponseNormalization {@code y = x / (k + α·Σ_{n neighbours} x²)^β}: at init α·Σx² ≪ k (α 1e-4 by
     * default), so {@code y ≈ x·k^−β}, a scale c = k^−β both ways (DL4J's defaults k 2, β 0.75: second moments
     * ×0.354, RMS ×0.594, as measured in AlexNet).
     */
    static final class Lrn extends LayerRule {
        Lrn(Layer layer) {
            super(layer);
        }

        @Override
        protected Transfer parameterFreeTransfer() {
            LocalResponseNormalization lrn = (LocalResponseNormalization) layer();
            double c = Math.pow(lrn.getK(), -lrn.getBeta());
            return Transfer.scale(
                    c,
                    String.format(
                            Locale.ROOT,
                            "taken as x·k^−β = x·%.4g (k %s, β %s; its α·Σx² term, α %s, neglected at init):"
                                    + " second moments ×%.4g",
                            c,
                            lrn.getK(),
                            lrn.getBeta(),
                            lrn.getAlpha(),
                            c * c));
        }
    }

    /** Dropout: inverted dropout is the identity at inference and in expectation. */
    static final class Dropout extends LayerRule {
        Dropout(Layer layer) {
            super(layer);
        }

        @Override
        protected Transfer parameterFreeTransfer() {
            return Transfer.identity();
        }
    }

    /**
     * Pooling (Subsampling 1D/2D/3D over a window of n = ∏ kernel inputs, stride ∏ stride; GlobalPooling over the
     * whole map): its forward and backward rule in {@link PoolTransfer}.
     */
    static final class Pooling extends LayerRule {
        Pooling(Layer layer) {
            super(layer);
        }

        @Override
        protected Transfer parameterFreeTransfer() {
            PoolingType type;
            long window;
            double windowsPerInput = 1; // global pooling: one window covers every input
            Layer l = layer();
            if (l instanceof SubsamplingLayer) { // Subsampling1DLayer included
                type = ((SubsamplingLayer) l).getPoolingType();
                window = product(((SubsamplingLayer) l).getKernelSize());
                windowsPerInput = window / (double) product(((SubsamplingLayer) l).getStride());
            } else if (l instanceof Subsampling3DLayer) {
                type = ((Subsampling3DLayer) l).getPoolingType();
                window = product(((Subsampling3DLayer) l).getKernelSize());
                windowsPerInput = window / (double) product(((Subsampling3DLayer) l).getStride());
            } else {
                type = ((GlobalPoolingLayer) l).getPoolingType();
                window = 0;
            }
            if (type == null) {
                return super.parameterFreeTransfer();
            }
            // used only where the pass cannot model the pool (sum, p-norm, a global pool without an input type)
            String forward = "moments taken as unchanged: " + type + " pooling of this window not modelled";
            return Transfer.pool(
                    new PoolTransfer(Transfer.Pool.valueOf(type.name()), window, windowsPerInput),
                    forward,
                    " (" + type + " pooling routes it to some inputs: not modelled)");
        }

        private static long product(int[] kernel) {
            long n = 1;
            for (int k : kernel) {
                n *= k;
            }
            return n;
        }
    }

    /** Zero padding (1D, 2D, 3D): taken as the identity; the zero border lowers the second moment. */
    static final class ZeroPadding extends LayerRule {
        ZeroPadding(Layer layer) {
            super(layer);
        }

        @Override
        protected Transfer parameterFreeTransfer() {
            return Transfer.lookedThrough(
                    "moments taken as unchanged, but the zero border lowers the second moment by the padded"
                            + " fraction: not modelled",
                    "");
        }
    }

    /** Loss layers (Loss, CnnLoss, Cnn3DLoss, RnnLoss): output f(input), the loss follows. */
    static final class Loss extends LayerRule {
        Loss(Layer layer) {
            super(layer);
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
            Layer l = layer();
            if (l instanceof LossLayer) {
                return ((LossLayer) l).getLossFn();
            }
            if (l instanceof CnnLossLayer) {
                return ((CnnLossLayer) l).getLossFn();
            }
            if (l instanceof Cnn3DLossLayer) {
                return ((Cnn3DLossLayer) l).getLossFn();
            }
            return ((RnnLossLayer) l).getLossFn();
        }

        @Override
        protected Transfer parameterFreeTransfer() {
            return Transfer.lookedThrough("moments assumed unchanged", null);
        }
    }

    /** A type no rule claims: the defaults of {@link LayerRule}, recurrent if DL4J says so. */
    static final class Other extends LayerRule {
        Other(Layer layer) {
            super(layer);
        }

        @Override
        public boolean isRecurrent() {
            return layer() instanceof BaseRecurrentLayer;
        }
    }
}
