package org.deeplearning4j.nn.modelimport.keras.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.config.KerasLayerConfiguration;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("Keras initializer configs with integer values")
class KerasIntegerInitializerConfigTest {

    private final KerasLayerConfiguration conf = new Keras2LayerConfiguration();

    private IWeightInit map(String name, Object... keyValues) throws Exception {
        Map<String, Object> config = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return KerasInitilizationUtils.mapWeightInitialization(name, conf, config, 2);
    }

    @Test
    @DisplayName("Constant{value: 0} fills zeros")
    void integerConstant() throws Exception {
        INDArray w = map("Constant", "value", 0).init(4, 4, new long[] {4, 4}, 'f',
                Nd4j.create(DataType.FLOAT, 16).assign(7));
        assertEquals(0.0, w.maxNumber().doubleValue(), 0.0);
        assertEquals(0.0, w.minNumber().doubleValue(), 0.0);
    }

    @Test
    @DisplayName("RandomUniform{minval: -1, maxval: 1}: reseeded draws repeat, std 1/sqrt(3) within 5 standard errors")
    void integerUniform() throws Exception {
        IWeightInit init = map("RandomUniform", "minval", -1, "maxval", 1);
        long[] shape = {512, 512};
        Nd4j.getRandom().setSeed(12345);
        INDArray a = init.init(512, 512, shape, 'f', Nd4j.create(DataType.DOUBLE, 512 * 512));
        Nd4j.getRandom().setSeed(12345);
        INDArray b = init.init(512, 512, shape, 'f', Nd4j.create(DataType.DOUBLE, 512 * 512));
        assertEquals(a, b);
        double n = a.length();
        double sigma = 1 / Math.sqrt(3);
        // SE of the sample variance: sqrt((kurtosis - 1) / n) sigma^2, uniform kurtosis 1.8
        assertEquals(sigma * sigma, a.varNumber().doubleValue(), 5 * Math.sqrt(0.8 / n) * sigma * sigma);
        assertTrue(a.amaxNumber().doubleValue() <= 1.0);
    }

    @Test
    @DisplayName("VarianceScaling{scale: 2} and Orthogonal{gain: 1} with integers map like their doubles")
    void integerScaleAndGain() throws Exception {
        assertEquals(map("VarianceScaling", "scale", 2.0, "mode", "fan_in", "distribution", "uniform"),
                map("VarianceScaling", "scale", 2, "mode", "fan_in", "distribution", "uniform"));
        assertEquals(map("Orthogonal", "gain", 1.0), map("Orthogonal", "gain", 1));
        assertEquals(map("RandomNormal", "mean", 0.0, "stddev", 1.0), map("RandomNormal", "mean", 0, "stddev", 1));
    }
}
