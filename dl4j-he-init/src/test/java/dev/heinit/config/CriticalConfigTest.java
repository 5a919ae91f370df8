package dev.heinit.config;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.FanMode;
import dev.heinit.gain.Criticality;
import dev.heinit.gain.Gains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code HeConfigurer.builder().critical(σ_b)}: per-row σ_w, σ_b, q*, χ, the first layer at q*, and the biases. */
class CriticalConfigTest {

    static MultiLayerConfiguration mlp(IActivation act, int nIn, int width, int hidden) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .list();
        for (int l = 0; l < hidden; l++) {
            lb.layer(new DenseLayer.Builder()
                    .nIn(l == 0 ? nIn : width)
                    .nOut(width)
                    .activation(act)
                    .build());
        }
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(width)
                .nOut(10)
                .activation(new ActivationSoftmax())
                .build());
        return lb.build();
    }

    @Test
    void rowsCarrySigmaWSigmaBFixedPointAndChiOfTheFeedingActivation() {
        InitPlan plan = HeConfigurer.builder().critical(0.2).plan(mlp(new ActivationSwish(), 50, 100, 3));
        Criticality silu = Gains.critical(new ActivationSwish(), 0.2);
        assertEquals(Criticality.Kind.FIXED_POINT, silu.kind());
        // first layer, fed by the (linear, unit) input: pre-activation variance q* = (q* − σ_b²) + σ_b²
        InitPlan.Row first = plan.rows("layer0", "W").get(0);
        assertEquals(Math.sqrt((silu.fixedPoint() - 0.04) / 50), first.std(), 1e-12);
        assertEquals(silu.fixedPoint(), first.fixedPoint(), 1e-12);
        assertEquals(0.2, first.sigmaB(), 0);
        assertTrue(Double.isNaN(first.chi()), "the first layer sets q*, it is not a critical layer: " + first);
        // hidden and output layers, fed by SiLU: σ_w/√fan_in, q*, χ = 1 (σ_w 1.6795 as docs/criticality.md's table)
        for (String l : new String[] {"layer1", "layer2", "layer3"}) {
            InitPlan.Row r = plan.rows(l, "W").get(0);
            assertEquals(InitPlan.Status.CONFIGURED, r.status());
            assertEquals(1.6795, r.sigmaW(), 5e-5, r.toString());
            assertEquals(r.sigmaW() / Math.sqrt(100), r.std(), 1e-6 * r.std());
            assertEquals(silu.fixedPoint(), r.fixedPoint(), 1e-4);
            assertEquals(1.0, r.chi(), 1e-6);
        }
        String csv = plan.toCsv();
        assertTrue(
                csv.startsWith(
                        "layer,type,param,shape,dl4j_fan_in,dl4j_fan_out,fan_in,fan_out,fans_stride_ignored,"
                                + "fans_stride_exact,fans_padding_aware,feeding,gain,std,sigma_w,sigma_b,q_star,chi,status,notes\n"),
                csv);
        assertTrue(plan.toText().contains("σ_w") && plan.toText().contains("q*"), plan.toText());
        assertTrue(plan.isCritical());
        // a plain plan keeps its columns
        InitPlan he = HeConfigurer.plan(mlp(new ActivationSwish(), 50, 100, 3));
        assertFalse(he.isCritical());
        assertFalse(he.toCsv().contains("sigma_w"));
        assertTrue(Double.isNaN(he.rows("layer1", "W").get(0).sigmaW()));
    }

    @Test
    void configuredWeightsDrawTheCriticalStd() {
        MultiLayerNetwork net = new MultiLayerNetwork(
                HeConfigurer.builder().critical(0.2).configure(mlp(new ActivationTanH(), 400, 400, 2)));
        net.init();
        double sw = Gains.critical(new ActivationTanH(), 0.2).sigmaW();
        INDArray w = net.getParam("1_W");
        double expected = sw / Math.sqrt(400);
        double measured = w.std().getDouble(0);
        // std of a sample std of n normal draws: σ/√(2n); 5 standard errors
        assertEquals(expected, measured, 5 * expected / Math.sqrt(2.0 * w.length()));
        // and the configuration round-trips through JSON
        MultiLayerConfiguration c = HeConfigurer.builder().critical(0.2).configure(mlp(new ActivationTanH(), 4, 4, 2));
        assertEquals(c, MultiLayerConfiguration.fromJson(c.toJson()));
    }

    @Test
    void anActivationWithoutACriticalPointIsAnErrorNamingTheLayer() {
        MultiLayerConfiguration conf = mlp(new ActivationSoftPlus(), 10, 20, 2);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().critical(0.1).plan(conf));
        assertTrue(e.getMessage().contains("layer 'layer1'") && e.getMessage().contains("softplus"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().critical(0.1).configure(conf));
    }

    @Test
    void criticalNeedsFanInAndAValidSigmaB() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> HeConfigurer.builder()
                                .critical(0.1)
                                .mode(FanMode.FAN_OUT)
                                .build())
                .getMessage()
                .contains("FAN_OUT"));
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> HeConfigurer.builder().critical(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void drawBiasesFillsEveryLayerButRecurrentOnesWithNormalSigmaB() {
        MultiLayerConfiguration conf = mlp(new ActivationTanH(), 20, 2000, 2);
        HeConfigurer he = HeConfigurer.builder().critical(0.5).build();
        MultiLayerNetwork net = new MultiLayerNetwork(he.configure(conf));
        net.init();
        Nd4j.getRandom().setSeed(7);
        INDArray w0 = net.getParam("0_W").dup();
        assertEquals(List.of("layer0", "layer1", "layer2"), he.drawBiases(net));
        for (String b : new String[] {"0_b", "1_b"}) {
            INDArray bias = net.getParam(b);
            double n = bias.length();
            assertEquals(0.0, bias.meanNumber().doubleValue(), 5 * 0.5 / Math.sqrt(n), b);
            assertEquals(0.5, bias.std().getDouble(0), 5 * 0.5 / Math.sqrt(2 * n), b);
        }
        assertEquals(w0, net.getParam("0_W"), "weights untouched");
        // a graph with an LSTM: the LSTM keeps DL4J's forget-gate bias
        ComputationGraphConfiguration g = new NeuralNetConfiguration.Builder()
                .seed(3)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "lstm",
                        new LSTM.Builder()
                                .nIn(3)
                                .nOut(8)
                                .activation(new ActivationTanH())
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(8)
                                .nOut(2)
                                .activation(new ActivationIdentity())
                                .build(),
                        "lstm")
                .setOutputs("out")
                .build();
        ComputationGraph cg = new ComputationGraph(he.configure(g));
        cg.init();
        INDArray lstmBias = cg.getLayer("lstm").getParam("b").dup();
        assertEquals(List.of("out"), he.drawBiases(cg));
        assertEquals(lstmBias, cg.getLayer("lstm").getParam("b"));
        // a configurer that is not critical has no σ_b
        assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().build().drawBiases(net));
    }

    /** A graph with two inputs of different scales, summed: each first layer by its own input, the sum by He. */
    @Test
    void graphInputsAreScaledEachByItsOwnMomentAndASumKeepsHe() {
        ComputationGraphConfiguration g = new NeuralNetConfiguration.Builder()
                .seed(3)
                .graphBuilder()
                .addInputs("x1", "x2")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(20)
                                .nOut(30)
                                .activation(new ActivationTanH())
                                .build(),
                        "x1")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(40)
                                .nOut(30)
                                .activation(new ActivationTanH())
                                .build(),
                        "x2")
                .addVertex(
                        "sum",
                        new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(
                                org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add),
                        "a",
                        "b")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(30)
                                .nOut(2)
                                .activation(new ActivationIdentity())
                                .build(),
                        "sum")
                .setOutputs("out")
                .build();
        INDArray x1 = Nd4j.ones(DataType.DOUBLE, 8, 20).muli(0.5); // E[x²] = 0.25
        INDArray x2 = Nd4j.ones(DataType.DOUBLE, 8, 40).muli(2.0); // E[x²] = 4
        InitPlan plan =
                HeConfigurer.builder().critical(0.1).inputMoments(x1, x2).plan(g);
        Criticality tanh = Gains.critical(new ActivationTanH(), 0.1);
        double w = tanh.fixedPoint() - 0.01;
        assertEquals(Math.sqrt(w / (20 * 0.25)), plan.rows("a", "W").get(0).std(), 1e-12);
        assertEquals(Math.sqrt(w / (40 * 4.0)), plan.rows("b", "W").get(0).std(), 1e-12);
        InitPlan.Row out = plan.rows("out", "W").get(0);
        assertTrue(Double.isNaN(out.sigmaW()) && out.notes().contains("He's choice kept"), out.toString());
        assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder().inputMoments(x1).plan(g));
    }
}
