package dev.heinit.internal.dl4j;

import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * What a weight parameter's fans are computed from, as its layer's rule reads it from the DL4J configuration
 * ({@link LayerRule#weight(String)}): fan_in = inputs·receptive field, fan_out = gates·outputs·receptive field, the
 * convolution geometry left to the fan convention ({@code dev.heinit.fan.Fans} turns a geometry into fans). Which
 * layer and key it belongs to is the rule's and the {@link WeightSlot}'s, not repeated here.
 */
public final class WeightGeometry {

    /** The role of the weight, which decides how its fans are counted (and which Keras initializer sets it). */
    public enum Role {
        /** A dense kernel [nIn, nOut]: fan_in nIn, fan_out nOut. */
        KERNEL,
        /** A recurrent layer's input weights of G gates: nIn, G·H. */
        INPUT_WEIGHTS,
        /** A recurrent layer's recurrent weights: H, G·H. */
        RECURRENT,
        /** An embedding table [vocab, nOut]: a one-hot row is looked up, fan_in 1. */
        EMBEDDING,
        /** A convolution kernel (standard, transposed, depthwise) with its {@link #conv()} geometry. */
        CONV,
        /** A separable convolution's pointwise 1×1 part: nIn·m, nOut. */
        POINTWISE,
        /** Not a fan-scaled weight (PReLU slopes, center-loss centers, element-wise scales). */
        NOT_FAN_SCALED
    }

    /** The geometry of a convolution kernel, per spatial axis. */
    public static final class Conv {
        final int[] kernel;
        final int[] stride;
        final int[] dilation;
        final int[] padding;
        final ConvolutionMode mode;
        final boolean transposed;
        final boolean depthwise;
        final int dims;

        Conv(
                int[] kernel,
                int[] stride,
                int[] dilation,
                int[] padding,
                ConvolutionMode mode,
                boolean transposed,
                boolean depthwise,
                int dims) {
            this.kernel = kernel;
            this.stride = stride;
            this.dilation = dilation;
            this.padding = padding;
            this.mode = mode;
            this.transposed = transposed;
            this.depthwise = depthwise;
            this.dims = dims;
        }

        /** Kernel size per axis (a 1D convolution: one axis). */
        public int[] kernel() {
            return kernel.clone();
        }

        /** Stride per axis. */
        public int[] stride() {
            return stride.clone();
        }

        /** Dilation per axis. */
        public int[] dilation() {
            return dilation.clone();
        }

        /** Padding per axis. */
        public int[] padding() {
            return padding.clone();
        }

        /** DL4J's convolution mode. */
        public ConvolutionMode mode() {
            return mode;
        }

        /** True for a transposed convolution (Deconvolution2D/3D). */
        public boolean transposed() {
            return transposed;
        }

        /** True for a depthwise kernel (DepthwiseConvolution2D, SeparableConvolution2D's W): one input channel a group. */
        public boolean depthwise() {
            return depthwise;
        }

        /** Spatial dimensions of the input: 1 (recurrent input), 2 or 3. */
        public int dims() {
            return dims;
        }
    }

    private final Role role;
    private final long nIn;
    private final long nOut;
    private final double inChannels;
    private final double outChannels;
    private final String note;
    private final Conv conv;

    WeightGeometry(Role role, long nIn, long nOut, double inChannels, double outChannels, String note, Conv conv) {
        this.role = role;
        this.nIn = nIn;
        this.nOut = nOut;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.note = note;
        this.conv = conv;
    }

    /** How the fans are counted. */
    public Role role() {
        return role;
    }

    /** The layer's nIn. */
    public long nIn() {
        return nIn;
    }

    /** The layer's nOut. */
    public long nOut() {
        return nOut;
    }

    /** Inputs summed per output, per receptive-field position (convolution: nIn, or 1 when depthwise). */
    public double inChannels() {
        return inChannels;
    }

    /** Outputs each input reaches, per receptive-field position (gates·H for recurrent weights, m when depthwise). */
    public double outChannels() {
        return outChannels;
    }

    /** What the fans are, in words ("" if plain). */
    public String note() {
        return note;
    }

    /** The convolution geometry of a {@link Role#CONV} kernel, else null. */
    public Conv conv() {
        return conv;
    }
}
