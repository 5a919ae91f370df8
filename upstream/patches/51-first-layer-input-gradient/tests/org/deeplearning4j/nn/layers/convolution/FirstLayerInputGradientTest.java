package org.deeplearning4j.nn.layers.convolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The first convolution's gradient with respect to the network input is computed (im2col's inverse, col2im, on the
 * built-in path) although fit discards it. Counted with ND4J's op profiler.
 */
@DisplayName("A convolution fed by the network input skips its input gradient in fit")
class FirstLayerInputGradientTest {

    /** Calls of the col2im op while r runs (the op profiler counts ops by name when it times them). */
    private static long col2imCalls(Runnable r) {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        try {
            OpProfiler.getInstance().reset();
            r.run();
            return OpProfiler.getInstance().getOpCounter().getCount("col2im");
        } finally {
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
        }
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.FLOAT).weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same);
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build();
    }

    private static OutputLayer out() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                .build();
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 10, 10);
        INDArray y = Nd4j.eye(3).castTo(DataType.FLOAT).getRows(0, 1, 2, 0, 1, 2, 0, 1);
        return new DataSet(x, y);
    }

    @Test
    @DisplayName("MultiLayerNetwork: no col2im in computeGradientAndScore, same parameter gradients as with the input gradient")
    void multiLayerNetwork() {
        MultiLayerConfiguration conf = base().list().layer(conv()).layer(conv()).layer(out())
                .setInputType(InputType.convolutional(10, 10, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet d = data();
        // calculateGradients asks for the input gradient: both layers run col2im
        Gradient[] g = new Gradient[1];
        assertEquals(2, col2imCalls(() -> {
            org.nd4j.common.primitives.Pair<Gradient, INDArray> p =
                    net.calculateGradients(d.getFeatures(), d.getLabels(), null, null);
            assertNotNull(p.getSecond(), "calculateGradients returns the input gradient");
            g[0] = p.getFirst();
        }), "col2im calls of calculateGradients");
        Map<String, INDArray> ref = copy(g[0]);
        net.setInput(d.getFeatures());
        net.setLabels(d.getLabels());
        assertEquals(1, col2imCalls(net::computeGradientAndScore),
                "col2im calls of computeGradientAndScore (only layer 1's input gradient is used)");
        Map<String, INDArray> fit = copy(net.gradient());
        for (String k : ref.keySet()) {
            assertArrayEquals(ref.get(k).toFloatVector(), fit.get(k).toFloatVector(), k);
        }
        net.fit(d); // and training works
    }

    @Test
    @DisplayName("ComputationGraph: no col2im for the convolution fed by the input; a shared input still trains")
    void computationGraph() {
        ComputationGraphConfiguration conf = base().graphBuilder().addInputs("in")
                .addLayer("conv", conv(), "in").addLayer("out", out(), "conv")
                .setOutputs("out").setInputTypes(InputType.convolutional(10, 10, 1)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        DataSet d = data();
        g.setInputs(d.getFeatures());
        g.setLabels(d.getLabels());
        assertEquals(0, col2imCalls(g::computeGradientAndScore), "col2im calls of computeGradientAndScore");

        // the input feeds a convolution (no input gradient) and a dense layer (input gradient, via its preprocessor)
        ComputationGraphConfiguration shared = base().graphBuilder().addInputs("in")
                .addLayer("conv", conv(), "in").addLayer("dense", new DenseLayer.Builder().nOut(3).build(), "in")
                .addLayer("out1", out(), "conv").addLayer("out2", out(), "dense")
                .setOutputs("out1", "out2").setInputTypes(InputType.convolutional(10, 10, 1)).build();
        ComputationGraph s = new ComputationGraph(shared);
        s.init();
        for (int i = 0; i < 3; i++) {
            s.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {d.getFeatures()},
                    new INDArray[] {d.getLabels(), d.getLabels()}));
        }
    }

    private static Map<String, INDArray> copy(Gradient g) {
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        g.gradientForVariable().forEach((k, v) -> m.put(k, v.dup().reshape(-1)));
        return m;
    }
}
