package org.deeplearning4j.nn.params;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

@DisplayName("LSTM and GravesLSTM fans")
class LSTMFansTest {

    private static final int N_IN = 256;
    private static final int H = 64;

    private static MultiLayerNetwork net(Layer lstm, WeightInit init, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).weightInit(init).list()
                .layer(lstm)
                .layer(new RnnOutputLayer.Builder().nIn(H).nOut(2).activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    private static void assertStd(String what, INDArray w, double std) {
        // SE of the sample std of a normal: std / sqrt(2n)
        assertEquals(std, w.stdNumber().doubleValue(), 5 * std / Math.sqrt(2.0 * w.length()), what);
    }

    @Test
    @DisplayName("He init: input weights std sqrt(2/nIn), recurrent weights std sqrt(2/H)")
    void heInit() {
        for (boolean graves : new boolean[] {false, true}) {
            Layer l = graves ? new GravesLSTM.Builder().nIn(N_IN).nOut(H).build()
                    : new LSTM.Builder().nIn(N_IN).nOut(H).build();
            MultiLayerNetwork a = net(l, WeightInit.RELU, 42);
            MultiLayerNetwork b = net(l.clone(), WeightInit.RELU, 42);
            assertEquals(a.params(), b.params(), "reseeded networks draw the same weights");
            String what = graves ? "GravesLSTM " : "LSTM ";
            assertStd(what + "W", a.getParam("0_W"), Math.sqrt(2.0 / N_IN));
            assertStd(what + "RW", a.getParam("0_RW"), Math.sqrt(2.0 / H));
        }
    }

    @Test
    @DisplayName("Xavier init: input weights std sqrt(2/(nIn + 4H))")
    void xavierInit() {
        MultiLayerNetwork a = net(new LSTM.Builder().nIn(N_IN).nOut(H).build(), WeightInit.XAVIER, 7);
        assertStd("LSTM W", a.getParam("0_W"), Math.sqrt(2.0 / (N_IN + 4 * H)));
        assertStd("LSTM RW", a.getParam("0_RW"), Math.sqrt(2.0 / (H + 4 * H)));
    }
}
