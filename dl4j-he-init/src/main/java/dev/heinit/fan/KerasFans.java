package dev.heinit.fan;

import dev.heinit.internal.dl4j.WeightGeometry;

/**
 * The fans Keras computes ({@code _compute_fans}: for a kernel of shape {@code (k…, a, b)}, fan_in = a·rf and
 * fan_out = b·rf with {@code rf = ∏ k}), for the layers where they differ from {@link FanConvention#STRIDE_IGNORED}:
 *
 * <table>
 *   <caption>Keras kernel layouts and fans</caption>
 *   <tr><th>layer</th><th>Keras kernel</th><th>fan_in</th><th>fan_out</th></tr>
 *   <tr><td>Conv1D/2D/3D</td><td>(k…, in, out)</td><td>in·rf</td><td>out·rf</td></tr>
 *   <tr><td>Conv2DTranspose/3DTranspose</td><td>(k…, out, in)</td><td>out·rf</td><td>in·rf</td></tr>
 *   <tr><td>DepthwiseConv2D, SeparableConv2D depthwise</td><td>(k, k, in, m)</td><td>in·rf</td><td>m·rf</td></tr>
 *   <tr><td>SeparableConv2D pointwise</td><td>(1, 1, in·m, out)</td><td>in·m</td><td>out</td></tr>
 *   <tr><td>Embedding</td><td>(vocab, dim)</td><td>vocab</td><td>dim</td></tr>
 * </table>
 * Dense (in, out), LSTM kernel (in, 4H) and recurrent kernel (H, 4H), SimpleRNN (in, H) / (H, H) are as
 * {@link Fans} counts them. Strides never enter. Reference: keras/initializers (Keras 2.x, tf.keras 2.x).
 */
final class KerasFans {

    private KerasFans() {}

    /** Fans of a convolution weight of receptive field rf. */
    static Fan conv(WeightGeometry g, double rf) {
        if (g.conv().depthwise()) {
            // Keras's depthwise kernel (k, k, in, m): its fan_in counts every input channel, not one per group
            return new Fan(
                    g.nIn() * rf, g.outChannels() * rf, Fan.Kind.WEIGHT, "Keras fans: depthwise kernel (k, k, in, m)");
        }
        if (g.conv().transposed()) {
            return new Fan(
                    g.nOut() * rf, g.nIn() * rf, Fan.Kind.WEIGHT, "Keras fans: transposed kernel (k, k, out, in)");
        }
        return new Fan(g.inChannels() * rf, g.outChannels() * rf, Fan.Kind.WEIGHT, g.note());
    }

    /** Fans of an embedding matrix {@code (vocab, dim)}: Keras reads it as a dense kernel. */
    static Fan embedding(WeightGeometry g) {
        return new Fan(g.nIn(), g.nOut(), Fan.Kind.WEIGHT, "Keras fans: embedding (vocab, dim) as a dense kernel");
    }
}
