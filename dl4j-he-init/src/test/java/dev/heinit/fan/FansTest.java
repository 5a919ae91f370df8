package dev.heinit.fan;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.heinit.internal.dl4j.LayerRules;

import static dev.heinit.fan.FanConvention.PADDING_AWARE;
import static dev.heinit.fan.FanConvention.STRIDE_EXACT;
import static dev.heinit.fan.FanConvention.STRIDE_IGNORED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fans against values derived by hand: conv rows use nIn 16, nOut 32, kernel 3, stride 2,
 * so rf = 9 (27 in 3D, 3 in 1D) and the stride product is 4 (8 in 3D, 2 in 1D).
 */
@SuppressWarnings("deprecation") // GravesLSTM, GravesBidirectionalLSTM: deprecated, still in users' models
class FansTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // layer, key, ignored in/out, exact in/out
                Arguments.of(new DenseLayer.Builder().nIn(256).nOut(512).build(), "W", 256, 512, 256, 512),
                Arguments.of(new OutputLayer.Builder().nIn(256).nOut(10).build(), "W", 256, 10, 256, 10),
                Arguments.of(
                        new CenterLossOutputLayer.Builder().nIn(64).nOut(10).build(), "W", 64, 10, 64, 10),
                Arguments.of(new AutoEncoder.Builder().nIn(64).nOut(10).build(), "W", 64, 10, 64, 10),
                Arguments.of(
                        new ConvolutionLayer.Builder(3, 3)
                                .stride(2, 2)
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "W",
                        144,
                        288,
                        144,
                        72),
                Arguments.of(
                        new Convolution1DLayer.Builder(3, 2).nIn(16).nOut(32).build(), "W", 48, 96, 48, 48),
                Arguments.of(
                        new Convolution3D.Builder(new int[] {3, 3, 3}, new int[] {2, 2, 2})
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "W",
                        432,
                        864,
                        432,
                        108),
                Arguments.of(
                        new Deconvolution2D.Builder(3, 3)
                                .stride(2, 2)
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "W",
                        144,
                        288,
                        36,
                        288),
                Arguments.of(
                        new Deconvolution3D.Builder()
                                .kernelSize(3, 3, 3)
                                .stride(2, 2, 2)
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "W",
                        432,
                        864,
                        54,
                        864),
                Arguments.of(
                        new DepthwiseConvolution2D.Builder(3, 3)
                                .stride(2, 2)
                                .depthMultiplier(2)
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "W",
                        9,
                        18,
                        9,
                        4.5),
                Arguments.of(
                        new SeparableConvolution2D.Builder(3, 3)
                                .stride(2, 2)
                                .depthMultiplier(2)
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "W",
                        9,
                        18,
                        9,
                        4.5),
                Arguments.of(
                        new SeparableConvolution2D.Builder(3, 3)
                                .stride(2, 2)
                                .depthMultiplier(2)
                                .nIn(16)
                                .nOut(32)
                                .build(),
                        "pW",
                        32,
                        32,
                        32,
                        32),
                Arguments.of(new LSTM.Builder().nIn(64).nOut(128).build(), "W", 64, 512, 64, 512),
                Arguments.of(new LSTM.Builder().nIn(64).nOut(128).build(), "RW", 128, 512, 128, 512),
                Arguments.of(new GravesLSTM.Builder().nIn(64).nOut(128).build(), "W", 64, 512, 64, 512),
                Arguments.of(new GravesLSTM.Builder().nIn(64).nOut(128).build(), "RW", 128, 512, 128, 512),
                Arguments.of(
                        new GravesBidirectionalLSTM.Builder().nIn(64).nOut(128).build(), "WB", 64, 512, 64, 512),
                Arguments.of(
                        new GravesBidirectionalLSTM.Builder().nIn(64).nOut(128).build(), "RWF", 128, 512, 128, 512),
                Arguments.of(new SimpleRnn.Builder().nIn(64).nOut(128).build(), "W", 64, 128, 64, 128),
                Arguments.of(new SimpleRnn.Builder().nIn(64).nOut(128).build(), "RW", 128, 128, 128, 128),
                Arguments.of(
                        new Bidirectional(new LSTM.Builder().nIn(64).nOut(128).build()), "fW", 64, 512, 64, 512),
                Arguments.of(
                        new Bidirectional(new LSTM.Builder().nIn(64).nOut(128).build()), "bRW", 128, 512, 128, 512),
                Arguments.of(new EmbeddingLayer.Builder().nIn(1000).nOut(32).build(), "W", 1, 32, 1, 32),
                Arguments.of(
                        new EmbeddingSequenceLayer.Builder().nIn(1000).nOut(32).build(), "W", 1, 32, 1, 32),
                Arguments.of(
                        new FrozenLayer(new DenseLayer.Builder().nIn(8).nOut(4).build()), "W", 8, 4, 8, 4));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void fansInBothConventions(Layer layer, String key, double in, double out, double exactIn, double exactOut) {
        Fan f = Fans.of(layer, key, STRIDE_IGNORED, null);
        assertEquals(in, f.in(), 0.0, "fan_in, stride ignored");
        assertEquals(out, f.out(), 0.0, "fan_out, stride ignored");
        Fan e = Fans.of(layer, key, STRIDE_EXACT, null);
        assertEquals(exactIn, e.in(), 0.0, "fan_in, stride exact");
        assertEquals(exactOut, e.out(), 0.0, "fan_out, stride exact");
        assertTrue(f.isFanScaled());
    }

    @Test
    void recurrentWeightsAreMarked() {
        assertEquals(
                Fan.Kind.RECURRENT_WEIGHT,
                Fans.of(new LSTM.Builder().nIn(4).nOut(8).build(), "RW", STRIDE_IGNORED, null)
                        .kind());
        assertEquals(
                Fan.Kind.WEIGHT,
                Fans.of(new LSTM.Builder().nIn(4).nOut(8).build(), "W", STRIDE_IGNORED, null)
                        .kind());
    }

    @Test
    void slopesAndCentersAreNotFanScaled() {
        Fan prelu = Fans.of(new PReLULayer.Builder().inputShape(8).build(), "W", STRIDE_IGNORED, null);
        assertFalse(prelu.isFanScaled());
        assertTrue(prelu.note().contains("slope"), prelu.note());
        Fan centers =
                Fans.of(new CenterLossOutputLayer.Builder().nIn(64).nOut(10).build(), "cL", STRIDE_IGNORED, null);
        assertFalse(centers.isFanScaled());
        assertTrue(Double.isNaN(centers.in()));
    }

    @Test
    void paddingAwareCountsInBoundsTaps() {
        // 3×3 "same", stride 1 on 7×7: per axis 7 outputs × 3 taps − 2 taps off the border = 19 in-bounds pairs,
        // 19/7 per output (and per input, since the map keeps its size): fan_in = 16·(19/7)² ≈ 117.9 of 144.
        ConvolutionLayer c = new ConvolutionLayer.Builder(3, 3)
                .nIn(16)
                .nOut(32)
                .convolutionMode(ConvolutionMode.Same)
                .build();
        Fan f = Fans.of(c, "W", PADDING_AWARE, InputType.convolutional(7, 7, 16));
        assertEquals(16 * (19.0 / 7) * (19.0 / 7), f.in(), 1e-12);
        assertEquals(32 * (19.0 / 7) * (19.0 / 7), f.out(), 1e-12);
        // Truncate mode without padding: every tap is in bounds, fan_in = in·rf; 5 outputs of 7 inputs per axis.
        ConvolutionLayer t = new ConvolutionLayer.Builder(3, 3).nIn(16).nOut(32).build();
        Fan ft = Fans.of(t, "W", PADDING_AWARE, InputType.convolutional(7, 7, 16));
        assertEquals(144, ft.in(), 1e-12);
        assertEquals(32 * (15.0 / 7) * (15.0 / 7), ft.out(), 1e-12);
        // Large map: padding-aware tends to stride-exact. 3×3 same stride 2 on 64×64: 32 outputs, 95 of 96 taps in.
        ConvolutionLayer s = new ConvolutionLayer.Builder(3, 3)
                .stride(2, 2)
                .nIn(16)
                .nOut(32)
                .convolutionMode(ConvolutionMode.Same)
                .build();
        Fan fs = Fans.of(s, "W", PADDING_AWARE, InputType.convolutional(64, 64, 16));
        assertEquals(16 * (95.0 / 32) * (95.0 / 32), fs.in(), 1e-12);
        assertEquals(32 * (95.0 / 64) * (95.0 / 64), fs.out(), 1e-12);
        // Depthwise on 7×7 same: rf scaled the same way, no input channels.
        DepthwiseConvolution2D d = new DepthwiseConvolution2D.Builder(3, 3)
                .depthMultiplier(2)
                .nIn(16)
                .nOut(32)
                .convolutionMode(ConvolutionMode.Same)
                .build();
        assertEquals(
                (19.0 / 7) * (19.0 / 7),
                Fans.of(d, "W", PADDING_AWARE, InputType.convolutional(7, 7, 16))
                        .in(),
                1e-12);
        // Conv1D, kernel 3, same, on length 5: 13 of 15 taps; each of 5 outputs reads 13/5.
        Convolution1DLayer c1 = new Convolution1DLayer.Builder(3, 1)
                .nIn(4)
                .nOut(8)
                .convolutionMode(ConvolutionMode.Same)
                .build();
        assertEquals(
                4 * 13.0 / 5,
                Fans.of(c1, "W", PADDING_AWARE, InputType.recurrent(4, 5)).in(),
                1e-12);
        // Transposed 2×2 stride 2 (truncate): every output reads exactly one tap per input channel.
        Deconvolution2D t2 =
                new Deconvolution2D.Builder(2, 2).stride(2, 2).nIn(16).nOut(32).build();
        Fan ft2 = Fans.of(t2, "W", PADDING_AWARE, InputType.convolutional(7, 7, 16));
        assertEquals(16, ft2.in(), 1e-12);
        assertEquals(32 * 4, ft2.out(), 1e-12);
    }

    @Test
    void paddingAwareWithoutInputTypeSaysWhatIsMissing() {
        ConvolutionLayer c = new ConvolutionLayer.Builder(3, 3).nIn(16).nOut(32).build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Fans.of(c, "W", PADDING_AWARE, null));
        assertTrue(e.getMessage().contains("inputType"), e.getMessage());
        // Dense layers have no padding: every convention agrees and needs nothing.
        assertEquals(
                3,
                Fans.of(new DenseLayer.Builder().nIn(3).nOut(2).build(), "W", PADDING_AWARE, null)
                        .in());
    }

    @Test
    void sameDiffLayersAreNamedAsUnsupported() {
        Layer[] layers = {
            new SelfAttentionLayer.Builder()
                    .nIn(8)
                    .nOut(8)
                    .nHeads(2)
                    .projectInput(true)
                    .build(),
            new LearnedSelfAttentionLayer.Builder()
                    .nIn(8)
                    .nOut(8)
                    .nHeads(2)
                    .nQueries(3)
                    .projectInput(true)
                    .build(),
            new RecurrentAttentionLayer.Builder()
                    .nIn(8)
                    .nOut(8)
                    .nHeads(2)
                    .projectInput(true)
                    .build(),
            new LocallyConnected2D.Builder()
                    .kernelSize(3, 3)
                    .nIn(2)
                    .nOut(4)
                    .setInputSize(8, 8)
                    .build(),
            new LocallyConnected1D.Builder()
                    .kernelSize(3)
                    .nIn(2)
                    .nOut(4)
                    .setInputSize(8)
                    .build(),
            new PrimaryCapsules.Builder(8, 4).kernelSize(3, 3).build(),
            new CapsuleLayer.Builder(4, 8, 3).build()
        };
        for (Layer l : layers) {
            String name = l.getClass().getSimpleName();
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Fans.of(l, "W", STRIDE_IGNORED, null), name);
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("SameDiff"), e.getMessage());
            assertTrue(LayerRules.of(l).unsupportedReason().isPresent(), name);
        }
    }

    @Test
    void badKeysAndUnknownLayersAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Fans.of(new DenseLayer.Builder().nIn(3).nOut(2).build(), "b", STRIDE_IGNORED, null));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("W"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Fans.of(new BatchNormalization.Builder().nOut(3).build(), "gamma", STRIDE_IGNORED, null));
        assertThrows(IllegalArgumentException.class, () -> Fans.of(null, "W", STRIDE_IGNORED, null));
    }
}
