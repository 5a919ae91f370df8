package org.deeplearning4j.nn.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("LeCun uniform weight init: variance 1/fanIn")
class WeightInitLecunUniformStdTest {

    private static final long[] SHAPE = {512, 512};
    private static final double FAN_IN = 256;
    private static final double FAN_OUT = 512;

    private static INDArray draw(IWeightInit init, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return init.init(FAN_IN, FAN_OUT, SHAPE, 'f', Nd4j.create(DataType.DOUBLE, SHAPE[0] * SHAPE[1]));
    }

    @Test
    @DisplayName("WeightInitLecunUniform draws U(-sqrt(3/fanIn), sqrt(3/fanIn)), std 1/sqrt(fanIn) within 5 standard errors")
    void lecunUniformStd() {
        INDArray a = draw(new WeightInitLecunUniform(), 123);
        assertEquals(a, draw(new WeightInitLecunUniform(), 123), "reseeded draws repeat");
        double n = a.length();
        double var = 1.0 / FAN_IN;
        // SE of the sample variance of a uniform: sqrt((1.8 - 1) / n) * var
        assertEquals(var, a.varNumber().doubleValue(), 5 * Math.sqrt(0.8 / n) * var);
        double bound = Math.sqrt(3.0 / FAN_IN);
        assertTrue(a.amaxNumber().doubleValue() <= bound, "max " + a.amaxNumber() + " > bound " + bound);
        assertTrue(a.amaxNumber().doubleValue() >= 0.99 * bound);
    }

    @Test
    @DisplayName("The legacy WeightInit.LECUN_UNIFORM path draws exactly what WeightInitLecunUniform draws")
    void legacyMatchesClass() {
        INDArray a = draw(new WeightInitLecunUniform(), 321);
        Nd4j.getRandom().setSeed(321);
        INDArray legacy = WeightInitUtil.initWeights(FAN_IN, FAN_OUT, SHAPE, WeightInit.LECUN_UNIFORM, null, 'f',
                Nd4j.create(DataType.DOUBLE, SHAPE[0] * SHAPE[1]));
        assertEquals(a, legacy);
    }
}
