package dev.heinit.examples.fast;

import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's oneDNN convolution helper for a layer fed directly by the network input, whose backward pass computes
 * only the parameter gradients and returns a null input gradient (epsilon):
 *
 * <pre>
 *   ∂L/∂W[o, c, i, j] = Σ_n Σ_{y, x} δ[n, o, y, x] · x[n, c, y·s + i·d − p, x·s + j·d − p]   (im2col, a gemm per example)
 *   ∂L/∂b[o]          = Σ_{n, y, x} δ[n, o, y, x]
 * </pre>
 *
 * <p>Why: DL4J's {@code MultiLayerNetwork} asks layer 0 for the gradient with respect to the network input and
 * then discards it (unless {@code calculateGradients} wants it); {@link MKLDNNConvHelper} has oneDNN compute it
 * (Winograd backward-data) and, for one input channel, reorders the input into a zero-padded 16-channel-blocked
 * layout for the weight gradient. The sums are exact up to float rounding (another summation order than oneDNN's
 * or DL4J's built-in path, so the last bits differ). The forward pass, activations and every other layout (NHWC,
 * non-float types) are the wrapped helper's.
 *
 * <p>Extends {@link MKLDNNConvHelper} because {@code ConvolutionLayer} tests {@code instanceof MKLDNNConvHelper}
 * (oneDNN takes a layer without bias; cuDNN needs a dummy one).
 */
public final class WeightGradientConvHelper extends MKLDNNConvHelper {

    private final MKLDNNConvHelper original;

    /** Wraps the helper DL4J attached to the layer; {@link #original()} gives it back. */
    public WeightGradientConvHelper(MKLDNNConvHelper original) {
        super(DataType.FLOAT);
        this.original = original;
    }

    /** The wrapped helper, as DL4J created it. */
    public MKLDNNConvHelper original() {
        return original;
    }

    @Override
    public boolean checkSupported() {
        return original.checkSupported();
    }

    @Override
    public INDArray preOutput(
            INDArray input,
            INDArray weights,
            INDArray bias,
            int[] kernel,
            int[] strides,
            int[] pad,
            AlgoMode mode,
            FwdAlgo fwdAlgo,
            ConvolutionMode convolutionMode,
            int[] dilation,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        return original.preOutput(
                input,
                weights,
                bias,
                kernel,
                strides,
                pad,
                mode,
                fwdAlgo,
                convolutionMode,
                dilation,
                format,
                workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return original.activate(z, afn, training);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return original.helperMemoryUse();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray input,
            INDArray weights,
            INDArray bias,
            INDArray delta,
            int[] kernel,
            int[] strides,
            int[] pad,
            INDArray biasGradView,
            INDArray weightGradView,
            IActivation afn,
            AlgoMode mode,
            BwdFilterAlgo bwdFilterAlgo,
            BwdDataAlgo bwdDataAlgo,
            ConvolutionMode convolutionMode,
            int[] dilation,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (format != CNN2DFormat.NCHW || input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT) {
            return original.backpropGradient(
                    input,
                    weights,
                    bias,
                    delta,
                    kernel,
                    strides,
                    pad,
                    biasGradView,
                    weightGradView,
                    afn,
                    mode,
                    bwdFilterAlgo,
                    bwdDataAlgo,
                    convolutionMode,
                    dilation,
                    format,
                    workspaceMgr);
        }
        long miniBatch = input.size(0);
        long outDepth = weights.size(0);
        long inDepth = weights.size(1);
        int kH = (int) weights.size(2);
        int kW = (int) weights.size(3);
        long outH = delta.size(2);
        long outW = delta.size(3);
        long taps = inDepth * kH * kW;
        // im2col's own layout [n, c, i, j, y, x]: contiguous writes (the built-in path writes a permuted view, 3x
        // slower here); the layer passes Same mode's top-left padding already, im2col wants it and the flag
        INDArray col = workspaceMgr.createUninitialized(
                ArrayType.BP_WORKING_MEM, input.dataType(), new long[] {miniBatch, inDepth, kH, kW, outH, outW}, 'c');
        Convolution.im2col(
                input,
                kH,
                kW,
                strides[0],
                strides[1],
                pad[0],
                pad[1],
                dilation[0],
                dilation[1],
                convolutionMode == ConvolutionMode.Same,
                col);
        // one gemm per example, δ_n [o, yx] · col_n[c i j, yx]ᵀ, then the sum over examples: no permuted copy of δ
        // (on the default net the built-in path's [o, n yx] copy of δ alone took 12 ms, as long as oneDNN's backward)
        INDArray perExample = workspaceMgr.createUninitialized(
                ArrayType.BP_WORKING_MEM, input.dataType(), new long[] {miniBatch, outDepth, taps}, 'c');
        Nd4j.matmul(
                delta.reshape('c', miniBatch, outDepth, outH * outW),
                col.reshape('c', miniBatch, taps, outH * outW),
                perExample,
                false,
                true,
                false);
        weightGradView.assign(perExample.sum(0).reshape('c', weightGradView.shape()));

        Gradient g = new DefaultGradient();
        if (biasGradView != null) {
            delta.sum(biasGradView, 0, 2, 3);
            g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        return new Pair<>(g, null);
    }
}
