package dev.heinit.examples.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import dev.heinit.HeInit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Network shapes match the paper's counting and the default net of docs/results/headline.md; every init name builds a network. */
class ModelsTest {

    private static final TrainSetup SETUP = new TrainSetup(new Sgd(0.01), 1, CacheMode.NONE);

    @Test
    void plainDepth30Has29ConvsAndEndsAt4x4() {
        MultiLayerConfiguration c = Models.plainCnn(30, 16, ImageShape.MNIST, HeInit.normal(), SETUP);
        assertEquals(30, c.getConfs().size());
        long strided = c.getConfs().stream()
                .map(x -> x.getLayer())
                .filter(l -> l instanceof ConvolutionLayer)
                .filter(l -> ((ConvolutionLayer) l).getStride()[0] == 2)
                .count();
        assertEquals(3, strided);
        assertEquals(Set.of(1, 2, 3), Models.downsamplePositions(29));
        assertEquals(Set.of(1), Models.downsamplePositions(2));
        MultiLayerNetwork net = new MultiLayerNetwork(c);
        net.init();
        List<INDArray> acts = net.feedForward(Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28), false);
        assertArrayEquals(new long[] {2, 16, 28, 28}, acts.get(1).shape());
        assertArrayEquals(new long[] {2, 16, 14, 14}, acts.get(2).shape());
        assertArrayEquals(new long[] {2, 16, 7, 7}, acts.get(3).shape());
        assertArrayEquals(new long[] {2, 16, 4, 4}, acts.get(4).shape());
        assertArrayEquals(new long[] {2, 16, 4, 4}, acts.get(29).shape());
        assertArrayEquals(new long[] {2, 10}, acts.get(30).shape());
    }

    @Test
    void residualHasTheSameWeightLayers() {
        ComputationGraph g = new ComputationGraph(Models.residualCnn(30, 16, ImageShape.MNIST, HeInit.normal(), SETUP));
        g.init();
        long weightLayers = java.util.Arrays.stream(g.getLayers())
                .filter(l -> l.numParams() > 0)
                .count();
        assertEquals(30, weightLayers);
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)}, false);
        assertArrayEquals(new long[] {2, 10}, acts.get("out").shape());
        assertTrue(
                acts.keySet().stream().filter(k -> k.startsWith("add")).count() >= 10,
                acts.keySet().toString());
    }

    @Test
    void residual110Has110WeightLayersAnd52Blocks() {
        ComputationGraphConfiguration c =
                Models.residualCnn(110, 16, ImageShape.MNIST, HeInit.normal(), SETUP, HiddenActivation.parse("silu"));
        long weightLayers = c.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && !(lv.getLayerConf().getLayer() instanceof ActivationLayer))
                .count();
        assertEquals(110, weightLayers);
        assertEquals(
                52,
                c.getVertices().keySet().stream()
                        .filter(k -> k.startsWith("add"))
                        .count());
        // the activation after each sum is the net's own
        assertTrue(c.getVertices().entrySet().stream()
                .filter(e -> e.getKey().startsWith("relu"))
                .allMatch(e -> ((ActivationLayer) ((LayerVertex) e.getValue())
                                        .getLayerConf()
                                        .getLayer())
                                .getActivationFn()
                        instanceof dev.heinit.activation.SiLU));
    }

    @Test
    void heCriticalGivesTheInputLayerTheIdentitysSigmaAndTheOthersTheActivations() {
        HiddenActivation silu = HiddenActivation.parse("silu");
        Net net = Net.create(Arch.PLAIN, 5, 4, ImageShape.MNIST, InitScheme.HE_CRITICAL, silu, SETUP, null);
        MultiLayerConfiguration c = net.multiLayer().orElseThrow().getLayerWiseConfigurations();
        HeInit first = (HeInit) ((BaseLayer) c.getConf(0).getLayer()).getWeightInitFn();
        HeInit second = (HeInit) ((BaseLayer) c.getConf(1).getLayer()).getWeightInitFn();
        assertEquals(1.0, first.criticality().orElseThrow().sigmaW(), 1e-9);
        assertEquals(2.0, second.criticality().orElseThrow().sigmaW(), 1e-6); // SiLU at sigma_b = 0: 1/f'(0)
        Net g = Net.create(Arch.RESIDUAL, 7, 4, ImageShape.MNIST, InitScheme.HE_CRITICAL, silu, SETUP, null);
        ComputationGraphConfiguration gc = g.graph().orElseThrow().getConfiguration();
        assertEquals(
                1.0,
                ((HeInit) ((BaseLayer) ((LayerVertex) gc.getVertices().get("conv0"))
                                        .getLayerConf()
                                        .getLayer())
                                .getWeightInitFn())
                        .criticality()
                        .orElseThrow()
                        .sigmaW(),
                1e-9);
    }

    @Test
    void macCountOfTheDefaultNet() {
        List<Long> macs = Models.forwardMacs(30, 16, ImageShape.MNIST);
        assertEquals(30, macs.size());
        assertEquals(28L * 28 * 16 * 1 * 9, macs.get(0));
        assertEquals(14L * 14 * 16 * 16 * 9, macs.get(1));
        assertEquals(4L * 4 * 16 * 16 * 9, macs.get(28));
        assertEquals(4L * 4 * 16 * 10, macs.get(29));
    }

    @Test
    void badDepth() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Models.plainCnn(1, 16, ImageShape.MNIST, HeInit.normal(), SETUP));
        assertTrue(e.getMessage().contains("got 1"));
    }

    @ParameterizedTest
    @EnumSource(InitScheme.class)
    void everySchemeBuildsAndTrainsAStep(InitScheme s) {
        for (Arch arch : Arch.values()) {
            boolean applies = switch (s) {
                case FIXUP -> arch == Arch.RESIDUAL;
                case DELTA_ORTHOGONAL -> arch == Arch.PLAIN;
                case ZERO_RESIDUAL -> arch == Arch.RESNET;
                default -> true;
            };
            // depth 7 is the shallowest residual net with a block; 8 the shallowest ResNet (6n+2)
            int depth = arch == Arch.RESNET ? 8 : arch == Arch.RESIDUAL ? 7 : 4;
            if (!applies) {
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Net.configuration(arch, depth, 4, ImageShape.MNIST, s, HiddenActivation.RELU, SETUP),
                        s + " " + arch);
                continue;
            }
            Net net = Net.create(
                    arch,
                    depth,
                    4,
                    ImageShape.MNIST,
                    s,
                    SETUP,
                    new DataSet(
                            Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28),
                            Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7)));
            net.fit(new DataSet(
                    Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7)));
            assertTrue(Double.isFinite(net.score()), s + " " + arch);
        }
        assertEquals(s, InitScheme.byName(s.cliName().toUpperCase()));
    }

    @Test
    void unknownNameListsValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitScheme.byName("kaiming"));
        assertTrue(
                e.getMessage().contains("kaiming") && e.getMessage().contains(InitScheme.validNames()), e.getMessage());
    }
}
