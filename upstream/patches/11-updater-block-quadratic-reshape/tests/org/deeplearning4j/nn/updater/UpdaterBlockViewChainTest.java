package org.deeplearning4j.nn.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

@DisplayName("UpdaterBlock: the parameter views of a block's variables do not stack one buffer view per variable")
class UpdaterBlockViewChainTest {

    private static final int LAYERS = 60;

    /** Records, per call, the parameter view handed to the regularization and the length of its buffer chain. */
    static final class Recorder implements Regularization {
        final List<float[]> views = new ArrayList<>();
        final List<Integer> chains = new ArrayList<>();

        @Override
        public ApplyStep applyStep() {
            return ApplyStep.BEFORE_UPDATER;
        }

        @Override
        public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
            views.add(param.toFloatVector()); // a Java copy: param lives in the updater's workspace
            chains.add(chainLength(param.data()));
        }

        @Override
        public double score(INDArray param, int iteration, int epoch) {
            return 0;
        }

        @Override
        public Regularization clone() {
            return this; // shared by every layer, so one instance sees every variable
        }
    }

    /** Buffers between {@code b} and the buffer that owns the memory ({@code underlyingDataBuffer()} hops). */
    static int chainLength(DataBuffer b) {
        int n = 0;
        while (b.underlyingDataBuffer() != null && b.underlyingDataBuffer() != b) {
            b = b.underlyingDataBuffer();
            n++;
        }
        return n;
    }

    @Test
    @DisplayName("A 60-layer net (one updater block of 120 variables): every parameter view is at most 3 buffers from"
            + " the network's parameters, and is the variable's own parameters")
    void viewChainIsBoundedPerVariable() {
        Recorder rec = new Recorder();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.0))
                .regularization(new ArrayList<>(List.of(rec)))
                .regularizationBias(new ArrayList<>(List.of(rec)))
                .list();
        for (int i = 0; i < LAYERS - 1; i++) {
            b.layer(new DenseLayer.Builder().nIn(3).nOut(3).activation(Activation.TANH).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(3)
                .activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        Nd4j.getRandom().setSeed(2);
        net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.rand(DataType.FLOAT, 4, 3)));

        // Each variable's calls come in a run (M2.1 calls this regularization twice per variable here: observed).
        int perVariable = rec.chains.size() / (2 * LAYERS);
        assertTrue(perVariable >= 1 && rec.chains.size() == perVariable * 2 * LAYERS, "calls: " + rec.chains.size());
        int max = rec.chains.stream().mapToInt(Integer::intValue).max().orElse(0);
        // Before the fix the k-th variable's view sat on a chain of k + 2 buffers (121 for the last variable here, measured);
        // one reshape of the parameter vector and one interval view are 2 hops.
        assertTrue(max <= 3, "longest buffer chain of a parameter view: " + max + " (chains " + rec.chains + ")");
        // The views are the right slices: with lr 0 the parameters after fit() are those the regularization saw.
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < LAYERS; i++) {
            for (String name : new String[] {"W", "b"}) {
                INDArray p = net.getLayer(i).getParam(name);
                expected.add(Nd4j.toFlattened(p.ordering(), p).toFloatVector()); // memory order, as the flat views
            }
        }
        for (int c = 0; c < rec.views.size(); c++) {
            assertArrayEquals(expected.get(c / perVariable), rec.views.get(c), 0f, "call " + c);
        }
    }
}
