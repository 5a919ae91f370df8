package dev.heinit.internal.dl4j;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerRulesTest {

    private static DenseLayer dense() {
        return new DenseLayer.Builder()
                .nIn(3)
                .nOut(4)
                .activation(Activation.TANH)
                .build();
    }

    @Test
    void unwrapGoesThroughEveryWrapperButNotBidirectional() {
        DenseLayer d = dense();
        assertSame(d, LayerRule.unwrap(new FrozenLayer(d)));
        LSTM lstm = new LSTM.Builder().nIn(3).nOut(4).build();
        assertSame(lstm, LayerRule.unwrap(new FrozenLayer(new LastTimeStep(lstm))));
        Bidirectional bi = new Bidirectional(lstm);
        assertSame(bi, LayerRule.unwrap(bi));
        assertThrows(IllegalArgumentException.class, () -> LayerRule.unwrap(null));
    }

    @Test
    void oneWhitelistOfLayersThatOutputTheirActivation() {
        assertTrue(LayerRules.of(dense()).appliesActivation());
        assertTrue(
                LayerRules.of(new FrozenLayer(dense())).appliesActivation(), "a wrapper answers for the wrapped layer");
        assertTrue(LayerRules.of(new LossLayer.Builder().build()).appliesActivation());
        assertTrue(
                LayerRules.of(new Convolution1DLayer.Builder(3).nIn(1).nOut(2).build())
                        .appliesActivation());
        assertFalse(LayerRules.of(new BatchNormalization.Builder().build()).appliesActivation(), "BN never applies it");
        assertFalse(
                LayerRules.of(new PReLULayer.Builder().inputShape(3).build()).appliesActivation(), "PReLU: own slopes");
        assertFalse(LayerRules.of(new LSTM.Builder().nIn(3).nOut(4).build()).appliesActivation(), "LSTM: inside gates");
    }

    /**
     * SimpleRnn, decided once: its output h_t = f(x_t·W + h_{t−1}·RW + b) is f of its own pre-activation, so it is
     * in the whitelist (the configuration pass takes its output as f); but that pre-activation contains h_{t−1},
     * so the diagnostics cannot read z by running it with the identity: it is recurrent.
     */
    @Test
    void simpleRnnAppliesItsActivationButIsRecurrent() {
        SimpleRnn conf = new SimpleRnn.Builder()
                .nIn(2)
                .nOut(3)
                .activation(Activation.TANH)
                .build();
        assertTrue(LayerRules.of(conf).appliesActivation());
        assertTrue(LayerRules.of(conf).isRecurrent());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new SimpleRnn.Builder()
                        .nIn(2)
                        .nOut(3)
                        .activation(Activation.TANH)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(3)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        assertFalse(LayerActivations.appliesConfiguredActivation(net.getLayer(0)));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 4);
        INDArray h = net.feedForward(x).get(1); // [1, 3, 4]
        INDArray w = net.getLayer(0).getParam("W");
        INDArray rw = net.getLayer(0).getParam("RW");
        INDArray b = net.getLayer(0).getParam("b");
        INDArray prev = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        for (int t = 0; t < 4; t++) {
            INDArray xt = x.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(t));
            INDArray z = xt.mmul(w).add(prev.mmul(rw)).addRowVector(b);
            INDArray expected = Transforms.tanh(z, true);
            INDArray got = h.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(t));
            assertTrue(expected.equalsWithEps(got, 1e-12), "t=" + t + ": h_t = tanh(x_t·W + h_{t-1}·RW + b)");
            prev = got;
        }
    }

    @Test
    void weightKeysAreWhatDl4jInitializes() {
        Layer[] layers = {
            dense(),
            new OutputLayer.Builder().nIn(3).nOut(2).build(),
            new CenterLossOutputLayer.Builder().nIn(3).nOut(2).build(),
            new SeparableConvolution2D.Builder(3, 3).nIn(2).nOut(4).build(),
            new Convolution1DLayer.Builder(3).nIn(2).nOut(4).build(),
            new LSTM.Builder().nIn(3).nOut(4).build(),
            new SimpleRnn.Builder().nIn(3).nOut(4).build(),
            new Bidirectional(new LSTM.Builder().nIn(3).nOut(4).build()),
            new FrozenLayer(dense()),
            new EmbeddingSequenceLayer.Builder().nIn(10).nOut(4).build(),
            new PReLULayer.Builder().inputShape(3).build()
        };
        for (Layer l : layers) {
            Set<String> recorded = new LinkedHashSet<>();
            for (WeightSlot c : LayerRules.of(l).weightSlots("x")) {
                recorded.add(c.key());
            }
            Set<String> keys = LayerRules.of(l).weightKeys();
            if (l instanceof CenterLossOutputLayer) {
                recorded.add("cL"); // a weight parameter DL4J starts at zero without calling the init
            }
            assertEquals(recorded, keys, l.getClass().getSimpleName());
        }
        assertEquals(
                List.of("fW", "fRW", "bW", "bRW"),
                List.copyOf(LayerRules.of(new Bidirectional(
                                new LSTM.Builder().nIn(3).nOut(4).build()))
                        .weightKeys()));
        assertEquals(
                Set.of(),
                LayerRules.of(new BatchNormalization.Builder().build()).weightKeys());
    }

    @Test
    void initCallsNameSlotAndFans() {
        List<WeightSlot> calls =
                LayerRules.of(new LSTM.Builder().nIn(3).nOut(4).build()).weightSlots("lstm");
        // DL4J's LSTM passes fan_in = nOut and fan_out = nIn + nOut for its input weights (the fans TrueFanInit
        // replaces)
        assertEquals(
                new WeightSlot("lstm", "LSTM", "W", 0, false, new long[] {3, 16}, 4, 7, Double.NaN, Double.NaN),
                calls.get(0));
        assertTrue(Double.isNaN(calls.get(0).fanIn()), "fans to draw with are not chosen by the rule");
        assertTrue(calls.get(1).recurrent());
        assertEquals("RW", calls.get(1).key());
        List<WeightSlot> bi = LayerRules.of(
                        new Bidirectional(new LSTM.Builder().nIn(3).nOut(4).build()))
                .weightSlots("bi");
        // DL4J's Bidirectional initializes both directions through the wrapped layer's init slots (base layer 0)
        assertEquals(
                List.of("fW", "fRW", "bW", "bRW"),
                bi.stream().map(WeightSlot::key).collect(java.util.stream.Collectors.toList()));
        assertTrue(bi.stream().allMatch(c -> c.initSlot() == 0), bi.toString());
    }

    @Test
    void outputLayersByTypeAndUnsupportedLayers() {
        assertTrue(
                LayerRules.of(new OutputLayer.Builder().nIn(3).nOut(2).build()).isOutput());
        assertTrue(LayerRules.of(new LossLayer.Builder().build()).isOutput());
        assertTrue(
                LayerRules.of(new CenterLossOutputLayer.Builder().nIn(3).nOut(2).build())
                        .isOutput());
        assertFalse(LayerRules.of(dense()).isOutput());
        assertTrue(LayerRules.of(new FrozenLayer(
                        new EmbeddingSequenceLayer.Builder().nIn(10).nOut(4).build()))
                .isEmbedding());
        assertFalse(LayerRules.of(dense()).isEmbedding());
        assertTrue(LayerRules.of(new SelfAttentionLayer.Builder()
                        .nIn(4)
                        .nOut(4)
                        .nHeads(1)
                        .build())
                .unsupportedReason()
                .get()
                .contains("SameDiff"));
        assertTrue(LayerRules.of(new FrozenLayer(new org.deeplearning4j.nn.conf.ocnn.OCNNOutputLayer.Builder()
                        .nIn(4)
                        .hiddenLayerSize(3)
                        .build()))
                .unsupportedReason()
                .get()
                .contains("OCNNOutputLayer"));
        assertFalse(LayerRules.of(dense()).unsupportedReason().isPresent());
    }
}
