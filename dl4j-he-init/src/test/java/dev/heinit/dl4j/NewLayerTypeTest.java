package dev.heinit.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
import dev.heinit.lsuv.LayerResult;
import dev.heinit.lsuv.Lsuv;
import dev.heinit.lsuv.LsuvReport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a newcomer's new layer type costs: the three passes learn layer types only from {@link LayerCatalog} (and
 * the fans from {@code Fans}). A user's layer type that the catalog places (here a dense layer of its own class) is
 * configured by HeConfigurer, measured by the diagnostics and rescaled by LSUV with no change to any pass; a type
 * the catalog does not know would be taught there, in {@code appliesActivation} and {@code weightKeys}, and its
 * fans in {@code Fans.of}.
 */
class NewLayerTypeTest {

    /** A layer type DL4J does not ship (JSON-serializable: public no-arg constructor). */
    public static class MyDense extends DenseLayer {
        private static final long serialVersionUID = 1L;

        public MyDense() {}

        MyDense(long nIn, long nOut) {
            setNIn(nIn);
            setNOut(nOut);
            setActivationFn(Activation.RELU.getActivationFunction());
        }
    }

    private static MultiLayerConfiguration net() {
        return new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(16)
                        .nOut(32)
                        .activation(Activation.RELU)
                        .build())
                .layer(new MyDense(32, 32))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(32)
                        .nOut(4)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
    }

    @Test
    void theCatalogPlacesTheTypeAndEveryPassFollows() {
        MyDense layer = new MyDense(32, 32);
        assertTrue(LayerCatalog.appliesActivation(layer));
        assertEquals(java.util.Set.of("W"), LayerCatalog.weightKeys(layer));
        assertEquals(32, Fans.of(layer, "W", FanConvention.STRIDE_IGNORED, null).in(), 0);

        // configuration pass: fed by ReLU, fan_in 32 → std √(2/32)
        InitPlan plan = HeConfigurer.plan(net());
        InitPlan.Row row = plan.rows("layer1", "W").get(0);
        assertEquals(InitPlan.Status.CONFIGURED, row.status());
        assertEquals(Math.sqrt(2.0 / 32), row.std(), 1e-12);

        MultiLayerNetwork net = new MultiLayerNetwork(HeConfigurer.apply(net()));
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
        assertFalse(r.layers().get(1).type().isEmpty());
    }
}
