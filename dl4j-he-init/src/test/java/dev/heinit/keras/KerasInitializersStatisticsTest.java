package dev.heinit.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.fan.Fan;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Keras variance-scaling initializer, on every kernel type, draws with the std Keras's formula gives at Keras's
 * fans. The fans and stds are written out here from Keras's rules ({@code _compute_fans} on Keras's kernel layout;
 * {@code std = √(scale/n)}, uniform bound {@code √(3·scale/n)}, truncated normal cut at {@code 2·std/0.87962566}),
 * never recomputed through the code under test. 2¹⁸ draws, fixed seeds; mean and variance within 5 standard
 * errors (variance SE = √((κ−1)/n)·σ² with the distribution's kurtosis κ); bounds exact.
 */
class KerasInitializersStatisticsTest {

    private static final int N = 1 << 18;
    private static final long[] SHAPE = {512, 512};
    private static final double F = 0.87962566103423978;
    /** Kurtosis of N(0,1) cut at ±2: E[z⁴]/E[z²]², E[z²] = 1 − 4φ(2)/P, E[z⁴] = 3E[z²] − 16φ(2)/P. */
    private static final double KURTOSIS_TRUNCATED;

    static {
        double phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
        double p = 0.9544997361036416; // Φ(2) − Φ(−2)
        double m2 = 1 - 4 * phi2 / p;
        double m4 = 3 * m2 - 16 * phi2 / p;
        KURTOSIS_TRUNCATED = m4 / (m2 * m2);
    }

    static double kurtosisTruncated() {
        return KURTOSIS_TRUNCATED;
    }

    /** A kernel type: the DL4J layer, its parameter and Keras's fans for it, written from Keras's kernel layout. */
    static Object[][] kernels() {
        return new Object[][] {
            // Dense(512 → 256): kernel (512, 256)
            {"Dense", new DenseLayer.Builder().nIn(512).nOut(256).build(), "W", 512, 256},
            // Conv2D 16 → 32, 3×3, stride 2 (Keras ignores strides): kernel (3, 3, 16, 32)
            {
                "Conv2D",
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).nIn(16).nOut(32).build(),
                "W",
                144,
                288
            },
            // Conv1D 16 → 32, k 5: kernel (5, 16, 32)
            {"Conv1D", new Convolution1DLayer.Builder(5).nIn(16).nOut(32).build(), "W", 80, 160},
            // DepthwiseConv2D 16 channels, multiplier 2, 3×3: kernel (3, 3, 16, 2)
            {
                "DepthwiseConv2D",
                new DepthwiseConvolution2D.Builder(3, 3)
                        .nIn(16)
                        .depthMultiplier(2)
                        .build(),
                "W",
                144,
                18
            },
            // SeparableConv2D 16 → 32, multiplier 2: depthwise (3, 3, 16, 2), pointwise (1, 1, 32, 32)
            {
                "SeparableConv2D depthwise",
                new SeparableConvolution2D.Builder(3, 3)
                        .nIn(16)
                        .nOut(32)
                        .depthMultiplier(2)
                        .build(),
                "W",
                144,
                18
            },
            {
                "SeparableConv2D pointwise",
                new SeparableConvolution2D.Builder(3, 3)
                        .nIn(16)
                        .nOut(32)
                        .depthMultiplier(2)
                        .build(),
                "pW",
                32,
                32
            },
            // Conv2DTranspose 16 → 32 filters, 3×3: kernel (3, 3, 32, 16)
            {
                "Conv2DTranspose",
                new Deconvolution2D.Builder(3, 3).stride(2, 2).nIn(16).nOut(32).build(),
                "W",
                288,
                144
            },
            // LSTM(64) on 256 inputs: kernel (256, 256), recurrent kernel (64, 256)
            {"LSTM kernel", new LSTM.Builder().nIn(256).nOut(64).build(), "W", 256, 256},
            {"LSTM recurrent", new LSTM.Builder().nIn(256).nOut(64).build(), "RW", 64, 256},
            // Embedding(1000, 64): (1000, 64)
            {"Embedding", new EmbeddingLayer.Builder().nIn(1000).nOut(64).build(), "W", 1000, 64},
        };
    }

    /** Keras configs: JSON, scale, Keras mode (0 in, 1 out, 2 avg), distribution (u, t, n) for the expected std. */
    static Object[][] configs() {
        return new Object[][] {
            {
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":1.0,\"mode\":\"fan_avg\",\"distribution\":\"uniform\"}}",
                1.0,
                2,
                'u'
            },
            {
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2,\"mode\":\"fan_in\",\"distribution\":\"uniform\"}}",
                2.0,
                0,
                'u'
            },
            {
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":0.3333333333333333,\"mode\":\"fan_out\",\"distribution\":\"uniform\"}}",
                1 / 3.0,
                1,
                'u'
            },
            {
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2.0,\"mode\":\"fan_out\",\"distribution\":\"truncated_normal\"}}",
                2.0,
                1,
                't'
            },
            {
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2.0,\"mode\":\"fan_in\",\"distribution\":\"normal\"}}",
                2.0,
                0,
                't'
            },
            {
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":1,\"mode\":\"fan_avg\",\"distribution\":\"untruncated_normal\"}}",
                1.0,
                2,
                'n'
            },
            {"{\"class_name\":\"HeNormal\",\"config\":{\"seed\":null}}", 2.0, 0, 't'},
            {"{\"class_name\":\"HeUniform\",\"config\":{\"seed\":null}}", 2.0, 0, 'u'},
            {"{\"class_name\":\"GlorotNormal\",\"config\":{\"seed\":null}}", 1.0, 2, 't'},
            {"{\"class_name\":\"GlorotUniform\",\"config\":{\"seed\":null}}", 1.0, 2, 'u'},
            {"{\"class_name\":\"LecunNormal\",\"config\":{\"seed\":null}}", 1.0, 0, 't'},
            {"{\"class_name\":\"LecunUniform\",\"config\":{\"seed\":null}}", 1.0, 0, 'u'},
            {"\"he_normal\"", 2.0, 0, 't'},
            {"lecun_uniform", 1.0, 0, 'u'},
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] k : kernels()) {
            for (Object[] c : configs()) {
                out.add(Arguments.of(k[0], k[1], k[2], k[3], k[4], c[0], c[1], c[2], c[3]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {5}")
    @MethodSource("cases")
    void drawsKerasStdWithKerasFans(
            String kind,
            Layer layer,
            String param,
            int fanIn,
            int fanOut,
            String json,
            double scale,
            int mode,
            char dist) {
        Fan fan = Fans.of(layer, param, FanConvention.KERAS, null);
        assertEquals(fanIn, fan.in(), 0, kind + " Keras fan_in");
        assertEquals(fanOut, fan.out(), 0, kind + " Keras fan_out");
        double n = mode == 0 ? fanIn : mode == 1 ? fanOut : (fanIn + fanOut) / 2.0;
        double std = Math.sqrt(scale / n);
        IWeightInit init = KerasInitializers.of(json);
        Nd4j.getRandom().setSeed(12345 + json.hashCode() + 31L * kind.hashCode());
        INDArray w = init.init(fan.in(), fan.out(), SHAPE, 'c', Nd4j.create(DataType.DOUBLE, N));
        double bound = dist == 'u' ? Math.sqrt(3 * scale / n) : dist == 't' ? 2 * std / F : Double.NaN;
        double kurtosis = dist == 'u' ? 1.8 : dist == 't' ? KURTOSIS_TRUNCATED : 3.0;
        assertMoments(kind + " " + json, w, 0, std, kurtosis, bound);
    }

    /** Mean and variance within 5 SE; |x| ≤ bound (float rounding aside) and reaching 99.5 % of it. */
    static void assertMoments(String what, INDArray w, double mean, double std, double kurtosis, double bound) {
        double n = w.length();
        double m = w.meanNumber().doubleValue();
        double var = w.varNumber().doubleValue();
        assertEquals(mean, m, 5 * std / Math.sqrt(n), what + ": mean");
        assertEquals(
                std * std,
                var,
                5 * Math.sqrt((kurtosis - 1) / n) * std * std,
                String.format(Locale.ROOT, "%s: std %.6f, Keras %.6f", what, Math.sqrt(var), std));
        if (!Double.isNaN(bound)) {
            double max = w.sub(mean).amaxNumber().doubleValue();
            assertTrue(max <= bound * (1 + 1e-12), what + ": max |x − mean| " + max + " > bound " + bound);
            assertTrue(max >= 0.995 * bound, what + ": max |x − mean| " + max + " never near bound " + bound);
        }
    }
}
