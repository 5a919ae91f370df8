package dev.heinit.activation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The activations survive DL4J's JSON, ModelSerializer and Java serialization inside a network, and their JSON
 * form is pinned: the class names and the {@code form} values are a saved-model format.
 */
class ActivationSerializationTest {

    private static final List<IActivation> ALL =
            List.of(new SiLU(), GELU.exact(), GELU.tanhApprox(), GELU.sigmoidApprox());

    private static MultiLayerNetwork net() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(11)
                .dataType(DataType.FLOAT)
                .list();
        for (int i = 0; i < ALL.size(); i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(6)
                    .nOut(6)
                    .activation(ALL.get(i))
                    .build());
        }
        b.layer(new ActivationLayer.Builder().activation(GELU.exact()).build());
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(6)
                .nOut(2)
                .activation(Activation.IDENTITY)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    private static IActivation activationOf(MultiLayerNetwork net, int layer) {
        return ((BaseLayer) net.getLayerWiseConfigurations().getConf(layer).getLayer()).getActivationFn();
    }

    @Test
    void jsonFormIsPinned() throws IOException {
        String[] want = {
            "{\"@class\":\"dev.heinit.activation.SiLU\"}",
            "{\"@class\":\"dev.heinit.activation.GELU\",\"form\":\"EXACT\"}",
            "{\"@class\":\"dev.heinit.activation.GELU\",\"form\":\"TANH\"}",
            "{\"@class\":\"dev.heinit.activation.GELU\",\"form\":\"SIGMOID\"}"
        };
        for (int i = 0; i < ALL.size(); i++) {
            String json =
                    NeuralNetConfiguration.mapper().writerFor(IActivation.class).writeValueAsString(ALL.get(i));
            assertEquals(
                    NeuralNetConfiguration.mapper().readTree(want[i]),
                    NeuralNetConfiguration.mapper().readTree(json));
            assertEquals(ALL.get(i), NeuralNetConfiguration.mapper().readValue(want[i], IActivation.class));
        }
    }

    @Test
    void configurationJsonRoundTrip() {
        MultiLayerConfiguration conf = net().getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        for (int i = 0; i < ALL.size(); i++) {
            assertEquals(ALL.get(i), ((BaseLayer) back.getConf(i).getLayer()).getActivationFn());
        }
        assertEquals(GELU.exact(), ((ActivationLayer) back.getConf(ALL.size()).getLayer()).getActivationFn());
        assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
    }

    @Test
    void modelSerializerRoundTripGivesTheSameOutputsAndGradients() throws IOException {
        MultiLayerNetwork net = net();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork back =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);

        for (int i = 0; i < ALL.size(); i++) {
            assertEquals(ALL.get(i), activationOf(back, i));
        }
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 6).muli(40); // large inputs: the overflow region
        INDArray y = Nd4j.randn(DataType.FLOAT, 5, 2);
        assertEquals(net.output(x), back.output(x));
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        back.setInput(x);
        back.setLabels(y);
        back.computeGradientAndScore();
        assertEquals(net.gradient().gradient(), back.gradient().gradient());
        for (double g : net.gradient().gradient().toDoubleVector()) {
            assertTrue(Double.isFinite(g), "gradient " + g);
        }
    }

    @Test
    void javaSerializationRoundTrip() throws Exception {
        for (IActivation a : ALL) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(a);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(a, in.readObject());
            }
        }
    }
}
