package dev.heinit.examples.model;

import java.util.List;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-layer updater blocks: every block within one layer, and the same training steps bit for bit. */
class UpdaterBlocksTest {

    private static final TrainSetup SETUP = new TrainSetup(new Nesterovs(0.01, 0.9), 1, CacheMode.NONE);
    private static final HiddenActivation TANH = HiddenActivation.parse("tanh");

    private static void assertOneLayerPerBlock(List<UpdaterBlock> blocks, int weightLayers, String net) {
        assertTrue(blocks.size() >= weightLayers, net + ": " + blocks.size() + " blocks for " + weightLayers);
        for (UpdaterBlock b : blocks) {
            Trainable first = b.getLayersAndVariablesInBlock().get(0).getLayer();
            for (UpdaterBlock.ParamState p : b.getLayersAndVariablesInBlock()) {
                assertTrue(p.getLayer() == first, net + ": a block spans two layers");
            }
        }
    }

    @Test
    void everyArchHasOneUpdaterBlockPerLayerAfterItsSchemes() {
        // The schemes that rewrite a configuration (the configuration pass, Fixup's copy, the ResNet's γ = 0) keep the
        // per-layer updaters; the ResNet's graph order differs from its insertion order.
        Object[][] nets = {
            {Arch.PLAIN, 12, InitScheme.DELTA_ORTHOGONAL},
            {Arch.PLAIN, 12, InitScheme.HE_AUTO},
            {Arch.RESIDUAL, 12, InitScheme.FIXUP},
            {Arch.RESIDUAL, 12, InitScheme.HE_AUTO},
            {Arch.RESNET, 14, InitScheme.ZERO_RESIDUAL},
        };
        for (Object[] c : nets) {
            Arch arch = (Arch) c[0];
            int depth = (Integer) c[1];
            InitScheme sc = (InitScheme) c[2];
            Net n = Net.create(arch, depth, 4, ImageShape.MNIST, sc, TANH, SETUP, null);
            List<UpdaterBlock> blocks = n.multiLayer().isPresent()
                    ? ((BaseMultiLayerUpdater<?>) n.multiLayer().get().getUpdater()).getUpdaterBlocks()
                    : n.graph().orElseThrow().getUpdater().getUpdaterBlocks();
            assertOneLayerPerBlock(blocks, depth, arch.cliName() + " " + sc.cliName());
        }
    }

    @Test
    void trainingStepsAreBitwiseTheSameAsWithOneBlock() {
        MultiLayerConfiguration split =
                Models.plainCnn(10, 4, ImageShape.MNIST, InitScheme.HE.layerInit(TANH), SETUP, TANH);
        MultiLayerConfiguration oneBlock = UpdaterBlocks.oneBlock(split.clone());
        Nd4j.getRandom().setSeed(7);
        DataSet batch = new DataSet(
                Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28),
                Nd4j.eye(10).castTo(DataType.FLOAT).getRows(0, 1, 2, 3, 4, 5, 6, 7));
        float[][] params = new float[2][];
        double[][] scores = new double[2][3];
        int k = 0;
        for (MultiLayerConfiguration c : List.of(oneBlock, split)) {
            org.deeplearning4j.nn.multilayer.MultiLayerNetwork net =
                    new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(c);
            net.init();
            for (int s = 0; s < 3; s++) {
                net.fit(batch);
                scores[k][s] = net.score();
            }
            params[k] = net.params().data().asFloat();
            assertEquals(
                    k == 0 ? 1 : 10,
                    ((BaseMultiLayerUpdater<?>) net.getUpdater())
                            .getUpdaterBlocks()
                            .size());
            k++;
        }
        assertArrayEquals(scores[0], scores[1], 0.0);
        assertArrayEquals(params[0], params[1], 0.0f);
        assertNotEquals(scores[0][0], scores[0][2], "the steps moved the loss");
    }

    @Test
    void onlyAConstantLearningRateIsRewritten() {
        IUpdater s = UpdaterBlocks.distinct(new Adam(0.003), 3);
        for (int t : new int[] {0, 1, 2, 3, 7, 1_000_000}) {
            assertEquals(0.003, s.getLearningRate(t, 2), 0.0, "iteration " + t);
        }
        assertNotEquals(new Adam(0.003), s);
        assertNotEquals(UpdaterBlocks.distinct(new Adam(0.003), 4), s);
        assertNull(UpdaterBlocks.distinct(new NoOp(), 1));
        assertNull(UpdaterBlocks.distinct(
                new Nesterovs(new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.99), 0.9), 1));
    }
}
