package org.deeplearning4j.nn.layers.mkldnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Needs nd4j-native's oneDNN build (classifier linux-x86_64-onednn); skipped by assumption on other builds. */
@DisplayName("oneDNN layer helpers on nd4j-native's oneDNN build")
class OneDnnHelperLookupTest {

    @BeforeAll
    static void enableHelpers() {
        System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "false");
    }

    private static boolean oneDnnBuild() throws Exception {
        Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
        return (boolean) env.getMethod("isUseONEDNN").invoke(env.getMethod("getInstance").invoke(null));
    }

    @Test
    @DisplayName("mklDnnEnabled() is true and a conv layer gets MKLDNNConvHelper, which computes what the stock path does")
    void convLayerUsesOneDnn() throws Exception {
        Assumptions.assumeTrue(oneDnnBuild(), "needs nd4j-native's oneDNN build (classifier linux-x86_64-onednn)");
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "BaseMKLDNNHelper.mklDnnEnabled()");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345).weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.convolutional(12, 12, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Object helper = ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) net.getLayer(0)).getHelper();
        assertTrue(helper instanceof MKLDNNConvHelper, "conv helper: " + helper);
        // the helper's forward pass equals the built-in im2col path's
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(4, 2, 12, 12);
        INDArray withHelper = net.output(x);
        MultiLayerNetwork stock = new MultiLayerNetwork(conf.clone());
        stock.init(net.params().dup(), false);
        java.lang.reflect.Field f = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
        f.setAccessible(true);
        f.set(stock.getLayer(0), null);
        INDArray builtIn = stock.output(x);
        assertTrue(builtIn.equalsWithEps(withHelper, 1e-5), "oneDNN " + withHelper + " vs built-in " + builtIn);
    }
}
