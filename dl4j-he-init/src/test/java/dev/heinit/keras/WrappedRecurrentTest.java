package dev.heinit.keras;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.config.HeConfigurer;
import dev.heinit.config.InitPlan;
import dev.heinit.stats.TensorStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keras's Bidirectional(LSTM, return_sequences=False), as DL4J 1.0.0-M2.1 imports it, wraps the LSTM in LastTimeStep
 * inside the Bidirectional (or the Bidirectional in LastTimeStep): Embedding → Bidirectional(LastTimeStep(LSTM)) →
 * Dense made KerasReinit fail with "LastTimeStep cannot be cast to BaseLayer". Built here directly in DL4J, in the
 * three shapes (LastTimeStep inside, outside, and under a stacked sequence-returning Bidirectional), each is
 * re-initialized to Keras's draws and configured by the pass.
 */
class WrappedRecurrentTest {

    private static final int VOCAB = 50;
    private static final int H = 64;

    /**
     * DL4J's builder does not pass the network's default weight init into an LSTM inside LastTimeStep inside
     * Bidirectional (its init stays null and the network cannot be initialized); Keras's import sets every layer's
     * init, so does this.
     */
    private static Layer lstm(int nIn) {
        return new LSTM.Builder()
                .nIn(nIn)
                .nOut(H)
                .activation(Activation.TANH)
                .weightInit(WeightInit.XAVIER)
                .build();
    }

    private static MultiLayerConfiguration net(Layer... recurrent) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .name("emb")
                        .nIn(VOCAB)
                        .nOut(H)
                        .build());
        for (Layer l : recurrent) {
            b.layer(l);
        }
        return b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nIn(2 * H)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    private static Layer named(Layer l, String name) {
        l.setLayerName(name);
        return l;
    }

    private static String lstmJson(String name, boolean sequences) {
        return "{\"class_name\":\"Bidirectional\",\"config\":{\"name\":\"" + name + "\",\"merge_mode\":\"concat\","
                + "\"layer\":{\"class_name\":\"LSTM\",\"config\":{\"name\":\"lstm_" + name + "\",\"units\":" + H
                + ",\"return_sequences\":" + sequences + ",\"activation\":\"tanh\","
                + "\"kernel_initializer\":{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":1.0,"
                + "\"mode\":\"fan_avg\",\"distribution\":\"uniform\",\"seed\":null}},"
                + "\"recurrent_initializer\":{\"class_name\":\"Orthogonal\",\"config\":{\"gain\":1.0,\"seed\":null}},"
                + "\"bias_initializer\":{\"class_name\":\"Zeros\",\"config\":{}},\"unit_forget_bias\":true,"
                + "\"use_bias\":true}}}}";
    }

    private static String kerasJson(String... recurrent) {
        return "{\"class_name\":\"Sequential\",\"keras_version\":\"2.0.8\",\"config\":["
                + "{\"class_name\":\"Embedding\",\"config\":{\"name\":\"emb\",\"input_dim\":" + VOCAB
                + ",\"output_dim\":" + H + ",\"embeddings_initializer\":{\"class_name\":\"RandomUniform\","
                + "\"config\":{\"minval\":-0.05,\"maxval\":0.05,\"seed\":null}}}},"
                + String.join(",", recurrent)
                + ",{\"class_name\":\"Dense\",\"config\":{\"name\":\"out\",\"units\":2,\"activation\":\"softmax\","
                + "\"kernel_initializer\":{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":1.0,"
                + "\"mode\":\"fan_avg\",\"distribution\":\"uniform\",\"seed\":null}},"
                + "\"bias_initializer\":{\"class_name\":\"Zeros\",\"config\":{}}}}]}";
    }

    /**
     * Every bidirectional weight is re-initialized; the forward LSTM's input weights, drawn by the initialized
     * network, have Keras's std √(2/(fan_in + fan_out)) = √(2/(64 + 256)) within 5 standard errors (16384 uniform
     * draws, kurtosis 1.8: relative SE of the std ½·√(0.8/n) = 0.35%); the configuration pass plans and applies
     * over the same shape.
     */
    private static void check(MultiLayerConfiguration conf, String json, List<String> bidirectional, int layer) {
        KerasReinit.Result<MultiLayerConfiguration> r = KerasReinit.reinitialize(conf, json);
        for (String name : bidirectional) {
            for (String p : List.of("fW", "fRW", "bW", "bRW")) {
                List<KerasPlan.Row> rows = r.plan().rows().stream()
                        .filter(x -> x.layer().equals(name) && x.param().equals(p))
                        .collect(java.util.stream.Collectors.toList());
                assertEquals(1, rows.size(), name + " " + p + " in\n" + r.plan());
                assertEquals(KerasPlan.Change.REINITIALIZED, rows.get(0).change(), name + " " + p);
            }
            assertTrue(
                    r.plan().rows().stream()
                            .anyMatch(x -> x.layer().equals(name) && x.param().equals("b")),
                    "bias row of " + name);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(r.configuration());
        net.init();
        INDArray w = net.getLayer(layer).getParam("fW");
        double std = TensorStats.of(w).std();
        double keras = Math.sqrt(2.0 / (H + 4 * H));
        assertEquals(keras, std, 5 * keras * 0.5 * Math.sqrt(0.8 / w.length()), "fW std");
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}});
        assertEquals(2, net.output(x).size(1));

        InitPlan plan = HeConfigurer.plan(conf);
        for (String name : bidirectional) {
            assertEquals(
                    InitPlan.Status.CONFIGURED, plan.rows(name, "fW").get(0).status(), name);
            assertEquals(
                    InitPlan.Status.CONFIGURED, plan.rows(name, "bRW").get(0).status(), name);
        }
        MultiLayerNetwork configured = new MultiLayerNetwork(HeConfigurer.apply(conf));
        configured.init();
        assertTrue(Double.isFinite(configured.output(x).sumNumber().doubleValue()));
    }

    @Test
    void lastTimeStepInsideBidirectional() {
        check(
                net(named(new Bidirectional(new LastTimeStep(lstm(H))), "bi")),
                kerasJson(lstmJson("bi", false)),
                List.of("bi"),
                1);
    }

    @Test
    void lastTimeStepAroundBidirectional() {
        check(
                net(named(new LastTimeStep(new Bidirectional(lstm(H))), "bi")),
                kerasJson(lstmJson("bi", false)),
                List.of("bi"),
                1);
    }

    @Test
    void stackedBidirectionals() {
        check(
                net(
                        named(new Bidirectional(lstm(H)), "bi1"),
                        named(new Bidirectional(new LastTimeStep(lstm(2 * H))), "bi2")),
                kerasJson(lstmJson("bi1", true), lstmJson("bi2", false)),
                List.of("bi1", "bi2"),
                1);
    }
}
