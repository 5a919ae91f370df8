package dev.heinit.internal.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerActivationsTest {

    private static MultiLayerNetwork mixed() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .weightInit(dev.heinit.HeInit.normal())
                .list()
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.TANH)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new PReLULayer.Builder().inputShape(8).build())
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .setInputType(InputType.feedForward(6))
                .build());
        net.init();
        return net;
    }

    @Test
    void onlyLayersThatOutputTheirConfiguredActivationOfZ() {
        Layer[] l = mixed().getLayers();
        assertTrue(LayerActivations.appliesConfiguredActivation(l[0]));
        assertFalse(LayerActivations.appliesConfiguredActivation(l[1]), "BatchNormalization ignores its activation");
        assertFalse(LayerActivations.appliesConfiguredActivation(l[2]), "PReLU applies its own slopes");
        assertTrue(LayerActivations.appliesConfiguredActivation(l[3]));
        assertFalse(LayerActivations.appliesConfiguredActivation(null));
        assertNull(LayerActivations.configuredActivation(l[1]));
        MultiLayerNetwork rnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LSTM.Builder()
                        .nIn(3)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .build())
                .layer(new SimpleRnn.Builder()
                        .nIn(4)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(4)
                        .nOut(5)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        rnn.init();
        assertFalse(LayerActivations.appliesConfiguredActivation(rnn.getLayer(0)), "LSTM: inside the recurrence");
        assertFalse(LayerActivations.appliesConfiguredActivation(rnn.getLayer(1)), "SimpleRnn: inside the recurrence");
        assertTrue(LayerActivations.appliesConfiguredActivation(rnn.getLayer(2)));
        // softmax over [mb, classes, time] is not f applied to the rank-3 z
        assertFalse(LayerActivations.outputIsActivationOf(rnn.getLayer(2), Nd4j.zeros(2, 5, 3)));
        assertTrue(LayerActivations.outputIsActivationOf(rnn.getLayer(2), Nd4j.zeros(2, 5)));
    }

    @Test
    void identitySwapYieldsZAndRestoresTheActivation() {
        MultiLayerNetwork net = mixed();
        Layer dense = net.getLayer(0);
        IActivation f = LayerActivations.configuredActivation(dense);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 6).subi(0.5);
        INDArray z = LayerActivations.withIdentityActivation(
                dense, () -> dense.activate(x, false, LayerWorkspaceMgr.noWorkspaces()));
        INDArray expected = x.mmul(net.getParam("0_W")).addiRowVector(net.getParam("0_b"));
        assertEquals(0, expected.distance2(z), 1e-12);
        assertSame(f, LayerActivations.configuredActivation(dense));
        assertTrue(LayerActivations.outputIsActivationOf(dense, z));
        INDArray a = dense.activate(x, false, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(0, f.getActivation(z.dup(), false).distance2(a), 1e-12);
        assertThrows(
                IllegalStateException.class,
                () -> LayerActivations.withIdentityActivation(dense, () -> {
                    throw new IllegalStateException("boom");
                }));
        assertSame(f, LayerActivations.configuredActivation(dense), "restored after an exception");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LayerActivations.withIdentityActivation(net.getLayer(1), () -> null));
        assertTrue(e.getMessage().contains("BatchNormalization"), e.getMessage());
    }
}
