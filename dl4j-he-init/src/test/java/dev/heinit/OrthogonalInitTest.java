package dev.heinit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrthogonalInitTest {

    static Stream<Arguments> shapes() {
        // dense [nIn, nOut] 'f' (tall, wide, square) and conv [out, in, kH, kW] 'c' (wide 8x144, tall 64x27).
        long[][] s = {{64, 32}, {32, 64}, {50, 50}, {1, 7}, {8, 16, 3, 3}, {64, 3, 3, 3}, {16, 16, 1, 1}};
        char[] o = {'f', 'f', 'f', 'f', 'c', 'c', 'c'};
        return Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(dt -> {
            Stream.Builder<Arguments> b = Stream.builder();
            for (int i = 0; i < s.length; i++) {
                b.add(Arguments.of(dt, s[i], o[i]));
            }
            return b.build();
        });
    }

    /** Max |M·Mᵀ − g²I| (rows ≤ cols) or |Mᵀ·M − g²I| for M = reshape(order, [shape0, rest]) of w. */
    static double orthonormalityError(INDArray w, char order, double gain) {
        long rows = w.size(0);
        long cols = w.length() / rows;
        INDArray m = w.castTo(DataType.DOUBLE).reshape(order, new long[] {rows, cols});
        INDArray gram = rows <= cols ? m.mmul(m.transpose()) : m.transpose().mmul(m);
        INDArray eye = Nd4j.eye(gram.rows()).castTo(DataType.DOUBLE).muli(gain * gain);
        return Nd4j.getExecutioner()
                .exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(gram.sub(eye)))
                .getDouble(0);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void initFillsAnOrthonormalMatrixInTheParameterView(DataType dt, long[] shape, char order) {
        Nd4j.getRandom().setSeed(11);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        INDArray flat = Nd4j.create(dt, n + 6).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 3 + n));
        INDArray w = new OrthogonalInit().init(shape[1], shape[0], shape, order, flat);
        assertArrayEquals(shape, w.shape());
        // the returned array must be the parameter view itself
        assertEquals(flat.getDouble(0), w.reshape(order, new long[] {n}).getDouble(0));
        double tol = dt == DataType.DOUBLE ? 1e-5 : 1e-3;
        double err = orthonormalityError(flat.reshape(order, shape), order, 1.0);
        assertTrue(err < tol, "orthonormality error " + err + " for " + java.util.Arrays.toString(shape) + " " + dt);
    }

    @Test
    void gainScalesTheGramMatrix() {
        Nd4j.getRandom().setSeed(3);
        INDArray flat = Nd4j.create(DataType.DOUBLE, 40 * 30);
        new OrthogonalInit(1.7).init(40, 30, new long[] {40, 30}, 'f', flat);
        assertTrue(orthonormalityError(flat.reshape('f', 40, 30), 'f', 1.7) < 1e-10);
    }

    @Test
    void inANetworkDenseAndConvWeightsAreOrthonormal() {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(5)
                    .dataType(dt)
                    .weightInit(new OrthogonalInit())
                    .list()
                    .layer(new ConvolutionLayer.Builder(3, 3)
                            .nOut(12)
                            .activation(Activation.RELU)
                            .build())
                    .layer(new ConvolutionLayer.Builder(3, 3)
                            .nOut(200)
                            .activation(Activation.RELU)
                            .build())
                    .layer(new DenseLayer.Builder()
                            .nOut(40)
                            .activation(Activation.RELU)
                            .build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .nOut(10)
                            .activation(Activation.SOFTMAX)
                            .build())
                    .setInputType(InputType.convolutional(8, 8, 2))
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            double tol = dt == DataType.DOUBLE ? 1e-5 : 1e-3;
            // conv 12 x 18 (wide), conv 200 x 108 (tall), dense [7200, 40] (tall), output [40, 10] (tall)
            assertTrue(orthonormalityError(net.getParam("0_W"), 'c', 1) < tol);
            assertTrue(orthonormalityError(net.getParam("1_W"), 'c', 1) < tol);
            assertTrue(orthonormalityError(net.getParam("2_W"), 'f', 1) < tol);
            assertTrue(orthonormalityError(net.getParam("3_W"), 'f', 1) < tol);
        }
    }

    /**
     * Haar measure: for an n×n Haar orthogonal Q, E[Q₁₁] = 0 and E[Q₁₁²] = 1/n. Without the sign correction LAPACK's
     * Householder QR makes R₁₁ = −sign(G₁₁)·‖G₁‖, so Q₁₁ = −|G₁₁|/‖G₁‖ is never positive: this test catches it.
     */
    @Test
    void signCorrectionMakesTheDistributionHaar() {
        Nd4j.getRandom().setSeed(2024);
        int n = 4;
        int draws = 4000;
        double sum = 0;
        double sumSq = 0;
        double diagSum = 0;
        for (int i = 0; i < draws; i++) {
            INDArray q = OrthogonalInit.orthonormal(n, n);
            double q11 = q.getDouble(0, 0);
            sum += q11;
            sumSq += q11 * q11;
            diagSum += q.getDouble(1, 1) + q.getDouble(2, 2) + q.getDouble(3, 3);
        }
        double se = Math.sqrt(1.0 / n / draws); // sd of Q11 is 1/√n
        assertEquals(0.0, sum / draws, 5 * se);
        assertEquals(0.0, diagSum / draws, 5 * Math.sqrt(3.0) * se); // entries correlate weakly; 3 terms
        // Var(Q11²) = E[Q11⁴] − 1/n² = 3/(n(n+2)) − 1/n²
        double sdSq = Math.sqrt(3.0 / (n * (n + 2.0)) - 1.0 / (n * n));
        assertEquals(1.0 / n, sumSq / draws, 5 * sdSq / Math.sqrt(draws));
    }

    @Test
    void sameSeedSameMatrixDifferentSeedDifferentMatrix() {
        Nd4j.getRandom().setSeed(99);
        INDArray a = OrthogonalInit.orthonormal(20, 30);
        Nd4j.getRandom().setSeed(99);
        INDArray b = OrthogonalInit.orthonormal(20, 30);
        Nd4j.getRandom().setSeed(100);
        INDArray c = OrthogonalInit.orthonormal(20, 30);
        assertArrayEquals(a.dup('c').data().asDouble(), b.dup('c').data().asDouble());
        assertNotEquals(a.getDouble(0, 0), c.getDouble(0, 0));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrthogonalInit(-1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OrthogonalInit(Double.NaN));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OrthogonalInit().init(3, 3, new long[] {9}, 'c', Nd4j.create(DataType.DOUBLE, 9)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OrthogonalInit().init(3, 3, new long[] {3, 4}, 'c', Nd4j.create(DataType.DOUBLE, 9)));
        assertThrows(IllegalArgumentException.class, () -> OrthogonalInit.orthonormal(0, 3));
    }

    @Test
    void jsonRoundTripInAConfigurationAndGoldenFixture() throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .weightInit(new OrthogonalInit(1.5))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder()
                        .nIn(3)
                        .nOut(2)
                        .weightInit(new OrthogonalInit())
                        .build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(
                new OrthogonalInit(1.5),
                ((org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(0).getLayer()).getWeightInitFn());

        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        String golden;
        try (InputStream in = OrthogonalInitTest.class.getResourceAsStream("/lsuv/orthogonal-init.json")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        IWeightInit parsed = mapper.readValue(golden, IWeightInit.class);
        assertEquals(new OrthogonalInit(1.4142135623730951), parsed);
        assertEquals(parsed, mapper.readValue(mapper.writeValueAsString(parsed), IWeightInit.class));
        assertEquals(new OrthogonalInit(2).hashCode(), new OrthogonalInit(2).hashCode());
        assertEquals("OrthogonalInit(gain=2.0)", new OrthogonalInit(2).toString());
    }
}
