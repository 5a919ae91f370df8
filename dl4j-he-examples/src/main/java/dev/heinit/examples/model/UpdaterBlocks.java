package dev.heinit.examples.model;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Gives every weight layer of a configuration its own DL4J updater block: a workaround for a training step whose
 * cost grows with the square of the depth in DL4J 1.0.0-M2.1.
 *
 * <p><b>Why.</b> DL4J merges consecutive parameters whose updater configurations are {@code equals} into one
 * {@code UpdaterBlock}; a net built with one global updater is one block of P = 2L variables (weights and biases of
 * L layers). Every M2.1 training step takes the updater's "external gradient" path ({@code DefaultGradient.gradient()}
 * returns a new reshape, so {@code BaseMultiLayerUpdater}'s identity test never sees the network's own gradient view),
 * and there {@code UpdaterBlock.applyRegularizationAllVariables} reassigns {@code fullNetworkParamsArray =
 * fullNetworkParamsArray.reshape(…)} once per variable: the k-th variable's parameter view sits on a chain of k
 * buffer views, which {@code wasClosed()} and {@code pointer()} walk recursively, twice per step. That is
 * Σk ≈ P²/2 buffer hops per step: 96 % of the Java samples of a training step at depth 330 (JFR), 21 CPU-s per step at depth 1,000.
 *
 * <p><b>What.</b> Weight layer k (k = 1, 2, …) gets the configured updater with its learning rate α given as
 * {@code StepSchedule(ITERATION, α, decay 1, step k)}: α · 1^⌊t/k⌋ = α, the same double at every step, so the update is
 * the same op on the same elements; but no two layers' configurations are {@code equals}, so every block ends at its
 * layer, whatever order DL4J lays the layers out in (a graph's topological order), and the chain is at most two views
 * long. The loss of a run is bitwise the same with and without (measured: {@code bench updater}). An updater without a
 * learning rate, or one that already has a learning-rate schedule, is left as it is.
 *
 * <p><b>When it can go.</b> With DL4J's fix (hoist the reshape out of the loop; {@code
 * upstream/patches/11-updater-block-quadratic-reshape}) in a release after 1.0.0-M2.1.
 */
public final class UpdaterBlocks {

    private UpdaterBlocks() {}

    /** Splits the updater blocks of {@code conf} at every layer (in place); returns {@code conf}. */
    public static MultiLayerConfiguration perLayer(MultiLayerConfiguration conf) {
        List<Layer> layers = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            layers.add(c.getLayer());
        }
        distinguish(layers);
        return conf;
    }

    /** Splits the updater blocks of {@code conf} at every layer (in place); returns {@code conf}. */
    public static ComputationGraphConfiguration perLayer(ComputationGraphConfiguration conf) {
        List<Layer> layers = new ArrayList<>();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                layers.add(lv.getLayerConf().getLayer());
            }
        }
        distinguish(layers);
        return conf;
    }

    /**
     * The opposite of {@link #perLayer(MultiLayerConfiguration)}, for measuring what it saves: every weight layer of
     * {@code conf} (in place) gets a copy of the first weight layer's updater and no separate bias updater, so DL4J
     * merges them into one block again; returns {@code conf}.
     */
    public static MultiLayerConfiguration oneBlock(MultiLayerConfiguration conf) {
        IUpdater first = null;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof BaseLayer b && b.getIUpdater() != null) {
                first = first == null ? b.getIUpdater() : first;
                b.setIUpdater(first.clone());
                b.setBiasUpdater(null);
            }
        }
        return conf;
    }

    private static void distinguish(List<Layer> layers) {
        int k = 0;
        for (Layer l : layers) {
            if (!(l instanceof BaseLayer b) || b.getIUpdater() == null) {
                continue;
            }
            k++;
            IUpdater w = distinct(b.getIUpdater(), k);
            IUpdater bias = b.getBiasUpdater() == null ? null : distinct(b.getBiasUpdater(), k);
            if (w != null && (b.getBiasUpdater() == null || bias != null)) {
                b.setIUpdater(w);
                b.setBiasUpdater(bias);
            }
        }
    }

    /**
     * {@code u} with its constant learning rate α given as {@code StepSchedule(ITERATION, α, 1, k)}, or null if
     * {@code u} has no learning rate or already a schedule (setting α back without a schedule does not give {@code u}).
     */
    static IUpdater distinct(IUpdater u, int k) {
        if (!u.hasLearningRate()) {
            return null;
        }
        double lr = u.getLearningRate(0, 0);
        IUpdater plain = u.clone();
        plain.setLrAndSchedule(lr, null);
        if (!plain.equals(u)) {
            return null;
        }
        IUpdater s = u.clone();
        s.setLrAndSchedule(lr, new StepSchedule(ScheduleType.ITERATION, lr, 1.0, k));
        return s;
    }
}
