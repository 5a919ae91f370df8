package org.deeplearning4j.nn.modelimport.keras.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.config.KerasLayerConfiguration;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitIdentity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("Keras Identity initializer import")
class KerasIdentityInitializationTest {

    private final KerasLayerConfiguration conf = new Keras2LayerConfiguration();

    @Test
    @DisplayName("Identity with Keras's default gain 1.0 maps to WeightInitIdentity")
    void identityDefaultGain() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("gain", 1.0);
        IWeightInit init = KerasInitilizationUtils.mapWeightInitialization("Identity", conf, config, 2);
        assertEquals(new WeightInitIdentity(), init);
        INDArray w = init.init(8, 8, new long[] {8, 8}, 'f', Nd4j.create(DataType.FLOAT, 64));
        assertEquals(Nd4j.eye(8).castTo(DataType.FLOAT), w);
    }

    @Test
    @DisplayName("Identity with gain 2.5 maps to 2.5 times the identity")
    void identityOtherGain() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("gain", 2.5);
        IWeightInit init = KerasInitilizationUtils.mapWeightInitialization("identity", conf, config, 2);
        INDArray w = init.init(4, 4, new long[] {4, 4}, 'f', Nd4j.create(DataType.FLOAT, 16));
        assertEquals(Nd4j.eye(4).muli(2.5).castTo(DataType.FLOAT), w);
    }
}
