package dev.heinit.fan;

import java.util.Arrays;
import java.util.Optional;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.LayerRules;
import dev.heinit.internal.dl4j.WeightGeometry;

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
 * name: DL4J never passes their weights to an {@code IWeightInit};
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
    public static Fan of(Layer layer, String paramKey, FanConvention convention, InputType input) {
        if (layer == null || paramKey == null || convention == null) {
            throw new IllegalArgumentException("layer, paramKey and convention must not be null, got " + layer + ", "
                    + paramKey + ", " + convention + " (conventions: " + Arrays.toString(FanConvention.values()) + ")");
        }
        LayerRule rule = LayerRules.of(layer);
        Optional<String> unsupported = rule.unsupportedReason();
        if (unsupported.isPresent()) {
            throw new IllegalArgumentException(unsupported.get());
        }
        WeightGeometry g = rule.weight(paramKey);
        switch (g.role()) {
            case CONV:
                return conv(rule, g, convention, input);
            case EMBEDDING:
                return convention == FanConvention.KERAS
                        ? KerasFans.embedding(g)
                        : new Fan(1, g.nOut(), Fan.Kind.WEIGHT, g.note());
            case NOT_FAN_SCALED:
                return Fan.notFanScaled(g.note());
            case RECURRENT:
                return new Fan(g.inChannels(), g.outChannels(), Fan.Kind.RECURRENT_WEIGHT, g.note());
            default:
                return new Fan(g.inChannels(), g.outChannels(), Fan.Kind.WEIGHT, g.note());
        }
    }

    private static Fan conv(LayerRule rule, WeightGeometry g, FanConvention convention, InputType input) {
        WeightGeometry.Conv c = g.conv();
        int[] k = c.kernel();
        int[] s = c.stride();
        int[] d = c.dilation();
        int[] p = c.padding();
        double rf = product(k);
        double sp = product(s);
        boolean transposed = c.transposed();
        double inCh = g.inChannels();
        double outCh = g.outChannels();
        String what = g.note();
        switch (convention) {
            case KERAS:
                return KerasFans.conv(g, rf);
            case STRIDE_IGNORED:
                return new Fan(inCh * rf, outCh * rf, Fan.Kind.WEIGHT, what);
            case STRIDE_EXACT:
                return transposed
                        ? new Fan(inCh * rf / sp, outCh * rf, Fan.Kind.WEIGHT, join(what, "stride-exact"))
                        : new Fan(inCh * rf, outCh * rf / sp, Fan.Kind.WEIGHT, join(what, "stride-exact"));
            case PADDING_AWARE:
            default:
                long[] size = spatialSize(rule, g, input);
                double inTaps = 1;
                double outTaps = 1;
                for (int i = 0; i < k.length; i++) {
                    double[] avg = transposed
                            ? transposedTaps(size[i], k[i], s[i], d[i], p[i], c.mode())
                            : taps(size[i], k[i], s[i], d[i], p[i], c.mode());
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

    private static long[] spatialSize(LayerRule rule, WeightGeometry g, InputType input) {
        String layer = "layer '" + rule.layer().getLayerName() + "'";
        String named = layer + " (" + rule.layer().getClass().getSimpleName() + ")";
        if (input == null) {
            throw new IllegalArgumentException("FanConvention.PADDING_AWARE needs the input type of " + named
                    + ", got none: pass the network's input"
                    + " type, e.g. HeConfigurer.builder().inputType(InputType.convolutional(28, 28, 1))");
        }
        long[] size;
        if (g.conv().dims() == 1) {
            if (!(input instanceof InputType.InputTypeRecurrent)) {
                throw wrongInput(named, input, "recurrent");
            }
            size = new long[] {((InputType.InputTypeRecurrent) input).getTimeSeriesLength()};
        } else if (g.conv().dims() == 3) {
            if (!(input instanceof InputType.InputTypeConvolutional3D)) {
                throw wrongInput(named, input, "convolutional3D");
            }
            InputType.InputTypeConvolutional3D c = (InputType.InputTypeConvolutional3D) input;
            size = new long[] {c.getDepth(), c.getHeight(), c.getWidth()};
        } else {
            if (!(input instanceof InputType.InputTypeConvolutional)) {
                throw wrongInput(named, input, "convolutional");
            }
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) input;
            size = new long[] {c.getHeight(), c.getWidth()};
        }
        for (long v : size) {
            if (v <= 0) {
                throw new IllegalArgumentException("FanConvention.PADDING_AWARE needs known spatial sizes for " + layer
                        + ", got input " + input + " (a recurrent input needs its time-series length)");
            }
        }
        return size;
    }

    private static IllegalArgumentException wrongInput(String named, InputType input, String expected) {
        return new IllegalArgumentException(
                named + " needs a " + expected + " input type for FanConvention.PADDING_AWARE, got " + input);
    }

    private static double product(int[] v) {
        double p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
