package dev.heinit.fan;

import java.util.Arrays;
import java.util.Optional;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;

import dev.heinit.dl4j.LayerCatalog;

/**
 * True fans of every weight parameter of the DL4J layer configurations that carry weights.
 *
 * <table>
 *   <caption>Fans per layer (STRIDE_IGNORED; see {@link FanConvention} for the others)</caption>
 *   <tr><th>layer</th><th>parameter</th><th>fan_in</th><th>fan_out</th></tr>
 *   <tr><td>Dense, Output, RnnOutput, CenterLossOutput, AutoEncoder (encoder)</td><td>W [nIn, nOut]</td><td>nIn</td><td>nOut</td></tr>
 *   <tr><td>Conv1D / Conv2D / Conv3D</td><td>W</td><td>nIn·rf</td><td>nOut·rf</td></tr>
 *   <tr><td>Deconvolution2D / 3D</td><td>W</td><td>nIn·rf</td><td>nOut·rf</td></tr>
 *   <tr><td>DepthwiseConvolution2D (multiplier m)</td><td>W</td><td>rf</td><td>m·rf</td></tr>
 *   <tr><td>SeparableConvolution2D</td><td>W (depthwise) / pW (pointwise)</td><td>rf / nIn·m</td><td>m·rf / nOut</td></tr>
 *   <tr><td>SimpleRnn, LSTM, GravesLSTM (H units, G gates: 1 or 4)</td><td>W / RW</td><td>nIn / H</td><td>G·H / G·H</td></tr>
 *   <tr><td>GravesBidirectionalLSTM</td><td>WF, WB / RWF, RWB</td><td>nIn / H</td><td>4H / 4H</td></tr>
 *   <tr><td>Bidirectional(wrapped)</td><td>f…, b…</td><td colspan="2">those of the wrapped layer</td></tr>
 *   <tr><td>Embedding, EmbeddingSequence</td><td>W [vocab, nOut]</td><td>1 (a one-hot row is looked up)</td><td>nOut</td></tr>
 *   <tr><td>PReLU (W: slopes), CenterLoss (cL: centers), ElementWiseMultiplication (W)</td><td></td>
 *       <td colspan="2">not fan-scaled</td></tr>
 * </table>
 * Frozen and other wrapper layers ({@code BaseWrapperLayer}) answer for the layer they wrap. SameDiff layers
 * (self-attention, learned self-attention, recurrent attention, locally connected, capsules) are rejected by
 * name: DL4J never passes their weights to an {@code IWeightInit}, see {@link #unsupportedReason(Layer)};
 * OCNNOutputLayer (one-class objective, parameters V, W, r) is not modelled and reported there too.
 */
public final class Fans {

    private Fans() {}

    /**
     * The true fans of parameter {@code paramKey} of {@code layer}.
     *
     * @param layer      a layer configuration
     * @param paramKey   a weight parameter key, such as "W", "RW", "pW", "fW"
     * @param convention how to count convolution fans
     * @param input      the layer's input type (after its preprocessor); used only by {@link FanConvention#PADDING_AWARE}
     * @throws IllegalArgumentException for a SameDiff layer, a layer type without a fan model, a key that is not
     *                                  one of the layer's weights, or PADDING_AWARE without a usable input type
     */
    @SuppressWarnings("deprecation") // GravesBidirectionalLSTM: deprecated, still in users' models
    public static Fan of(Layer layer, String paramKey, FanConvention convention, InputType input) {
        if (layer == null || paramKey == null || convention == null) {
            throw new IllegalArgumentException("layer, paramKey and convention must not be null, got " + layer + ", "
                    + paramKey + ", " + convention + " (conventions: " + Arrays.toString(FanConvention.values()) + ")");
        }
        Optional<String> unsupported = unsupportedReason(layer);
        if (unsupported.isPresent()) {
            throw new IllegalArgumentException(unsupported.get());
        }
        layer = LayerCatalog.unwrap(layer);
        if (layer instanceof Bidirectional) {
            Bidirectional b = (Bidirectional) layer;
            if (paramKey.startsWith("f")) {
                return of(b.getFwd(), paramKey.substring(1), convention, input);
            }
            if (paramKey.startsWith("b")) {
                return of(b.getBwd(), paramKey.substring(1), convention, input);
            }
            throw badKey(layer, paramKey);
        }
        if (layer instanceof ConvolutionLayer) {
            return conv((ConvolutionLayer) layer, paramKey, convention, input);
        }
        if (layer instanceof GravesBidirectionalLSTM) {
            GravesBidirectionalLSTM l = (GravesBidirectionalLSTM) layer;
            switch (paramKey) {
                case "WF":
                case "WB":
                    return new Fan(l.getNIn(), 4.0 * l.getNOut(), Fan.Kind.WEIGHT, "input weights of 4 gates");
                case "RWF":
                case "RWB":
                    return new Fan(
                            l.getNOut(),
                            4.0 * l.getNOut(),
                            Fan.Kind.RECURRENT_WEIGHT,
                            "recurrent weights of 4 gates (peephole columns included)");
                default:
                    throw badKey(layer, paramKey);
            }
        }
        if (layer instanceof AbstractLSTM || layer instanceof SimpleRnn) {
            org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer l =
                    (org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) layer;
            double gates = layer instanceof SimpleRnn ? 1 : 4;
            String what = gates == 1 ? "" : " of 4 gates";
            switch (paramKey) {
                case "W":
                    return new Fan(l.getNIn(), gates * l.getNOut(), Fan.Kind.WEIGHT, "input weights" + what);
                case "RW":
                    return new Fan(
                            l.getNOut(), gates * l.getNOut(), Fan.Kind.RECURRENT_WEIGHT, "recurrent weights" + what);
                default:
                    throw badKey(layer, paramKey);
            }
        }
        if (layer instanceof EmbeddingLayer || layer instanceof EmbeddingSequenceLayer) {
            requireKey(layer, paramKey);
            if (convention == FanConvention.KERAS) {
                return KerasFans.embedding((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer);
            }
            long nOut = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer).getNOut();
            return new Fan(1, nOut, Fan.Kind.WEIGHT, "lookup: each output sums one row (one-hot input)");
        }
        if (layer instanceof PReLULayer) {
            requireKey(layer, paramKey);
            return Fan.notFanScaled("PReLU alpha is a slope, not a fan-scaled weight");
        }
        if (layer instanceof ElementWiseMultiplicationLayer) {
            requireKey(layer, paramKey);
            return Fan.notFanScaled("element-wise scale, not a fan-scaled weight");
        }
        if (layer instanceof CenterLossOutputLayer && "cL".equals(paramKey)) {
            return Fan.notFanScaled("center-loss class centers are not fan-scaled (DL4J starts them at zero)");
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer || layer instanceof AutoEncoder) {
            requireKey(layer, paramKey);
            org.deeplearning4j.nn.conf.layers.FeedForwardLayer l =
                    (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
            return new Fan(l.getNIn(), l.getNOut(), Fan.Kind.WEIGHT, "");
        }
        throw new IllegalArgumentException("no fan model for layer type "
                + layer.getClass().getSimpleName()
                + " (layer '" + layer.getLayerName() + "'); supported: Dense, Output, RnnOutput, CenterLossOutput,"
                + " Convolution1D/2D/3D, Deconvolution2D/3D, DepthwiseConvolution2D, SeparableConvolution2D,"
                + " SimpleRnn, LSTM, GravesLSTM, GravesBidirectionalLSTM, Bidirectional, Embedding(Sequence), PReLU,"
                + " ElementWiseMultiplication, AutoEncoder and wrappers of these");
    }

    /**
     * Why this layer's weights are not modelled, if so: OCNNOutputLayer (a one-class objective); SameDiff layers
     * (SelfAttention, LearnedSelfAttention, RecurrentAttention, LocallyConnected1D/2D, Capsule, PrimaryCapsules
     * and users' own) take the {@code WeightInit} enum only. Looks through wrappers.
     */
    public static Optional<String> unsupportedReason(Layer layer) {
        return LayerCatalog.unsupportedReason(layer);
    }

    private static Fan conv(ConvolutionLayer l, String key, FanConvention convention, InputType input) {
        int[] k = l.getKernelSize();
        int[] s = l.getStride();
        int[] d = l.getDilation() == null ? ones(k.length) : l.getDilation();
        int[] p = l.getPadding() == null ? new int[k.length] : l.getPadding();
        if (l instanceof Convolution1DLayer) {
            // DL4J stores a 1D kernel k as {k, k} (hence its k² fan_in); only the first entry is used.
            k = new int[] {k[0]};
            s = new int[] {s[0]};
            d = new int[] {d[0]};
            p = new int[] {p[0]};
        }
        double rf = product(k);
        double sp = product(s);
        long nIn = l.getNIn();
        long nOut = l.getNOut();
        boolean transposed = l instanceof Deconvolution2D || l instanceof Deconvolution3D;
        double inCh;
        double outCh;
        String what;
        if (l instanceof SeparableConvolution2D) {
            int m = ((SeparableConvolution2D) l).getDepthMultiplier();
            if ("pW".equals(key)) {
                return new Fan((double) nIn * m, nOut, Fan.Kind.WEIGHT, "pointwise 1x1 part");
            }
            requireKey(l, key);
            inCh = 1;
            outCh = m;
            what = "depthwise part: one input channel per group";
        } else if (l instanceof DepthwiseConvolution2D) {
            requireKey(l, key);
            inCh = 1;
            outCh = ((DepthwiseConvolution2D) l).getDepthMultiplier();
            what = "depthwise: one input channel per group";
        } else {
            requireKey(l, key);
            inCh = nIn;
            outCh = nOut;
            what = transposed ? "transposed, in its own forward direction" : "";
        }
        switch (convention) {
            case KERAS:
                return KerasFans.conv(l, rf, inCh, outCh, what);
            case STRIDE_IGNORED:
                return new Fan(inCh * rf, outCh * rf, Fan.Kind.WEIGHT, what);
            case STRIDE_EXACT:
                return transposed
                        ? new Fan(inCh * rf / sp, outCh * rf, Fan.Kind.WEIGHT, join(what, "stride-exact"))
                        : new Fan(inCh * rf, outCh * rf / sp, Fan.Kind.WEIGHT, join(what, "stride-exact"));
            case PADDING_AWARE:
            default:
                long[] size = spatialSize(l, input);
                double inTaps = 1;
                double outTaps = 1;
                for (int i = 0; i < k.length; i++) {
                    double[] avg = transposed
                            ? transposedTaps(size[i], k[i], s[i], d[i], p[i], l.getConvolutionMode())
                            : taps(size[i], k[i], s[i], d[i], p[i], l.getConvolutionMode());
                    inTaps *= avg[0];
                    outTaps *= avg[1];
                }
                return new Fan(
                        inCh * inTaps,
                        outCh * outTaps,
                        Fan.Kind.WEIGHT,
                        join(what, "padding-aware at input " + Arrays.toString(size)));
        }
    }

    /**
     * {avg in-bounds taps per output position, avg (output, tap) pairs per input position} along one axis of a
     * convolution of an input of length n: pairs are counted where output o's tap j reads o·s − pad + j·d in [0, n).
     */
    static double[] taps(long n, int k, int s, int d, int p, ConvolutionMode mode) {
        long ek = (long) (k - 1) * d + 1;
        long out;
        long pad;
        if (mode == ConvolutionMode.Same) {
            out = (n + s - 1) / s;
            pad = Math.max(0, ((out - 1) * s + ek - n) / 2);
        } else if (mode == ConvolutionMode.Causal) {
            out = (n + s - 1) / s;
            pad = ek - 1;
        } else {
            out = (n + 2L * p - ek) / s + 1;
            pad = p;
        }
        if (out <= 0) {
            throw new IllegalArgumentException(
                    "kernel " + k + " (dilation " + d + ") does not fit input length " + n + " with padding " + p);
        }
        long pairs = 0;
        for (long o = 0; o < out; o++) {
            for (int j = 0; j < k; j++) {
                long x = o * s - pad + (long) j * d;
                if (x >= 0 && x < n) {
                    pairs++;
                }
            }
        }
        return new double[] {(double) pairs / out, (double) pairs / n};
    }

    /** As {@link #taps} for a transposed convolution: input i's tap j writes output i·s − pad + j·d. */
    static double[] transposedTaps(long n, int k, int s, int d, int p, ConvolutionMode mode) {
        long ek = (long) (k - 1) * d + 1;
        long out;
        long pad;
        if (mode == ConvolutionMode.Same) {
            out = n * s;
            pad = Math.max(0, ((n - 1) * s + ek - out) / 2);
        } else {
            out = s * (n - 1) + ek - 2L * p;
            pad = p;
        }
        long pairs = 0;
        for (long i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                long o = i * s - pad + (long) j * d;
                if (o >= 0 && o < out) {
                    pairs++;
                }
            }
        }
        return new double[] {(double) pairs / out, (double) pairs / n};
    }

    private static long[] spatialSize(ConvolutionLayer l, InputType input) {
        if (input == null) {
            throw new IllegalArgumentException("FanConvention.PADDING_AWARE needs the input type of layer '"
                    + l.getLayerName() + "' (" + l.getClass().getSimpleName() + "), got none: pass the network's input"
                    + " type, e.g. HeConfigurer.builder().inputType(InputType.convolutional(28, 28, 1))");
        }
        long[] size;
        if (l instanceof Convolution1DLayer) {
            if (!(input instanceof InputType.InputTypeRecurrent)) {
                throw wrongInput(l, input, "recurrent");
            }
            size = new long[] {((InputType.InputTypeRecurrent) input).getTimeSeriesLength()};
        } else if (l instanceof Convolution3D || l instanceof Deconvolution3D) {
            if (!(input instanceof InputType.InputTypeConvolutional3D)) {
                throw wrongInput(l, input, "convolutional3D");
            }
            InputType.InputTypeConvolutional3D c = (InputType.InputTypeConvolutional3D) input;
            size = new long[] {c.getDepth(), c.getHeight(), c.getWidth()};
        } else {
            if (!(input instanceof InputType.InputTypeConvolutional)) {
                throw wrongInput(l, input, "convolutional");
            }
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) input;
            size = new long[] {c.getHeight(), c.getWidth()};
        }
        for (long v : size) {
            if (v <= 0) {
                throw new IllegalArgumentException(
                        "FanConvention.PADDING_AWARE needs known spatial sizes for layer '" + l.getLayerName()
                                + "', got input " + input + " (a recurrent input needs its time-series length)");
            }
        }
        return size;
    }

    private static IllegalArgumentException wrongInput(Layer l, InputType input, String expected) {
        return new IllegalArgumentException(
                "layer '" + l.getLayerName() + "' (" + l.getClass().getSimpleName() + ") needs a " + expected
                        + " input type for FanConvention.PADDING_AWARE, got " + input);
    }

    private static void requireKey(Layer layer, String key) {
        if (!LayerCatalog.weightKeys(layer).contains(key)) {
            throw badKey(layer, key);
        }
    }

    private static IllegalArgumentException badKey(Layer layer, String key) {
        return new IllegalArgumentException(
                "'" + key + "' is not a weight parameter of " + layer.getClass().getSimpleName()
                        + " (layer '" + layer.getLayerName() + "'); its weight parameters: "
                        + String.join(", ", LayerCatalog.weightKeys(layer)));
    }

    private static double product(int[] v) {
        double p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }

    private static int[] ones(int n) {
        int[] o = new int[n];
        Arrays.fill(o, 1);
        return o;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
