package dev.heinit.keras;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.FanMode;
import dev.heinit.OrthogonalInit;
import dev.heinit.Sampler;
import dev.heinit.VarianceScalingInit;

import static dev.heinit.keras.KerasInitializersStatisticsTest.assertMoments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan-independent Keras initializers, version-dependent meanings, integer-valued configs, every initializer of the
 * real Keras model fixtures (see {@code keras/SOURCES.md}), bad input and JSON round trips. Expected values are
 * Keras's documented defaults and formulas written out here; statistics on 2¹⁸ draws within 5 standard errors.
 */
class KerasInitializersTest {

    private static final int N = 1 << 18;
    private static final long[] SHAPE = {512, 512};
    private static final double F = 0.87962566103423978;

    private static INDArray draw(IWeightInit init, double fanIn, double fanOut, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return init.init(fanIn, fanOut, SHAPE, 'c', Nd4j.create(DataType.DOUBLE, N));
    }

    @Test
    void randomNormalUniformTruncatedDrawKerasMoments() {
        // RandomNormal(mean 0.5, stddev 0.2): N(0.5, 0.04)
        assertMoments(
                "RandomNormal",
                draw(
                        KerasInitializers.of(
                                "{\"class_name\":\"RandomNormal\",\"config\":{\"mean\":0.5,\"stddev\":0.2,\"seed\":null}}"),
                        7,
                        7,
                        1),
                0.5,
                0.2,
                3,
                Double.NaN);
        // RandomUniform(-1, 1) with integer bounds: U(-1, 1), std 1/√3
        assertMoments(
                "RandomUniform ints",
                draw(
                        KerasInitializers.of(
                                "{\"class_name\":\"RandomUniform\",\"config\":{\"minval\":-1,\"maxval\":1,\"seed\":null}}"),
                        7,
                        7,
                        2),
                0,
                1 / Math.sqrt(3),
                1.8,
                1.0);
        // Keras 1 "uniform": U(-0.05, 0.05)
        assertMoments(
                "uniform",
                draw(KerasInitializers.of("uniform", KerasDialect.KERAS_1), 7, 7, 3),
                0,
                0.05 / Math.sqrt(3),
                1.8,
                0.05);
        // TruncatedNormal(stddev 0.1): N(0, 0.01) cut at ±0.2, std 0.1·F
        assertMoments(
                "TruncatedNormal",
                draw(
                        KerasInitializers.of(
                                "{\"class_name\":\"TruncatedNormal\",\"config\":{\"mean\":0.0,\"stddev\":0.1}}"),
                        7,
                        7,
                        4),
                0,
                0.1 * F,
                KerasInitializersStatisticsTest.kurtosisTruncated(),
                0.2);
    }

    @Test
    void normalMeansWhatEachKerasVersionMeant() {
        String json = "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2.0,\"mode\":\"fan_in\","
                + "\"distribution\":\"normal\",\"seed\":null}}";
        double std = Math.sqrt(2.0 / 256);
        // Keras 2.0/2.1: N(0, 2/256) cut at 2σ, no correction
        assertMoments(
                "2.0 normal",
                draw(KerasInitializers.of(json, KerasDialect.KERAS_2_0), 256, 64, 5),
                0,
                F * std,
                KerasInitializersStatisticsTest.kurtosisTruncated(),
                2 * std);
        // Keras >= 2.2, tf.keras: corrected, std exactly √(2/256), cut at 2σ/F
        assertMoments(
                "2.2 normal",
                draw(KerasInitializers.of(json, KerasDialect.KERAS_2), 256, 64, 6),
                0,
                std,
                KerasInitializersStatisticsTest.kurtosisTruncated(),
                2 * std / F);
        // Keras 1 he_normal: untruncated N(0, 2/fan_in)
        assertMoments(
                "Keras 1 he_normal",
                draw(KerasInitializers.of("he_normal", KerasDialect.KERAS_1), 256, 64, 7),
                0,
                std,
                3,
                Double.NaN);
        assertEquals(KerasDialect.KERAS_1, KerasDialect.forVersion("1.2.2"));
        assertEquals(KerasDialect.KERAS_2_0, KerasDialect.forVersion("2.0.8"));
        assertEquals(KerasDialect.KERAS_2_0, KerasDialect.forVersion("2.1.6"));
        assertEquals(KerasDialect.KERAS_2, KerasDialect.forVersion("2.2.0"));
        assertEquals(KerasDialect.KERAS_2, KerasDialect.forVersion("2.10.0"));
        assertEquals(KerasDialect.KERAS_2, KerasDialect.forVersion(null));
    }

    @Test
    void orthogonalIdentityAndConstants() {
        assertEquals(
                new OrthogonalInit(1.0),
                KerasInitializers.of("{\"class_name\":\"Orthogonal\",\"config\":{\"gain\":1}}"));
        assertEquals(new OrthogonalInit(1.1), KerasInitializers.of("orthogonal", KerasDialect.KERAS_1));
        // Identity{gain: 1.0} — Keras's default, which DL4J's import rejects — is gain·I
        IWeightInit id = KerasInitializers.of("{\"class_name\":\"Identity\",\"config\":{\"gain\":1.0}}");
        INDArray w = id.init(64, 64, new long[] {64, 64}, 'f', Nd4j.create(DataType.FLOAT, 64 * 64));
        assertEquals(Nd4j.eye(64).castTo(DataType.FLOAT), w);
        IWeightInit id3 = KerasInitializers.of("{\"class_name\":\"Identity\",\"config\":{\"gain\":3}}");
        assertEquals(new WeightInitIdentity(3.0), id3);
        // Constant{value: 0} (an integer, which DL4J's import casts to Double and fails on), Zeros, Ones
        for (Object[] c : new Object[][] {
            {"{\"class_name\":\"Constant\",\"config\":{\"value\":0}}", 0.0},
            {"{\"class_name\":\"Constant\",\"config\":{\"value\":2.5}}", 2.5},
            {"{\"class_name\":\"Zeros\",\"config\":{}}", 0.0},
            {"\"ones\"", 1.0},
            {"one", 1.0}
        }) {
            INDArray v = KerasInitializers.of((String) c[0])
                    .init(
                            3,
                            3,
                            new long[] {3, 3},
                            'c',
                            Nd4j.create(DataType.FLOAT, 9).assign(-7));
            assertEquals((double) c[1], v.minNumber().doubleValue(), 0, (String) c[0]);
            assertEquals((double) c[1], v.maxNumber().doubleValue(), 0, (String) c[0]);
        }
    }

    @Test
    void integerAndDoubleConfigsAreTheSame() {
        assertEquals(
                KerasInitializers.of(
                        "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2,\"mode\":\"fan_in\",\"distribution\":\"uniform\"}}"),
                KerasInitializers.of(
                        "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2.0,\"mode\":\"fan_in\",\"distribution\":\"uniform\"}}"));
        assertEquals(
                new VarianceScalingInit(2, FanMode.FAN_IN, Sampler.UNIFORM),
                KerasInitializers.of("{\"class_name\":\"he_uniform\",\"config\":{}}"));
        // Keras 3's extra keys are accepted
        assertEquals(
                new VarianceScalingInit(2, FanMode.FAN_OUT, Sampler.TRUNCATED_NORMAL),
                KerasInitializers.of(
                        "{\"module\":\"keras.initializers\",\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2.0,"
                                + "\"mode\":\"fan_out\",\"distribution\":\"truncated_normal\",\"seed\":null},\"registered_name\":null}"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"class_name\":\"KaimingNormal\",\"config\":{}}",
                "not_an_init",
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":\"2\"}}",
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"mode\":\"fan_sum\"}}",
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"distribution\":\"cauchy\"}}",
                "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":-1}}",
                "{\"class_name\":\"RandomNormal\",\"config\":{\"stdev\":0.1}}",
                "{\"class_name\":\"RandomUniform\",\"config\":{\"minval\":1,\"maxval\":-1}}",
                "{\"config\":{}}",
                "{\"class_name\":\"Zeros\",\"config\":[1]}",
                "{broken",
                ""
            })
    void badConfigsFailNamingTheProblem(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasInitializers.of(json));
        String m = e.getMessage();
        assertTrue(m.contains("supported") || m.contains("must") || m.contains("keys") || m.contains("JSON"), m);
        if (json.contains("KaimingNormal")) {
            assertTrue(m.contains("KaimingNormal") && m.contains("HeNormal"), m);
        }
        if (json.contains("fan_sum")) {
            assertTrue(m.contains("fan_sum") && m.contains("fan_avg"), m);
        }
        if (json.contains("stdev")) {
            assertTrue(m.contains("stdev") && m.contains("stddev"), m);
        }
    }

    /** Every initializer of every fixture maps, and survives a DL4J configuration's JSON round trip. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "keras1_imdb_lstm.json",
                "keras2_0_6_imdb_lstm.json",
                "keras2_0_8_embedding_conv1d.json",
                "keras2_2_0_agz_policy.json"
            })
    void everyFixtureInitializerMapsAndRoundTrips(String fixture) throws IOException {
        String json = fixture(fixture);
        KerasModel model = KerasModel.parse(json, null);
        List<IWeightInit> inits = new ArrayList<>();
        for (KerasModel.KerasLayer l : model.layers.values()) {
            for (Map.Entry<String, Object> e : l.config.entrySet()) {
                if (e.getKey().endsWith("_initializer")
                        || e.getKey().equals("init")
                        || e.getKey().equals("inner_init")) {
                    Object c = e.getValue();
                    @SuppressWarnings("unchecked")
                    IWeightInit i = c instanceof Map
                            ? KerasInitializers.of((Map<String, Object>) c, model.dialect)
                            : KerasInitializers.of(String.valueOf(c), model.dialect);
                    inits.add(i);
                }
            }
        }
        assertTrue(inits.size() >= 3, fixture + ": " + inits);
        for (IWeightInit i : inits) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(4).weightInit(i).build())
                    .build();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf, back, fixture + ": " + i);
            assertEquals(
                    i,
                    ((org.deeplearning4j.nn.conf.layers.BaseLayer)
                                    back.getConf(0).getLayer())
                            .getWeightInitFn());
        }
    }

    @Test
    void fixtureSpecifics() throws IOException {
        KerasModel k1 = KerasModel.parse(fixture("keras1_imdb_lstm.json"), null);
        assertEquals(KerasDialect.KERAS_1, k1.dialect);
        assertEquals("glorot_uniform", k1.layers.get("lstm_1").config.get("inner_init"));
        // old .h5 files have no keras_version: Keras 1's init keys identify the dialect
        String noVersion = fixture("keras1_imdb_lstm.json").replace("\"keras_version\": \"1.2.2\",", "");
        assertTrue(!noVersion.contains("keras_version"));
        assertEquals(KerasDialect.KERAS_1, KerasModel.parse(noVersion, null).dialect);
        KerasModel k208 = KerasModel.parse(fixture("keras2_0_8_embedding_conv1d.json"), null);
        assertEquals(KerasDialect.KERAS_2_0, k208.dialect);
        @SuppressWarnings("unchecked")
        Map<String, Object> emb =
                (Map<String, Object>) k208.layers.get("embedding_1").config.get("embeddings_initializer");
        // "scale": 2 (an integer) in Keras 2.0.8: truncated N(0, 2/fan_in) without correction
        assertEquals(
                new VarianceScalingInit(2 * F * F, FanMode.FAN_IN, Sampler.TRUNCATED_NORMAL),
                KerasInitializers.of(emb, k208.dialect));
        KerasModel agz = KerasModel.parse(fixture("keras2_2_0_agz_policy.json"), null);
        assertEquals(KerasDialect.KERAS_2, agz.dialect);
        assertTrue(agz.layers.size() > 60, "layers: " + agz.layers.size());
    }

    static String fixture(String name) throws IOException {
        return new String(
                Files.readAllBytes(Paths.get("src", "test", "resources", "keras", name)), StandardCharsets.UTF_8);
    }
}
