package dev.heinit.examples.model;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Residual networks with batch normalization, as people build them (He et al. 2016, "Deep residual learning for
 * image recognition", §4.2, the CIFAR-10 nets; torchvision's BasicBlock): depth {@code 6n + 2} = a 3×3 stem conv,
 * three stages of n blocks {@code act(x + BN(conv(act(BN(conv(x))))))} with {@code width}, {@code 2·width} and
 * {@code 4·width} channels, global average pooling and a softmax output. Adapted to 28×28 digits: the maps are
 * 28×28, 14×14 and 7×7 (the first block of stages 2 and 3 has stride 2 and a 1×1 stride-2 conv + BN shortcut, He's
 * option B, not counted in the depth, as He counts). Zero conv biases (BN's shift replaces them); BN γ = 1, β = 0.
 */
public final class ResNets {

    private ResNets() {}

    /**
     * The ResNet of depth {@code 6n + 2}.
     *
     * @throws IllegalArgumentException if depth is not 6n + 2 with n ≥ 1, or width &lt; 1
     */
    public static ComputationGraphConfiguration resnet(
            int depth, int width, ImageShape in, IWeightInit init, TrainSetup setup, HiddenActivation act) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException(
                    "a ResNet's depth must be 6n+2 with n >= 1 (8, 14, 20, 32, 44, 56, 110, ...), got " + depth);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width (channels) must be >= 1, got " + width);
        }
        int n = (depth - 2) / 6;
        ComputationGraphConfiguration.GraphBuilder g =
                Models.base(init, setup).graphBuilder().addInputs("in");
        String prev = convBnAct(g, "stem", "in", width, 1, act);
        for (int stage = 1; stage <= 3; stage++) {
            int w = width << (stage - 1);
            for (int b = 1; b <= n; b++) {
                String p = "s" + stage + "b" + b;
                int stride = stage > 1 && b == 1 ? 2 : 1;
                String a = convBnAct(g, p + "_1", prev, w, stride, act);
                g.addLayer(p + "_conv2", conv(w, 1), a);
                g.addLayer(p + "_bn2", new BatchNormalization.Builder().build(), p + "_conv2");
                String shortcut = prev;
                if (stride != 1) {
                    g.addLayer(
                            p + "_proj",
                            new ConvolutionLayer.Builder(1, 1)
                                    .stride(2, 2)
                                    .nOut(w)
                                    .activation(new ActivationIdentity())
                                    .build(),
                            prev);
                    g.addLayer(p + "_projbn", new BatchNormalization.Builder().build(), p + "_proj");
                    shortcut = p + "_projbn";
                }
                g.addVertex(p + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "_bn2", shortcut);
                g.addLayer(
                        p + "_act",
                        new ActivationLayer.Builder()
                                .activation(act.activation())
                                .build(),
                        p + "_add");
                prev = p + "_act";
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev);
        g.addLayer(
                "out",
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(in.classes())
                        .activation(Activation.SOFTMAX)
                        .build(),
                "pool");
        return UpdaterBlocks.perLayer(g.setOutputs("out")
                .setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()))
                .build());
    }

    private static ConvolutionLayer conv(int width, int stride) {
        return new ConvolutionLayer.Builder(3, 3)
                .stride(stride, stride)
                .nOut(width)
                .activation(new ActivationIdentity())
                .build();
    }

    /** conv → BN → act, named {@code <p>_conv}, {@code <p>_bn}, {@code <p>_act}; returns the last name. */
    private static String convBnAct(
            ComputationGraphConfiguration.GraphBuilder g,
            String p,
            String from,
            int width,
            int stride,
            HiddenActivation act) {
        g.addLayer(p + "conv", conv(width, stride), from);
        g.addLayer(p + "bn", new BatchNormalization.Builder().build(), p + "conv");
        g.addLayer(
                p + "act",
                new ActivationLayer.Builder().activation(act.activation()).build(),
                p + "bn");
        return p + "act";
    }

    /**
     * torchvision's {@code zero_init_residual}: the batch norm that ends each residual branch (the one feeding an
     * Add vertex from the branch side) starts with {@code γ = 0}, so every block starts as the identity. Modifies
     * and returns {@code conf}.
     *
     * @return the number of batch norms set to γ = 0
     * @throws IllegalArgumentException if the graph has no Add vertex fed by a batch norm
     */
    public static int zeroResidualGamma(ComputationGraphConfiguration conf) {
        int zeroed = 0;
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (!(v.getValue() instanceof ElementWiseVertex)) {
                continue;
            }
            List<String> inputs = conf.getVertexInputs().get(v.getKey());
            // The branch's BN comes first among the Add's inputs, the shortcut second (resnet() builds it so).
            GraphVertex first = conf.getVertices().get(inputs.get(0));
            if (first instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                bn.setGamma(0.0);
                zeroed++;
            }
        }
        if (zeroed == 0) {
            throw new IllegalArgumentException(
                    "zero-init-residual needs residual blocks ending in a batch norm (--arch resnet)");
        }
        return zeroed;
    }
}
