package dev.heinit.internal.dl4j;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.config.HeConfigurer;
import dev.heinit.config.InitPlan;
import dev.heinit.diagnostics.LayerSignal;
import dev.heinit.diagnostics.SignalPropagation;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.keras.KerasPlan;
import dev.heinit.keras.KerasReinit;
import dev.heinit.lsuv.LayerResult;
import dev.heinit.lsuv.Lsuv;
import dev.heinit.lsuv.LsuvReport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a newcomer's new layer type costs: one {@link LayerRule}. {@code Linear} is a layer type of its own,
 * y = f(x·W + b), extending no layer the library knows ({@code FeedForwardLayer} directly). Untaught, the
 * configuration pass cannot place its weight (UNSUPPORTED, no fan model), the diagnostics read no pre-activation
 * and LSUV measures its output; taught one rule (its output is f(z), W [nIn, nOut] is a dense kernel), the
 * configuration pass, the fans, the diagnostics, LSUV and the Keras re-initialization all follow, with no change
 * to any of them.
 */
class NewLayerTypeTest {

    /** y = f(x·W + b), a layer type DL4J does not ship (JSON-serializable: public no-arg constructors). */
    public abstract static class Affine extends FeedForwardLayer {
        private static final long serialVersionUID = 1L;

        protected Affine() {}

        Affine(String name, long nIn, long nOut) {
            setLayerName(name);
            setNIn(nIn);
            setNOut(nOut);
            setActivationFn(Activation.RELU.getActivationFunction());
            setWeightInitFn(WeightInit.XAVIER.getWeightInitFunction());
        }

        @Override
        public org.deeplearning4j.nn.api.Layer instantiate(
                NeuralNetConfiguration conf,
                Collection<TrainingListener> listeners,
                int index,
                INDArray params,
                boolean initializeParams,
                DataType dataType) {
            Runtime ret = new Runtime(conf, dataType);
            ret.setIndex(index);
            ret.setParamsViewArray(params);
            Map<String, INDArray> table = initializer().init(conf, params, initializeParams);
            ret.setParamTable(table);
            ret.setConf(conf);
            return ret;
        }

        @Override
        public ParamInitializer initializer() {
            return DefaultParamInitializer.getInstance();
        }

        @Override
        public LayerMemoryReport getMemoryReport(InputType inputType) {
            return null;
        }
    }

    /** The layer type the newcomer teaches. */
    public static class Linear extends Affine {
        private static final long serialVersionUID = 1L;

        public Linear() {}

        Linear(String name, long nIn, long nOut) {
            super(name, nIn, nOut);
        }
    }

    /** The same layer, as a type no rule claims. */
    public static class Untaught extends Affine {
        private static final long serialVersionUID = 1L;

        public Untaught() {}

        Untaught(String name, long nIn, long nOut) {
            super(name, nIn, nOut);
        }
    }

    /** The initialized layer: DL4J's BaseLayer computes f(x·W + b). */
    static final class Runtime extends org.deeplearning4j.nn.layers.BaseLayer<Affine> {
        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }
    }

    /** What a newcomer writes: the rule of Linear. */
    static final class LinearRule extends LayerRule {
        LinearRule(Layer layer) {
            super(layer);
        }

        @Override
        public boolean appliesActivation() {
            return true;
        }

        @Override
        public Set<String> weightKeys() {
            return Set.of("W");
        }

        @Override
        public WeightGeometry weight(String key) {
            return WeightedRules.geometry(this, key, WeightGeometry.Role.KERNEL, "");
        }
    }

    static {
        LayerRules.teach(Linear.class, LinearRule::new);
    }

    private static MultiLayerConfiguration net(Layer middle) {
        return new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder()
                        .name("first")
                        .nIn(16)
                        .nOut(32)
                        .activation(Activation.RELU)
                        .build())
                .layer(middle)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .name("out")
                        .nIn(32)
                        .nOut(4)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
    }

    @Test
    void untaughtTheLibraryCannotPlaceIt() {
        Untaught layer = new Untaught("mine", 32, 32);
        assertFalse(LayerRules.of(layer).appliesActivation());
        assertThrows(IllegalArgumentException.class, () -> Fans.of(layer, "W", FanConvention.STRIDE_IGNORED, null));
        InitPlan.Row row = HeConfigurer.plan(net(layer)).rows("mine", "W").get(0);
        assertEquals(InitPlan.Status.UNSUPPORTED, row.status());
    }

    @Test
    void taughtOneRuleEveryPassFollows() {
        Linear layer = new Linear("mine", 32, 32);
        assertTrue(LayerRules.of(layer).appliesActivation());
        assertEquals(32, Fans.of(layer, "W", FanConvention.STRIDE_IGNORED, null).in(), 0);

        // configuration pass: fed by ReLU, fan_in 32 → std √(2/32)
        InitPlan.Row row = HeConfigurer.plan(net(layer)).rows("mine", "W").get(0);
        assertEquals(InitPlan.Status.CONFIGURED, row.status());
        assertEquals(Math.sqrt(2.0 / 32), row.std(), 1e-12);

        MultiLayerNetwork net = new MultiLayerNetwork(HeConfigurer.apply(net(new Linear("mine", 32, 32))));
        net.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 64, 16);
        // diagnostics: a weighted layer whose pre-activation is read (its z differs from its ReLU output)
        LayerSignal s = SignalPropagation.measure(net, x).layers().get(1);
        assertTrue(s.isWeighted());
        assertEquals("relu", s.activationFunction());
        assertTrue(s.preActivation().mean() < s.activation().mean(), "z, not relu(z), was measured");
        // LSUV: rescaled like any dense layer
        LsuvReport r = Lsuv.defaults().initialize(net, x);
        assertEquals(LayerResult.Status.ADJUSTED, r.layers().get(1).status());

        // Keras: a Dense layer of the same name re-initializes it with Keras's fans
        String keras = "{\"class_name\":\"Sequential\",\"keras_version\":\"2.2.4\",\"config\":{\"layers\":["
                + "{\"class_name\":\"Dense\",\"config\":{\"name\":\"mine\",\"units\":32,"
                + "\"kernel_initializer\":{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":2.0,"
                + "\"mode\":\"fan_in\",\"distribution\":\"normal\",\"seed\":null}}}}]}}";
        KerasPlan plan =
                KerasReinit.reinitialize(net(new Linear("mine", 32, 32)), keras).plan();
        KerasPlan.Row k = plan.rows().stream()
                .filter(x2 -> x2.layer().equals("mine") && x2.param().equals("W"))
                .findFirst()
                .orElseThrow();
        assertEquals(KerasPlan.Change.REINITIALIZED, k.change(), plan.toString());
    }
}
