package dev.heinit.fan;

/**
 * How the fans of a convolution are counted. With {@code rf = ∏ kernel}, {@code s = ∏ stride}, channels
 * {@code in → out} and depth multiplier {@code m}:
 *
 * <table>
 *   <caption>fan_in / fan_out per convention</caption>
 *   <tr><th>layer</th><th>STRIDE_IGNORED (default)</th><th>STRIDE_EXACT</th></tr>
 *   <tr><td>conv 1D/2D/3D</td><td>in·rf / out·rf</td><td>in·rf / out·rf/s</td></tr>
 *   <tr><td>transposed conv 2D/3D (its own forward direction)</td><td>in·rf / out·rf</td><td>in·rf/s / out·rf</td></tr>
 *   <tr><td>depthwise, separable's depthwise part</td><td>rf / m·rf</td><td>rf / m·rf/s</td></tr>
 *   <tr><td>separable's pointwise part</td><td>in·m / out</td><td>in·m / out</td></tr>
 * </table>
 * {@link #PADDING_AWARE} counts exactly what the layer computes at its input size: fan_in = channels × the
 * number of in-bounds (non-padding) taps averaged over output positions, fan_out = channels × the number of
 * (output, tap) pairs that read an input position, averaged over input positions. Dense and recurrent layers
 * have the same fans in every convention. {@link #KERAS} reproduces Keras's counts, which differ on depthwise,
 * transposed and embedding weights.
 */
public enum FanConvention {
    /**
     * Stride ignored: the PyTorch/Keras meaning ({@code torch.nn.init._calculate_fan_in_and_fan_out}), with
     * transposed convolutions read in their own forward direction and depthwise fans counted per group.
     */
    STRIDE_IGNORED,
    /**
     * The sparse side divided by the stride product: each input of a strided conv feeds out·rf/s outputs on
     * average (the Theano/Lasagne convention, DL4J's conv fan_out); each output of a strided transposed conv
     * sums in·rf/s inputs.
     */
    STRIDE_EXACT,
    /**
     * Exact in-bounds tap counts at the layer's actual input size, averaged over positions: zero padding makes
     * border outputs sum fewer taps (a 3×3 "same" conv on 7×7 averages (19/7)² ≈ 7.37 of 9), so on small feature
     * maps He's fan_in = in·rf over-counts and a deep plain CNN decays. Needs the layer's {@code InputType}.
     */
    PADDING_AWARE,
    /**
     * Keras's own fans ({@code keras.initializers._compute_fans} on its kernel layout): as {@link #STRIDE_IGNORED}
     * except that a depthwise kernel {@code (k, k, in, m)} has fan_in in·rf and fan_out m·rf, a transposed conv's
     * kernel {@code (k, k, filters, in)} has fan_in filters·rf = out·rf and fan_out in·rf, and an embedding's
     * {@code (vocab, dim)} matrix fan_in vocab. Use it to draw exactly what Keras would; see
     * {@link KerasFans}.
     */
    KERAS
}
