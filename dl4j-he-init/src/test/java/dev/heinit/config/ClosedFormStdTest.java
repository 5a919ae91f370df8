package dev.heinit.config;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * fan_out and fan_avg stds of LSTM, Bidirectional, Conv1D and Embedding weights against numbers written out here
 * from the fans and the moments E[f²], E[f'²] of the tensors around each weight (computed by the test's own
 * Simpson oracle), not against the plan's own std(): {@code std = √(1/(wIn·fan_in·E_in + wOut·fan_out·E_out))},
 * (wIn, wOut) = (0, 1) for fan_out and (1/2, 1/2) for fan_avg.
 */
class ClosedFormStdTest {

    private static final double TANH2 = Simpson.expectation(z -> Math.tanh(z) * Math.tanh(z));
    private static final double DTANH2 = Simpson.expectation(z -> Math.pow(1 - Math.tanh(z) * Math.tanh(z), 2));
    private static final double RELU2 = 0.5; // E[relu(z)²] and E[relu'(z)²]

    private static double std(FanMode m, double fanIn, double eIn, double fanOut, double eOut) {
        return Math.sqrt(1 / (m.inWeight() * fanIn * eIn + m.outWeight() * fanOut * eOut));
    }

    /** Embedding (vocab 20 → 6, identity) → LSTM (6 → 7, tanh) → RnnOutput (7 → 2, identity). */
    private static MultiLayerConfiguration embeddingLstm() {
        return new NeuralNetConfiguration.Builder()
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .nIn(20)
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new LSTM.Builder()
                        .nIn(6)
                        .nOut(7)
                        .activation(Activation.TANH)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(7)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
    }

    @Test
    void embeddingAndLstm() {
        assertEquals(0.464403, DTANH2, 1e-6);
        for (FanMode m : new FanMode[] {FanMode.FAN_OUT, FanMode.FAN_AVG}) {
            InitPlan p = HeConfigurer.builder().mode(m).plan(embeddingLstm());
            // embedding: a row is looked up (fan_in 1, identity), its gradient reaches the LSTM's input unchanged
            assertEquals(std(m, 1, 1, 6, 1), p.rows("layer0", "W").get(0).std(), 1e-9, m + " embedding");
            // LSTM input weights: fan_in 6 (identity signal), fan_out 4·7 (tanh' before the output layer's input)
            assertEquals(std(m, 6, 1, 28, DTANH2), p.rows("layer1", "W").get(0).std(), 1e-9, m + " LSTM W");
            // recurrent weights: the layer's own tanh on both sides
            assertEquals(
                    std(m, 7, TANH2, 28, DTANH2), p.rows("layer1", "RW").get(0).std(), 1e-6, m + " LSTM RW");
            // output layer: the loss follows, linear logits (E_out 1); fed by the LSTM's output, taken as tanh
            assertEquals(std(m, 7, TANH2, 2, 1), p.rows("layer2", "W").get(0).std(), 1e-6, m + " output");
        }
    }

    @Test
    void bidirectionalLstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new Bidirectional(new LSTM.Builder()
                        .nIn(3)
                        .nOut(5)
                        .activation(Activation.TANH)
                        .build()))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(10)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
        for (FanMode m : new FanMode[] {FanMode.FAN_OUT, FanMode.FAN_AVG}) {
            InitPlan p = HeConfigurer.builder().mode(m).plan(conf);
            for (String dir : new String[] {"f", "b"}) {
                assertEquals(
                        std(m, 3, 1, 20, DTANH2),
                        p.rows("layer0", dir + "W").get(0).std(),
                        1e-9,
                        m + dir + "W");
                assertEquals(
                        std(m, 5, TANH2, 20, DTANH2),
                        p.rows("layer0", dir + "RW").get(0).std(),
                        1e-6,
                        m + dir + "RW");
            }
        }
    }

    @Test
    void conv1d() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new Convolution1DLayer.Builder(3)
                        .nIn(4)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new Convolution1DLayer.Builder(3)
                        .nIn(8)
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(6)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.recurrent(4, 12))
                .build();
        for (FanMode m : new FanMode[] {FanMode.FAN_OUT, FanMode.FAN_AVG}) {
            InitPlan p = HeConfigurer.builder().mode(m).plan(conf);
            // kernel 3 (not DL4J's 3·3): fan_in 4·3, fan_out 8·3; relu' after it
            assertEquals(std(m, 12, 1, 24, RELU2), p.rows("layer0", "W").get(0).std(), 1e-9, m + " conv1");
            // fed by relu (E 1/2); identity after it, into the output layer
            assertEquals(std(m, 24, RELU2, 18, 1), p.rows("layer1", "W").get(0).std(), 1e-9, m + " conv2");
        }
    }
}
