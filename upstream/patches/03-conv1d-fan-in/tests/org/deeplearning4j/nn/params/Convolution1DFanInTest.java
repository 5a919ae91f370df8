package org.deeplearning4j.nn.params;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

@DisplayName("Convolution1DLayer fan-in")
class Convolution1DFanInTest {

    private static INDArray weights(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU)
                .list()
                .layer(new Convolution1DLayer.Builder(5).nIn(64).nOut(64).build())
                .layer(new RnnOutputLayer.Builder().nOut(2).activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .setInputType(InputType.recurrent(64, 32))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net.getParam("0_W").dup();
    }

    @Test
    @DisplayName("He init of a Conv1D with kernel 5 and 64 input channels draws std sqrt(2/(64*5)), not sqrt(2/(64*25))")
    void conv1dFanInCountsKTaps() {
        INDArray w = weights(12345);
        assertEquals(w, weights(12345), "reseeded networks draw the same weights");
        double std = Math.sqrt(2.0 / (64 * 5));
        // SE of the sample std of a normal: std / sqrt(2n)
        assertEquals(std, w.stdNumber().doubleValue(), 5 * std / Math.sqrt(2.0 * w.length()));
    }
}
