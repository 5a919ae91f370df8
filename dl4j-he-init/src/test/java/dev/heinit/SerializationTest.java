package dev.heinit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every init variant survives DL4J's JSON and ModelSerializer like a built-in, and its JSON form is pinned by a
 * golden fixture per class: a rename or field change that would break users' saved models fails here.
 */
class SerializationTest {

    static final List<IWeightInit> VARIANTS = List.of(
            HeInit.normal(),
            HeInit.uniform().fanOut().nonlinearity(Nonlinearity.leakyRelu(0.1)),
            HeInit.truncatedNormal().fanAvg().nonlinearity(Nonlinearity.GELU),
            HeInit.normal().gain(1.3),
            HeInit.uniform().nonlinearity(Nonlinearity.TANH).gainConvention(GainConvention.PYTORCH),
            HeInit.normal().nonlinearity(Nonlinearity.SILU).fanOut(),
            new VarianceScalingInit(1.0, FanMode.FAN_AVG, Sampler.UNIFORM),
            new VarianceScalingInit(2.0, FanMode.FAN_IN, Sampler.TRUNCATED_NORMAL));

    private static MultiLayerConfiguration mlp() {
        NeuralNetConfiguration.ListBuilder b =
                new NeuralNetConfiguration.Builder().seed(7).list();
        int i = 0;
        for (IWeightInit w : VARIANTS) {
            b.layer(
                    i++,
                    new DenseLayer.Builder()
                            .nIn(12)
                            .nOut(12)
                            .activation(Activation.RELU)
                            .weightInit(w)
                            .build());
        }
        b.layer(
                i,
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(12)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .weightInit(HeInit.normal().nonlinearity(Nonlinearity.LINEAR))
                        .build());
        return b.build();
    }

    private static MultiLayerConfiguration convAndRecurrent() {
        return new NeuralNetConfiguration.Builder()
                .seed(8)
                .weightInit(HeInit.uniform())
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(6)
                        .weightInit(HeInit.truncatedNormal().fanOut())
                        .build())
                .layer(new OutputLayer.Builder()
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
    }

    private static ComputationGraphConfiguration graph() {
        return new NeuralNetConfiguration.Builder()
                .seed(9)
                .weightInit(HeInit.normal().fanAvg())
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "lstm",
                        new LSTM.Builder()
                                .nIn(5)
                                .nOut(7)
                                .activation(Activation.TANH)
                                .weightInit(HeInit.normal().nonlinearity(Nonlinearity.TANH))
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new RnnOutputLayer.Builder()
                                .nIn(7)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .weightInit(new VarianceScalingInit(1, FanMode.FAN_IN, Sampler.NORMAL))
                                .build(),
                        "lstm")
                .setOutputs("out")
                .build();
    }

    @Test
    void multiLayerConfigurationJsonRoundTrip() {
        for (MultiLayerConfiguration c : List.of(mlp(), convAndRecurrent())) {
            String json = c.toJson();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
            assertEquals(c, back);
            assertEquals(json, back.toJson());
        }
    }

    @Test
    void computationGraphConfigurationJsonRoundTrip() {
        ComputationGraphConfiguration c = graph();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(c.toJson());
        assertEquals(c, back);
        assertEquals(c.toJson(), back.toJson());
    }

    @Test
    void modelSerializerRoundTripMultiLayerNetwork(@TempDir Path dir) throws IOException {
        for (MultiLayerConfiguration c : List.of(mlp(), convAndRecurrent())) {
            MultiLayerNetwork net = new MultiLayerNetwork(c);
            net.init();
            File f = dir.resolve("net.zip").toFile();
            ModelSerializer.writeModel(net, f, true);
            MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
            assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
            assertEquals(net.params(), back.params());
            // Restored configurations re-initialize to the same weights: the init is live, not a dead blob.
            MultiLayerNetwork fresh = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                    back.getLayerWiseConfigurations().toJson()));
            fresh.init();
            assertEquals(net.params(), fresh.params());
        }
    }

    @Test
    void modelSerializerRoundTripComputationGraph(@TempDir Path dir) throws IOException {
        ComputationGraph net = new ComputationGraph(graph());
        net.init();
        File f = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(net.getConfiguration(), back.getConfiguration());
        assertEquals(net.params(), back.params());
    }

    /** The persisted form of each class, pinned: class name, property names and enum constants are a format. */
    @ParameterizedTest
    @ValueSource(strings = {"HeInit", "VarianceScalingInit"})
    void goldenJson(String name) throws IOException {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        IWeightInit expected = name.equals("HeInit")
                ? HeInit.truncatedNormal()
                        .fanAvg()
                        .nonlinearity(Nonlinearity.leakyRelu(0.1))
                        .gain(1.25)
                        .gainConvention(GainConvention.PYTORCH)
                : new VarianceScalingInit(2.0, FanMode.FAN_OUT, Sampler.UNIFORM);
        String golden = resource("golden/" + name + ".json");
        assertEquals(expected, mapper.readValue(golden, IWeightInit.class), "the fixture still reads");
        JsonNode written = mapper.readTree(mapper.writeValueAsString(expected));
        assertEquals(mapper.readTree(golden), written, "the written form is unchanged");
    }

    @Test
    void goldenJsonOfEveryNonlinearity() throws IOException {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        JsonNode golden = mapper.readTree(resource("golden/HeInit-nonlinearities.json"));
        Nonlinearity[] all = {
            Nonlinearity.LINEAR,
            Nonlinearity.SIGMOID,
            Nonlinearity.TANH,
            Nonlinearity.RELU,
            Nonlinearity.SELU,
            Nonlinearity.GELU,
            Nonlinearity.SILU,
            Nonlinearity.leakyRelu(-0.5)
        };
        assertEquals(all.length, golden.size());
        for (int i = 0; i < all.length; i++) {
            HeInit h = HeInit.normal().nonlinearity(all[i]);
            assertEquals(golden.get(i), mapper.readTree(mapper.writeValueAsString(h)), all[i].toString());
            assertEquals(h, mapper.readValue(golden.get(i).toString(), IWeightInit.class));
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = SerializationTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
