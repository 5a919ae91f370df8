package dev.heinit.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.AttentionVertex;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import dev.heinit.FanMode;
import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.fan.FanConvention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeConfigurerTest {

    /** Conv rows with the sizes FansTest derives by hand: nIn 16, nOut 32, kernel 3, stride 2. */
    private static MultiLayerConfiguration cnn() {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .stride(2, 2)
                        .nOut(32)
                        .activation(Activation.RELU)
                        .convolutionMode(ConvolutionMode.Same)
                        .build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3)
                        .depthMultiplier(2)
                        .activation(new ShiftedAbs(0.3))
                        .convolutionMode(ConvolutionMode.Same)
                        .build())
                .layer(new SeparableConvolution2D.Builder(3, 3)
                        .nOut(16)
                        .depthMultiplier(2)
                        .activation(Activation.TANH)
                        .convolutionMode(ConvolutionMode.Same)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.ELU))
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new DropoutLayer(0.8))
                .layer(new DenseLayer.Builder()
                        .nOut(64)
                        .activation(Activation.SWISH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 16))
                .build();
    }

    private static MultiLayerConfiguration rnn() {
        return new NeuralNetConfiguration.Builder()
                .seed(8)
                .list()
                .layer(new LSTM.Builder()
                        .nIn(64)
                        .nOut(128)
                        .activation(Activation.TANH)
                        .build())
                .layer(new Bidirectional(new LSTM.Builder()
                        .nIn(128)
                        .nOut(32)
                        .activation(Activation.SOFTSIGN)
                        .build()))
                .layer(new Convolution1DLayer.Builder(3, 1)
                        .nIn(64)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new EmbeddingSequenceLayer.Builder().nIn(16).nOut(8).build())
                .layer(new RnnOutputLayer.Builder()
                        .nIn(8)
                        .nOut(4)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    @Test
    void planReportsDl4jFansTrueFansFeedingAndStd() {
        InitPlan plan = HeConfigurer.plan(cnn());
        InitPlan.Row conv = plan.rows("layer0", "W").get(0);
        assertEquals(144, conv.dl4jFanIn());
        assertEquals(72, conv.dl4jFanOut()); // DL4J divides by stride²
        assertEquals(144, conv.fanIn());
        assertEquals(288, conv.fanOut());
        assertEquals("identity", conv.feeding()); // network input: linear
        assertEquals(1 / 12.0, conv.std(), 1e-12);
        InitPlan.Row dw = plan.rows("layer1", "W").get(0);
        assertEquals(32 * 9, dw.dl4jFanIn()); // DL4J: nIn·k²
        assertEquals(9, dw.fanIn()); // true: one channel per group
        assertEquals(Math.sqrt(2) / 3, dw.std(), 1e-12);
        InitPlan.Row sepW = plan.rows("layer2", "W").get(0);
        InitPlan.Row sepP = plan.rows("layer2", "pW").get(0);
        assertEquals(9, sepW.fanIn());
        assertEquals(128, sepP.fanIn());
        double absGain = 1 / Math.sqrt(1 + 0.09); // |z − 0.3| feeds the separable conv: E[f²] = 1 + c²
        assertEquals(absGain / 3, sepW.std(), 1e-9);
        assertEquals(absGain / Math.sqrt(128), sepP.std(), 1e-9);
        // Dense after BN → ActivationLayer(ELU) → 2×2 max pooling → dropout: fed by the max of 4 independent ELU
        // values. ELU is monotone, so max_i elu(z_i) = elu(max_i z_i), whose density is 4·Φ³·φ.
        InitPlan.Row dense = plan.rows("layer7", "W").get(0);
        assertTrue(dense.feeding().startsWith("maxpool4(elu(alpha=1.0))"), dense.feeding());
        double pooled = Simpson.expectation(z -> Simpson.elu(z) * Simpson.elu(z) * 4 * Math.pow(Simpson.cdf(z), 3));
        assertEquals(1 / Math.sqrt(pooled * dense.fanIn()), dense.std(), 1e-6);

        InitPlan rp = HeConfigurer.plan(rnn());
        InitPlan.Row w = rp.rows("layer0", "W").get(0);
        InitPlan.Row rw = rp.rows("layer0", "RW").get(0);
        assertEquals(128, w.dl4jFanIn()); // DL4J gives the input weights the recurrent fan
        assertEquals(64, w.fanIn());
        assertEquals(128, rw.fanIn());
        assertEquals("tanh", rw.feeding()); // recurrent weights: the layer's own activation
        assertTrue(rw.notes().contains("recurrent"), rw.notes());
        assertEquals(4, rp.rows("layer1", null).size()); // fW, fRW, bW, bRW
        assertEquals("tanh", rp.rows("layer1", "fW").get(0).feeding());
        assertEquals("softsign", rp.rows("layer1", "bRW").get(0).feeding());
        InitPlan.Row c1 = rp.rows("layer2", "W").get(0);
        assertEquals(64 * 9, c1.dl4jFanIn()); // DL4J counts k² for Conv1D
        assertEquals(64 * 3, c1.fanIn());
        InitPlan.Row emb = rp.rows("layer3", "W").get(0);
        assertEquals(1, emb.fanIn());
        assertEquals(1.0, emb.std(), 1e-12); // indices in, a row out: fan_in 1, identity gain, N(0,1) as PyTorch
        assertEquals("identity", emb.feeding());
    }

    @Test
    void configuredWeightsHaveThePlannedStdAndTheInputIsUnchanged() {
        MultiLayerConfiguration conf = rnn();
        String before = conf.toJson();
        MultiLayerConfiguration out =
                HeConfigurer.builder().mode(FanMode.FAN_AVG).configure(conf);
        assertEquals(before, conf.toJson());
        assertNotEquals(before, out.toJson());
        InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_AVG).plan(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(out);
        net.init();
        String[][] keys = {
            {"0_W", "layer0", "W"},
            {"0_RW", "layer0", "RW"},
            {"1_fW", "layer1", "fW"},
            {"1_bRW", "layer1", "bRW"},
            {"2_W", "layer2", "W"},
            {"3_W", "layer3", "W"}
        };
        for (String[] k : keys) {
            INDArray p = net.getParam(k[0]);
            double expected = plan.rows(k[1], k[2]).get(0).std();
            double se = expected / Math.sqrt(2.0 * p.length());
            double sample = p.stdNumber().doubleValue();
            assertTrue(Math.abs(sample - expected) < 5 * se, k[0] + ": " + sample + " vs " + expected);
        }
    }

    @Test
    void equalShapesInOneLayerAndNonFanScaledParameters() {
        // nIn == nOut: LSTM's W and RW, SimpleRnn's W and RW have equal shapes; PReLU's alpha and the center-loss
        // centers are not fan-scaled and keep DL4J's own init.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .list()
                .layer(new LSTM.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.TANH)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(new LSTM.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.TANH)
                        .build()))
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new PReLULayer.Builder().inputShape(16).build())
                .layer(new CenterLossOutputLayer.Builder()
                        .nIn(16)
                        .nOut(4)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        InitPlan plan = HeConfigurer.plan(conf);
        assertEquals(1.0, plan.rows("layer0", "W").get(0).gain(), 1e-12);
        assertEquals(
                Simpson.forwardGain(Math::tanh),
                plan.rows("layer0", "RW").get(0).gain(),
                1e-9);
        assertEquals(Math.sqrt(2), plan.rows("layer1", "RW").get(0).gain(), 1e-12);
        assertEquals(InitPlan.Status.KEPT, plan.rows("layer4", "W").get(0).status());
        MultiLayerNetwork he = new MultiLayerNetwork(HeConfigurer.apply(conf));
        he.init();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf.clone());
        plain.init();
        assertEquals(plain.getParam("4_W"), he.getParam("4_W")); // PReLU alpha: DL4J's own init, unchanged
        double expected = plan.rows("layer1", "RW").get(0).std();
        assertTrue(Math.abs(he.getParam("1_RW").stdNumber().doubleValue() - expected)
                < 5 * expected / Math.sqrt(2 * 256.0));
    }

    @Test
    void unsupportedLayersAndVerticesAreNamed() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LSTM.Builder().nIn(8).nOut(16).build())
                .layer(new SelfAttentionLayer.Builder()
                        .nIn(16)
                        .nOut(16)
                        .nHeads(2)
                        .projectInput(true)
                        .build())
                .layer(new RnnOutputLayer.Builder()
                        .nIn(16)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        InitPlan plan = HeConfigurer.plan(conf);
        List<InitPlan.Row> un = plan.rows(InitPlan.Status.UNSUPPORTED);
        assertEquals(1, un.size());
        assertEquals("layer1", un.get(0).layer());
        assertTrue(un.get(0).notes().contains("SelfAttentionLayer"), un.get(0).notes());
        assertTrue(plan.toText().contains("SelfAttentionLayer"));
        // its output is assumed unit: the output layer after it is fed with gain 1
        assertEquals(1.0, plan.rows("layer2", "W").get(0).gain(), 1e-12);
        HeConfigurer.apply(conf); // configuring the rest still works

        ComputationGraphConfiguration g = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(8).nOut(16).build(), "in")
                .addVertex(
                        "att",
                        new AttentionVertex.Builder()
                                .nInKeys(16)
                                .nInValues(16)
                                .nInQueries(16)
                                .nOut(16)
                                .nHeads(2)
                                .headSize(8)
                                .projectInput(true)
                                .build(),
                        "lstm",
                        "lstm",
                        "lstm")
                .addLayer(
                        "out",
                        new RnnOutputLayer.Builder()
                                .nIn(16)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "att")
                .setOutputs("out")
                .build();
        InitPlan gp = HeConfigurer.plan(g);
        assertEquals("att", gp.rows(InitPlan.Status.UNSUPPORTED).get(0).layer());
        assertTrue(gp.rows(InitPlan.Status.UNSUPPORTED).get(0).notes().contains("AttentionVertex"));
    }

    /** A residual CNN as a ComputationGraph: add and merge vertices. */
    private static ComputationGraphConfiguration residual() {
        return new NeuralNetConfiguration.Builder()
                .seed(3)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer(
                        "stem",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "a",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "stem")
                .addLayer(
                        "b",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "a")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "b")
                .addLayer("relu", new ActivationLayer(Activation.RELU), "add")
                .addLayer(
                        "t",
                        new ConvolutionLayer.Builder(1, 1)
                                .nOut(8)
                                .activation(Activation.TANH)
                                .build(),
                        "relu")
                .addVertex("cat", new MergeVertex(), "relu", "t")
                .addLayer(
                        "c",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .activation(Activation.RELU)
                                .build(),
                        "cat")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(10)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "pool")
                .setOutputs("out")
                .build();
    }

    @Test
    void planOfAComputationGraph() {
        ComputationGraphConfiguration g = residual();
        String before = g.toJson();
        InitPlan plan = HeConfigurer.builder()
                .fanConvention(FanConvention.PADDING_AWARE)
                .inputType(InputType.convolutional(8, 8, 3))
                .plan(g);
        assertEquals(before, g.toJson());
        for (String v : new String[] {"stem", "a", "b", "t", "c", "out"}) {
            assertEquals(1, plan.rows(v, "W").size(), v);
        }
        assertEquals(1.0, plan.rows("stem", "W").get(0).gain(), 1e-12);
        assertEquals(Math.sqrt(2), plan.rows("b", "W").get(0).gain(), 1e-12);
        // add: a ReLU output (E = 1/2, mean 1/√(2π)) plus an identity conv output (E = 1, mean 0) has second
        // moment 3/2 and mean μ = 1/√(2π); the ReLU after it, taking the sum as N(μ, σ²), σ² = 3/2 − μ², gives the
        // rectified-Gaussian closed form E[relu(x)²] = (μ² + σ²)·Φ(μ/σ) + μσ·φ(μ/σ).
        double mu = 1 / Math.sqrt(2 * Math.PI);
        double sigma = Math.sqrt(1.5 - mu * mu);
        double t = mu / sigma;
        double phi = Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
        double bigPhi = Simpson.cdf(t);
        double reluSum = (mu * mu + sigma * sigma) * bigPhi + mu * sigma * phi;
        assertEquals(1 / Math.sqrt(reluSum), plan.rows("t", "W").get(0).gain(), 1e-6);
        assertEquals(InitPlan.Status.ASSUMPTION, plan.rows("add", "-").get(0).status());
        assertEquals(InitPlan.Status.ASSUMPTION, plan.rows("relu", "-").get(0).status());
        // merge: 16 channels of that ReLU and 8 tanh channels (E = 0.3943) weighted by size.
        double tanh = Simpson.expectation(z -> Math.tanh(z) * Math.tanh(z));
        double e = (16 * reluSum + 8 * tanh) / 24;
        assertEquals(1 / Math.sqrt(e), plan.rows("c", "W").get(0).gain(), 1e-6);
        assertTrue(plan.rows("cat", "-").get(0).notes().contains("by input size"));
        // padding-aware fans on the 8×8 map, 3×3 same: per axis 22 of 24 taps, so 16·(22/8)² for "a".
        assertEquals(16 * (22.0 / 8) * (22.0 / 8), plan.rows("a", "W").get(0).fanIn(), 1e-9);
        assertEquals("144/144", plan.rows("a", "W").get(0).cells()[6]);
        String text = plan.toText();
        String[] lines = text.split("\n");
        assertEquals(plan.rows().size() + 1, lines.length);
        int col = lines[0].indexOf("feeding");
        for (String line : lines) {
            assertTrue(line.length() < col || line.charAt(col - 1) == ' ', "aligned: " + line);
        }
        String csv = plan.toCsv();
        assertEquals(plan.rows().size() + 1, csv.split("\n").length);
        assertTrue(csv.startsWith("layer,type,param,shape,dl4j_fan_in"));

        ComputationGraphConfiguration out = HeConfigurer.builder()
                .fanConvention(FanConvention.PADDING_AWARE)
                .inputType(InputType.convolutional(8, 8, 3))
                .configure(g);
        ComputationGraph net = new ComputationGraph(out);
        net.init();
        INDArray w = net.getParam("c_W");
        double expected = plan.rows("c", "W").get(0).std();
        assertTrue(Math.abs(w.stdNumber().doubleValue() - expected) < 5 * expected / Math.sqrt(2.0 * w.length()));
    }

    @Test
    void paddingAwareFollowsTheSpatialSizeThroughAMultiLayerNetwork() {
        InitPlan plan = HeConfigurer.builder()
                .fanConvention(FanConvention.PADDING_AWARE)
                .inputType(InputType.convolutional(28, 28, 16))
                .plan(cnn());
        // 3×3 same stride 2 on 28: 14 outputs × 3 taps, the last one off the border: 41/14 taps per axis.
        assertEquals(
                16 * (41.0 / 14) * (41.0 / 14), plan.rows("layer0", "W").get(0).fanIn(), 1e-9);
        // then 3×3 same stride 1 on 14×14: 40/14 per axis, one channel per group.
        assertEquals((40.0 / 14) * (40.0 / 14), plan.rows("layer1", "W").get(0).fanIn(), 1e-9);
        assertEquals(16 * 7 * 7, plan.rows("layer7", "W").get(0).fanIn(), 0.0); // after 2×2 pooling: 7×7×16
        assertEquals("144/288", plan.rows("layer0", "W").get(0).cells()[6]);
        assertEquals("144/72", plan.rows("layer0", "W").get(0).cells()[7]);
    }

    @Test
    void paddingAwareWithoutInputTypeIsRefusedClearly() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder()
                        .fanConvention(FanConvention.PADDING_AWARE)
                        .build());
        assertTrue(e.getMessage().contains("inputType"), e.getMessage());
    }

    @Test
    void jsonAndModelSerializerRoundTrip() throws Exception {
        MultiLayerConfiguration conf =
                HeConfigurer.builder().mode(FanMode.FAN_OUT).configure(cnn());
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back); // before init(): init() adds parameter names
        IWeightInit init = ((BaseLayer) back.getConf(2).getLayer()).getWeightInitFn(); // fed by |z − 0.3|
        assertTrue(init instanceof TrueFanInit, String.valueOf(init));
        assertEquals(
                new ShiftedAbs(0.3),
                ((TrueFanInit) init).entries().get(0).init().nonlinearity().activation());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);
        MultiLayerNetwork restored =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(net.params(), restored.params());
        assertEquals(
                net.getLayerWiseConfigurations().toJson(),
                restored.getLayerWiseConfigurations().toJson());

        MultiLayerConfiguration r = HeConfigurer.apply(rnn());
        assertEquals(r, MultiLayerConfiguration.fromJson(r.toJson()));
        assertEquals(r, HeConfigurer.apply(r), "configuring twice gives the same configuration");
        ComputationGraphConfiguration g = HeConfigurer.apply(residual());
        assertEquals(g, ComputationGraphConfiguration.fromJson(g.toJson()));
        ComputationGraph cg = new ComputationGraph(g);
        cg.init();
        ByteArrayOutputStream gb = new ByteArrayOutputStream();
        ModelSerializer.writeModel(cg, gb, false);
        ComputationGraph cg2 = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(gb.toByteArray()));
        assertEquals(cg.params(), cg2.params());
    }

    @Test
    void trueFanInitIgnoresDl4jFansAndFallsBack() throws Exception {
        HeInit he = HeInit.normal();
        TrueFanInit t = new TrueFanInit(
                List.of(new TrueFanInit.Entry(new long[] {100, 200}, 5, 7, 100, 200, he)),
                new org.deeplearning4j.nn.weights.WeightInitConstant(0.5));
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(11);
        INDArray w = t.init(5, 7, new long[] {100, 200}, 'f', org.nd4j.linalg.factory.Nd4j.create(20_000));
        // true fan_in 100: std √(2/100) = 0.1414 (DL4J's fan_in 5 would give 0.632, fan_out 200 would give 0.1);
        // the sample std of n = 20000 normal draws has standard error σ/√(2n) = 0.00071: 5σ = 0.0035
        double expected = Math.sqrt(2.0 / 100);
        assertEquals(expected, w.stdNumber().doubleValue(), 5 * expected / Math.sqrt(2 * 20_000.0));
        assertEquals(0.0, w.meanNumber().doubleValue(), 5 * expected / Math.sqrt(20_000.0));
        INDArray c = t.init(1, 1, new long[] {3}, 'f', org.nd4j.linalg.factory.Nd4j.create(3));
        assertEquals(0.5, c.getDouble(0), 0.0); // no entry: the fallback with DL4J's fans
        ObjectMapper m = NeuralNetConfiguration.mapper();
        String json = m.writerFor(IWeightInit.class).writeValueAsString(t);
        assertEquals(t, m.readValue(json, IWeightInit.class));
        TrueFanInit strict = new TrueFanInit(t.entries(), null);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> strict.init(1, 1, new long[] {3}, 'f', org.nd4j.linalg.factory.Nd4j.create(3)));
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void nonlinearityOfAnyActivationRoundTripsInsideHeInit() throws Exception {
        Nonlinearity n = Nonlinearity.of(new ShiftedAbs(0.3));
        assertEquals("activation", n.name());
        assertEquals(1 + 0.09, n.forwardMoment(), 1e-9);
        assertEquals(1.0, n.backwardMoment(), 1e-9);
        assertEquals(Nonlinearity.RELU, Nonlinearity.of(new ActivationReLU()));
        assertEquals(
                Nonlinearity.leakyRelu(0.2),
                Nonlinearity.of(new org.nd4j.linalg.activations.impl.ActivationLReLU(0.2)));
        HeInit h = HeInit.uniform().nonlinearity(n);
        ObjectMapper m = NeuralNetConfiguration.mapper();
        String json = m.writerFor(IWeightInit.class).writeValueAsString(h);
        assertTrue(json.contains("\"activation\""), json);
        assertEquals(h, m.readValue(json, IWeightInit.class));
        String old = m.writerFor(IWeightInit.class).writeValueAsString(HeInit.normal());
        assertFalse(old.contains("\"activation\""), "named nonlinearities keep their JSON form: " + old);
        assertNotEquals(Nonlinearity.of(new ShiftedAbs(0.3)), Nonlinearity.of(new ShiftedAbs(0.4)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Nonlinearity.of(new org.nd4j.linalg.activations.impl.ActivationSoftmax()));
        assertThrows(IllegalArgumentException.class, () -> n.pytorchGain());
        assertEquals(0.7, n.apply(1.0), 1e-12);
        assertEquals(-1.0, n.derivative(0.0), 1e-12);
    }
}
