package org.deeplearning4j.nn.modelimport.keras.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("Keras VarianceScaling distributions truncated_normal and untruncated_normal")
class KerasVarianceScalingDistributionTest {

    private static final long[] SHAPE = {512, 512};
    private static final double FAN_IN = 256;
    private static final double FAN_OUT = 512;

    private static IWeightInit map(double scale, String mode, String distribution) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("scale", scale);
        config.put("mode", mode);
        config.put("distribution", distribution);
        return KerasInitilizationUtils.mapWeightInitialization("VarianceScaling", new Keras2LayerConfiguration(),
                config, 2);
    }

    private static INDArray draw(IWeightInit init, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return init.init(FAN_IN, FAN_OUT, SHAPE, 'f', Nd4j.create(DataType.DOUBLE, SHAPE[0] * SHAPE[1]));
    }

    @Test
    @DisplayName("tf.keras he_normal, VarianceScaling(2, fan_in, truncated_normal), draws a normal truncated at 2 sigma0")
    void truncatedNormalIsTruncatedNormal() throws Exception {
        IWeightInit init = map(2.0, "fan_in", "truncated_normal");
        INDArray a = draw(init, 7);
        assertEquals(a, draw(init, 7), "reseeded draws repeat");
        double sigma0 = Math.sqrt(2.0 / FAN_IN);
        assertTrue(a.amaxNumber().doubleValue() <= 2 * sigma0 * (1 + 1e-6),
                "max |w| " + a.amaxNumber() + " beyond the truncation 2 sigma0 = " + 2 * sigma0);
        // N(0, sigma0^2) cut at 2 sigma0 has std 0.8796 sigma0; ND4J's truncated-normal generator gives 0.871 sigma0
        // (1 % narrow, a separate libnd4j issue), so the check allows 0.015 on top of 5 standard errors (0.0014).
        double std = a.stdNumber().doubleValue() / sigma0;
        assertEquals(0.8796, std, 0.015 + 5 * 0.8796 * Math.sqrt(1.366 / (4 * a.length())), "std / sigma0");
    }

    @Test
    @DisplayName("untruncated_normal maps to an untruncated normal of std sqrt(scale/n), or fails if DL4J has none")
    void untruncatedNormal() throws Exception {
        INDArray a = draw(map(1.0, "fan_avg", "untruncated_normal"), 8);
        double std = Math.sqrt(1.0 / ((FAN_IN + FAN_OUT) / 2));
        double n = a.length();
        // SE of the sample variance of a normal: sqrt(2 / n) var
        assertEquals(std * std, a.varNumber().doubleValue(), 5 * Math.sqrt(2 / n) * std * std);
        assertTrue(a.amaxNumber().doubleValue() > 3 * std, "untruncated: values beyond 3 sigma occur");
        INDArray b = draw(map(2.0, "fan_in", "untruncated_normal"), 9);
        assertEquals(2.0 / FAN_IN, b.varNumber().doubleValue(), 5 * Math.sqrt(2 / n) * 2.0 / FAN_IN);
        try {
            map(3.0, "fan_out", "untruncated_normal");
            throw new AssertionError("VarianceScaling(3, fan_out, untruncated_normal) has no DL4J equivalent");
        } catch (org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException expected) {
            assertTrue(expected.getMessage().contains("untruncated_normal"));
        }
    }
}
