package dev.heinit.examples.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

import dev.heinit.DeltaOrthogonalInit;
import dev.heinit.gain.Gains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The depth schemes (delta-orthogonal, fixup, zero-residual) and the batch-norm ResNet, on small nets. */
class DepthSchemesTest {

    private static final TrainSetup SETUP = new TrainSetup(new Sgd(0.01), 1, CacheMode.NONE);
    private static final HiddenActivation TANH = HiddenActivation.parse("tanh");

    private static INDArray centre(INDArray w) {
        return w.castTo(DataType.DOUBLE)
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.point(1))
                .dup();
    }

    @Test
    void resnetHasSixNPlusTwoWeightLayersAndRejectsOtherDepths() {
        ComputationGraphConfiguration c = ResNets.resnet(
                20, 4, ImageShape.MNIST, InitScheme.HE.layerInit(HiddenActivation.RELU), SETUP, HiddenActivation.RELU);
        long convs = c.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer)
                .count();
        long bns = c.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization)
                .count();
        assertEquals(19 + 2, convs, "stem + 6n convs + 2 projection shortcuts");
        assertEquals(19 + 2, bns);
        ComputationGraph net = new ComputationGraph(c);
        net.init();
        assertEquals(
                10, net.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)).size(1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ResNets.resnet(
                        21,
                        4,
                        ImageShape.MNIST,
                        InitScheme.HE.layerInit(HiddenActivation.RELU),
                        SETUP,
                        HiddenActivation.RELU));
        assertTrue(e.getMessage().contains("6n+2") && e.getMessage().contains("21"), e.getMessage());
    }

    @Test
    void zeroResidualSetsTheLastBatchNormOfEveryBlockToZero() {
        Net net = Net.create(Arch.RESNET, 14, 4, ImageShape.MNIST, InitScheme.ZERO_RESIDUAL, SETUP, null);
        ComputationGraph g = net.graph().orElseThrow();
        int zero = 0;
        int one = 0;
        for (org.deeplearning4j.nn.api.Layer l : g.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                double gamma = l.getParam("gamma").meanNumber().doubleValue();
                boolean last = l.conf().getLayer().getLayerName().endsWith("_bn2");
                assertEquals(last ? 0.0 : 1.0, gamma, 0.0, l.conf().getLayer().getLayerName());
                if (last) {
                    zero++;
                } else {
                    one++;
                }
            }
        }
        assertEquals(6, zero, "n = 2 blocks in each of 3 stages");
        assertEquals(1 + 6 + 2, one, "stem, first BN of each block, projection BNs");
    }

    @Test
    void fixupZeroesTheSecondConvOfEachResidualBlockAndTheClassifier() {
        Net net = Net.create(Arch.RESIDUAL, 12, 4, ImageShape.MNIST, InitScheme.FIXUP, SETUP, null);
        ComputationGraph g = net.graph().orElseThrow();
        // depth 12: 11 convs; conv0-3 the stem, blocks (conv4,conv5), (conv6,conv7), (conv8,conv9); conv10 plain.
        for (String zero : new String[] {"conv5_W", "conv7_W", "conv9_W", "out_W"}) {
            assertEquals(0.0, g.getParam(zero).amaxNumber().doubleValue(), 0.0, zero);
        }
        for (String live : new String[] {"conv0_W", "conv4_W", "conv6_W", "conv10_W"}) {
            assertTrue(g.getParam(live).amaxNumber().doubleValue() > 0, live);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> Net.configuration(
                        Arch.PLAIN, 12, 4, ImageShape.MNIST, InitScheme.FIXUP, HiddenActivation.RELU, SETUP));
        IllegalArgumentException bn = assertThrows(
                IllegalArgumentException.class,
                () -> Net.configuration(
                        Arch.RESNET, 14, 4, ImageShape.MNIST, InitScheme.FIXUP, HiddenActivation.RELU, SETUP));
        assertTrue(bn.getMessage().contains("BatchNormalization"), bn.getMessage());
    }

    @Test
    void deltaOrthogonalHasAGaussianStemAnOrthogonalBodyAndSmallBiases() {
        Net net = Net.create(Arch.PLAIN, 10, 8, ImageShape.MNIST, InitScheme.DELTA_ORTHOGONAL, TANH, SETUP, null);
        MultiLayerNetwork m = net.multiLayer().orElseThrow();
        double sigmaW = ((DeltaOrthogonalInit) InitScheme.DELTA_ORTHOGONAL.layerInit(TANH)).gain();
        // tanh's edge of chaos at sigma_b = 0.01: q* ~ 0.04, chi = 1 at sigma_w ~ 1.042
        assertEquals(Gains.critical(new ActivationTanH(), 0.01).sigmaW(), sigmaW, 0.0);
        assertEquals(1.042, sigmaW, 0.001);
        for (int i = 0; i < 9; i++) {
            INDArray w = m.getParam(i + "_W");
            INDArray c = centre(w);
            double offCentre = w.castTo(DataType.DOUBLE).sumNumber().doubleValue()
                    - c.sumNumber().doubleValue();
            if (i < 4) { // stem: Gaussian, so taps off the centre are non-zero
                assertTrue(Math.abs(offCentre) > 0, "layer " + i);
            } else {
                INDArray gram = c.transpose().mmul(c);
                double err = gram.sub(Nd4j.eye(8).castTo(DataType.DOUBLE).mul(sigmaW * sigmaW))
                        .amaxNumber()
                        .doubleValue();
                assertTrue(err < 1e-5, "layer " + i + ": " + err);
                assertEquals(
                        w.castTo(DataType.DOUBLE).norm2Number().doubleValue(),
                        c.norm2Number().doubleValue(),
                        1e-5,
                        "only the centre tap is non-zero in layer " + i);
            }
            // 8 biases of std 0.01: all within 5 sigma, not all zero
            double bmax = m.getParam(i + "_b").amaxNumber().doubleValue();
            assertTrue(bmax > 0 && bmax < 0.05, "bias of layer " + i + ": " + bmax);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> Net.configuration(
                        Arch.RESIDUAL, 10, 8, ImageShape.MNIST, InitScheme.DELTA_ORTHOGONAL, TANH, SETUP));
    }

    @Test
    void deltaOrthogonalOnANarrowingNetNamesTheLayer() {
        MultiLayerConfiguration c =
                Models.plainCnn(10, 8, ImageShape.MNIST, InitScheme.DELTA_ORTHOGONAL.layerInit(TANH), SETUP, TANH);
        ((ConvolutionLayer) c.getConf(6).getLayer()).setNOut(4);
        ((ConvolutionLayer) c.getConf(7).getLayer()).setNIn(4);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> InitScheme.DELTA_ORTHOGONAL.configure(c, ImageShape.MNIST));
        assertTrue(
                e.getMessage().startsWith("layer 6") && e.getMessage().contains("nIn = 8, nOut = 4"), e.getMessage());
    }
}
