package dev.heinit.zoo;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.AlexNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.config.HeConfigurer;
import dev.heinit.diagnostics.SignalPropagation;
import dev.heinit.diagnostics.SignalReport;
import dev.heinit.diagnostics.SignalThresholds;
import dev.heinit.diagnostics.Verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's zoo AlexNet (LRN, three 3×3/2 max pools, zoo bias init 1 on five layers) configured by the pass comes out
 * HEALTHY by the library's default thresholds, the verdict {@code signal} prints. Before max pooling was modelled
 * its pre-activations grew ×11 (EXPLODING); per-unit δ falls ×0.06 through the pools whatever the init, which the
 * backward ratio on the weight-gradient scale (√P·RMS(δ)) no longer calls VANISHING. Small input (100×100: the
 * pools and strides still leave a 2×2 map) and 4 Gaussian examples, one seed: cheap, not a statistic.
 */
class AlexNetHealthyTest {

    private static final int SIZE = 100;

    @Test
    void configuredAlexNetIsHealthy() {
        MultiLayerConfiguration conf = AlexNet.builder()
                .numClasses(10)
                .inputShape(new int[] {3, SIZE, SIZE})
                .build()
                .conf();
        MultiLayerNetwork net = new MultiLayerNetwork(HeConfigurer.builder()
                .inputType(InputType.convolutional(SIZE, SIZE, 3))
                .configure(conf));
        net.init();
        Nd4j.getRandom().setSeed(1);
        SignalReport r = SignalPropagation.measure(net, Nd4j.randn(DataType.FLOAT, 4, 3, SIZE, SIZE));
        assertEquals(SignalThresholds.defaults().toString(), r.thresholds().toString());
        assertTrue(r.verdicts().contains(Verdict.HEALTHY), r::toText);
    }
}
