package org.deeplearning4j.nn.params;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

@DisplayName("SeparableConvolution2D pointwise fan-out")
class SeparablePointwiseFanOutTest {

    private static INDArray pointwise(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(128).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(8, 8, 16))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net.getParam("0_pW").dup();
    }

    @Test
    @DisplayName("Xavier init of the 1x1 pointwise weights [128, 16*2] draws std sqrt(2/(32 + 128))")
    void pointwiseFanOutIsNOut() {
        INDArray w = pointwise(12345);
        assertEquals(w, pointwise(12345), "reseeded networks draw the same weights");
        double std = Math.sqrt(2.0 / (32 + 128));
        // SE of the sample std of a normal: std / sqrt(2n)
        assertEquals(std, w.stdNumber().doubleValue(), 5 * std / Math.sqrt(2.0 * w.length()));
    }
}
