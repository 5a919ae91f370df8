package dev.heinit.config;

import java.util.List;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.heinit.HeInit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixupTest {

    private static final int WIDTH = 16;

    /**
     * A stem conv, then {@code l} identity-shortcut blocks relu(x + conv_m(relu(…conv_1(x)))) of {@code m} 3×3
     * convs each (block b's convs are "b{b}c{i}", its Add "add{b}"), then a softmax output; optionally a batch norm
     * after each block's first conv.
     */
    static ComputationGraphConfiguration residual(int l, int m, boolean batchNorm) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.DOUBLE)
                .weightInit(HeInit.normal())
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "stem",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(WIDTH)
                                .activation(Activation.RELU)
                                .build(),
                        "in");
        String prev = "stem";
        for (int b = 0; b < l; b++) {
            String x = prev;
            for (int i = 1; i <= m; i++) {
                String name = "b" + b + "c" + i;
                g.addLayer(
                        name,
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(WIDTH)
                                .activation(i == m ? Activation.IDENTITY : Activation.RELU)
                                .build(),
                        prev);
                prev = name;
                if (batchNorm && i == 1) {
                    g.addLayer("bn" + b, new BatchNormalization.Builder().build(), prev);
                    prev = "bn" + b;
                }
            }
            g.addVertex("add" + b, new ElementWiseVertex(ElementWiseVertex.Op.Add), prev, x);
            g.addLayer(
                    "relu" + b,
                    new ActivationLayer.Builder().activation(Activation.RELU).build(),
                    "add" + b);
            prev = "relu" + b;
        }
        return g.addLayer(
                        "out",
                        new OutputLayer.Builder()
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        prev)
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .build();
    }

    private static double std(INDArray w) {
        return Math.sqrt(w.castTo(DataType.DOUBLE).mul(w).meanNumber().doubleValue());
    }

    @Test
    void fiveBranchesOfTwoAndOfThreeLayersGetTheirFactorAndAZeroLastLayer() {
        for (int m : new int[] {2, 3}) {
            Fixup.Result r = Fixup.defaults().apply(residual(5, m, false));
            assertEquals(5, r.branches());
            double f = Math.pow(5, -1.0 / (2 * m - 2)); // m = 2: 5^(-1/2), m = 3: 5^(-1/4)
            assertEquals(5 * m + 1, r.rows().size());
            for (Fixup.Row row : r.rows()) {
                if (row.role() == Fixup.Role.ZERO_CLASSIFIER) {
                    assertEquals("out", row.layer());
                    continue;
                }
                assertEquals(m, row.m());
                assertEquals(5, row.l());
                boolean last = row.layer().endsWith("c" + m);
                assertEquals(last ? Fixup.Role.ZERO_LAST : Fixup.Role.SCALED, row.role(), row.layer());
                assertEquals(last ? 0 : f, row.factor(), 1e-15, row.layer());
                assertEquals("add" + row.layer().charAt(1), row.branch());
            }

            ComputationGraph net = new ComputationGraph(r.conf());
            net.init();
            ComputationGraph plain = new ComputationGraph(residual(5, m, false));
            plain.init();
            // Everything up to the first zeroed layer draws the same random numbers: exactly f times He's weights.
            INDArray scaled = net.getParam("b0c1_W");
            assertEquals(
                    0, scaled.sub(plain.getParam("b0c1_W").mul(f)).amaxNumber().doubleValue(), 1e-12);
            double he = Math.sqrt(2.0 / (WIDTH * 9));
            for (int b = 0; b < 5; b++) {
                assertEquals(
                        0.0, net.getParam("b" + b + "c" + m + "_W").amaxNumber().doubleValue(), 0.0);
                for (int i = 1; i < m; i++) {
                    // 2,304 Gaussian weights: the sample std's relative SE is 1/sqrt(2n) = 1.5 %; 5 SE.
                    double s = std(net.getParam("b" + b + "c" + i + "_W"));
                    assertEquals(f * he, s, 5 * f * he / Math.sqrt(2 * WIDTH * WIDTH * 9.0), "b" + b + "c" + i);
                }
            }
            assertEquals(0.0, net.getParam("out_W").amaxNumber().doubleValue(), 0.0);
            assertNotEquals(0.0, net.getParam("stem_W").amaxNumber().doubleValue());
        }
    }

    @Test
    void theClassifierKeepsItsInitWhenAsked() {
        Fixup.Result r = Fixup.defaults().zeroClassifier(false).apply(residual(2, 2, false));
        assertFalse(r.rows().stream().anyMatch(x -> x.role() == Fixup.Role.ZERO_CLASSIFIER));
        assertEquals(
                HeInit.normal(),
                ((BaseLayer) ((LayerVertex) r.conf().getVertices().get("out"))
                                .getLayerConf()
                                .getLayer())
                        .getWeightInitFn());
        assertTrue(Fixup.defaults().zeroesClassifier());
    }

    @Test
    void theInputIsUnchangedAndTheResultRoundTripsThroughJson() {
        ComputationGraphConfiguration in = residual(3, 2, false);
        String before = in.toJson();
        Fixup.Result r = Fixup.defaults().apply(in);
        assertEquals(before, in.toJson());
        ComputationGraphConfiguration back =
                ComputationGraphConfiguration.fromJson(r.conf().toJson());
        assertEquals(r.conf(), back);
        BaseLayer b0c1 = (BaseLayer)
                ((LayerVertex) back.getVertices().get("b0c1")).getLayerConf().getLayer();
        assertEquals(new ScaledInit(HeInit.normal(), Math.pow(3, -0.5)), b0c1.getWeightInitFn());
        BaseLayer b0c2 = (BaseLayer)
                ((LayerVertex) back.getVertices().get("b0c2")).getLayerConf().getLayer();
        assertEquals(new WeightInitConstant(0.0), b0c2.getWeightInitFn());
        List<String> lines = r.toText().lines().collect(Collectors.toList());
        assertEquals(3 * 2 + 1 + 1, lines.size());
    }

    @Test
    void graphsThatAreNotFixupResidualNetsAreRejectedByName() {
        ComputationGraphConfiguration noBlocks = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nOut(2).build(), "c")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .build();
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class, () -> Fixup.defaults().apply(noBlocks));
        assertTrue(none.getMessage().startsWith("no residual branches found"), none.getMessage());

        IllegalArgumentException bn = assertThrows(
                IllegalArgumentException.class, () -> Fixup.defaults().apply(residual(2, 2, true)));
        assertTrue(
                bn.getMessage().contains("'bn0'") && bn.getMessage().contains("BatchNormalization"), bn.getMessage());

        IllegalArgumentException one = assertThrows(
                IllegalArgumentException.class, () -> Fixup.defaults().apply(residual(2, 1, false)));
        assertTrue(one.getMessage().contains("'add0'") && one.getMessage().contains("m >= 2"), one.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Fixup.defaults().apply(null));
        assertThrows(IllegalArgumentException.class, () -> Fixup.factor(4, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScaledInit(HeInit.normal(), -1));
    }
}
