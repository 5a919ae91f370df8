package dev.heinit.config;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DebugTmpTest {
    @Test
    void debug() {
        IActivation[] acts = {new ActivationGELU(), new ActivationSwish(), new ActivationTanH(), new ActivationELU(), new ActivationSELU()};
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list();
        for (int l = 0; l < 10; l++) {
            lb.layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(new ActivationIdentity()).build());
            if (l < 9) lb.layer(new ActivationLayer(acts[l % 5]));
        }
        MultiLayerConfiguration conf = HeConfigurer.apply(lb.build());
        System.out.println(HeConfigurer.plan(lb.build()).toText());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.randn(DataType.FLOAT, 256, 512);
        List<INDArray> ff = net.feedForward(x, false);
        for (int i = 0; i < ff.size(); i++) {
            INDArray a = ff.get(i);
            System.out.println(i + " ms " + a.mul(a).meanNumber() + (i % 2 == 1 ? " Wstd " + net.getParam((i - 1) + "_W").stdNumber() : ""));
        }
    }
}
