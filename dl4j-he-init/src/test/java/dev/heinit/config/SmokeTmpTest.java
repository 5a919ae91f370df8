package dev.heinit.config;

import org.deeplearning4j.nn.conf.*;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SmokeTmpTest {
    @Test
    void smoke() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(32).activation(Activation.RELU).convolutionMode(ConvolutionMode.Same).build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).activation(Activation.GELU).convolutionMode(ConvolutionMode.Same).build())
                .layer(new SeparableConvolution2D.Builder(3, 3).nOut(8).depthMultiplier(2).activation(Activation.TANH).convolutionMode(ConvolutionMode.Same).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.ELU))
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(20).activation(Activation.SWISH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(14, 14, 16)).build();
        System.out.println(HeConfigurer.plan(conf).toText());
        System.out.println(HeConfigurer.builder().fanConvention(dev.heinit.fan.FanConvention.PADDING_AWARE).inputType(InputType.convolutional(14, 14, 16)).plan(conf).toCsv());
        MultiLayerConfiguration c2 = HeConfigurer.apply(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(c2);
        net.init();
        for (String k : net.paramTable().keySet()) System.out.println(k + " std " + net.getParam(k).stdNumber());
        MultiLayerConfiguration lstm = new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(64).nOut(128).activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(3, 2).nIn(128).nOut(32).build())
                .layer(new RnnOutputLayer.Builder().nIn(32).nOut(4).activation(Activation.SOFTMAX).build()).build();
        System.out.println(HeConfigurer.plan(lstm).toText());
    }
}
