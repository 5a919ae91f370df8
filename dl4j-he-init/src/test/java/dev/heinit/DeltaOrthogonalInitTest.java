package dev.heinit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import dev.heinit.gain.Gains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeltaOrthogonalInitTest {

    /** Max |CᵀC − g²I| for the centre tap C = w[:, :, kH/2, kW/2] ([nOut, nIn]). */
    private static double centreError(INDArray w, double gain) {
        INDArray c = w.castTo(DataType.DOUBLE)
                .get(
                        NDArrayIndex.all(),
                        NDArrayIndex.all(),
                        NDArrayIndex.point(w.size(2) / 2),
                        NDArrayIndex.point(w.size(3) / 2))
                .dup();
        INDArray gram = c.transpose().mmul(c);
        return gram.sub(Nd4j.eye(gram.rows()).castTo(DataType.DOUBLE).muli(gain * gain))
                .amaxNumber()
                .doubleValue();
    }

    private static double offCentreMaxAbs(INDArray w) {
        INDArray copy = w.castTo(DataType.DOUBLE).dup();
        copy.get(
                        NDArrayIndex.all(),
                        NDArrayIndex.all(),
                        NDArrayIndex.point(w.size(2) / 2),
                        NDArrayIndex.point(w.size(3) / 2))
                .assign(0);
        return copy.amaxNumber().doubleValue();
    }

    @Test
    void centreTapIsOrthogonalTimesTheGainAndEveryOtherTapIsZero() {
        double gain = Gains.critical(new ActivationTanH(), 0.01).sigmaW();
        long[][] shapes = {{16, 16, 3, 3}, {24, 5, 5, 5}, {7, 1, 3, 3}, {8, 8, 1, 1}, {12, 4, 3, 5}};
        for (long[] shape : shapes) {
            Nd4j.getRandom().setSeed(17);
            long n = shape[0] * shape[1] * shape[2] * shape[3];
            INDArray flat = Nd4j.create(DataType.DOUBLE, n + 4).get(NDArrayIndex.interval(2, 2 + n));
            flat.assign(5); // stale values must be overwritten, not kept
            INDArray w = new DeltaOrthogonalInit(gain).init(0, 0, shape, 'c', flat);
            String s = java.util.Arrays.toString(shape);
            assertTrue(centreError(w, gain) < 1e-6, "centre tap not orthogonal for " + s);
            assertEquals(0.0, offCentreMaxAbs(w), 0.0, "non-centre taps not zero for " + s);
            assertEquals(flat.getDouble(0), w.getDouble(0, 0, 0, 0), 0.0, "the result is the parameter view");
        }
    }

    @Test
    void inAFloatNetworkEveryConvIsDeltaOrthogonal() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .weightInit(new DeltaOrthogonalInit(1.3))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new OutputLayer.Builder()
                        .nOut(2)
                        .weightInit(new OrthogonalInit())
                        .build())
                .setInputType(InputType.convolutional(6, 6, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (String p : new String[] {"0_W", "1_W"}) {
            assertTrue(centreError(net.getParam(p), 1.3) < 1e-5, p);
            assertEquals(0.0, offCentreMaxAbs(net.getParam(p)), 0.0, p);
        }
    }

    @Test
    void badShapesAndGainsAreNamed() {
        DeltaOrthogonalInit d = new DeltaOrthogonalInit();
        IllegalArgumentException wide = assertThrows(
                IllegalArgumentException.class,
                () -> d.init(0, 0, new long[] {4, 8, 3, 3}, 'c', Nd4j.create(DataType.DOUBLE, 4 * 8 * 9)));
        assertTrue(wide.getMessage().contains("nIn = 8, nOut = 4"), wide.getMessage());
        assertTrue(wide.getMessage().contains("[4, 8, 3, 3]"), wide.getMessage());
        IllegalArgumentException even = assertThrows(
                IllegalArgumentException.class,
                () -> d.init(0, 0, new long[] {8, 8, 2, 3}, 'c', Nd4j.create(DataType.DOUBLE, 8 * 8 * 6)));
        assertTrue(even.getMessage().contains("odd") && even.getMessage().contains("[8, 8, 2, 3]"), even.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> d.init(0, 0, new long[] {4, 4}, 'f', Nd4j.create(DataType.DOUBLE, 16)));
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> new DeltaOrthogonalInit(-1));
        assertTrue(g.getMessage().contains("-1.0"), g.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeltaOrthogonalInit(Double.POSITIVE_INFINITY));
    }

    @Test
    void requireApplicableNamesTheLayer() {
        MultiLayerConfiguration narrowing = new NeuralNetConfiguration.Builder()
                .weightInit(new DeltaOrthogonalInit())
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new OutputLayer.Builder()
                        .nOut(2)
                        .weightInit(new OrthogonalInit())
                        .build())
                .setInputType(InputType.convolutional(6, 6, 1))
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeltaOrthogonalInit.requireApplicable(narrowing));
        assertTrue(e.getMessage().startsWith("layer 1 (ConvolutionLayer)"), e.getMessage());
        assertTrue(e.getMessage().contains("nIn = 8, nOut = 4"), e.getMessage());

        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder()
                .weightInit(new DeltaOrthogonalInit())
                .graphBuilder()
                .addInputs("in")
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nOut(2).build(), "c")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .build();
        IllegalArgumentException dense =
                assertThrows(IllegalArgumentException.class, () -> DeltaOrthogonalInit.requireApplicable(graph));
        assertTrue(dense.getMessage().startsWith("layer 'out' (OutputLayer)"), dense.getMessage());
    }

    @Test
    void jsonRoundTripInAConfigurationAndGoldenFixture() throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .weightInit(new DeltaOrthogonalInit(1.005))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).build())
                .layer(new OutputLayer.Builder()
                        .nOut(2)
                        .weightInit(new OrthogonalInit())
                        .build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(
                new DeltaOrthogonalInit(1.005), ((BaseLayer) back.getConf(0).getLayer()).getWeightInitFn());

        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        String golden;
        try (InputStream in = DeltaOrthogonalInitTest.class.getResourceAsStream("/golden/DeltaOrthogonalInit.json")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        IWeightInit parsed = mapper.readValue(golden, IWeightInit.class);
        assertEquals(new DeltaOrthogonalInit(1.005), parsed);
        assertEquals(mapper.readTree(golden), mapper.readTree(mapper.writeValueAsString(parsed)));
        assertEquals("DeltaOrthogonalInit(gain=2.0)", new DeltaOrthogonalInit(2).toString());
        assertEquals(new DeltaOrthogonalInit(2).hashCode(), new DeltaOrthogonalInit(2).hashCode());
    }
}
