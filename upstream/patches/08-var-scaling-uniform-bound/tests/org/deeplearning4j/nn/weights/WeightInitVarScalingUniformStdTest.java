package org.deeplearning4j.nn.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("Uniform variance scaling weight init: variance scale/n")
class WeightInitVarScalingUniformStdTest {

    private static final long[] SHAPE = {512, 512};
    private static final double FAN_IN = 256;
    private static final double FAN_OUT = 512;

    private static INDArray draw(IWeightInit init, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return init.init(FAN_IN, FAN_OUT, SHAPE, 'f', Nd4j.create(DataType.DOUBLE, SHAPE[0] * SHAPE[1]));
    }

    /** Variance within 5 standard errors (uniform kurtosis 1.8: SE = sqrt(0.8/n) var); |x| at most sqrt(3 var). */
    private static void assertUniform(String what, INDArray a, double var) {
        double n = a.length();
        assertEquals(var, a.varNumber().doubleValue(), 5 * Math.sqrt(0.8 / n) * var, what);
        double bound = Math.sqrt(3 * var);
        assertTrue(a.amaxNumber().doubleValue() <= bound * (1 + 1e-12), what + ": max " + a.amaxNumber() + " > " + bound);
        assertTrue(a.amaxNumber().doubleValue() >= 0.99 * bound, what);
    }

    @Test
    @DisplayName("FanIn/FanOut/FanAvg at scale 1 and 2 draw std sqrt(scale/n) with bound sqrt(3 scale/n)")
    void classesStd() {
        for (double scale : new double[] {1.0, 2.0}) {
            INDArray in = draw(new WeightInitVarScalingUniformFanIn(scale), 1);
            assertEquals(in, draw(new WeightInitVarScalingUniformFanIn(scale), 1), "reseeded draws repeat");
            assertUniform("fan_in, scale " + scale, in, scale / FAN_IN);
            assertUniform("fan_out, scale " + scale, draw(new WeightInitVarScalingUniformFanOut(scale), 2), scale / FAN_OUT);
            assertUniform("fan_avg, scale " + scale, draw(new WeightInitVarScalingUniformFanAvg(scale), 3),
                    scale / ((FAN_IN + FAN_OUT) / 2));
        }
    }

    @Test
    @DisplayName("The legacy VAR_SCALING_UNIFORM_* paths draw exactly what the classes draw at scale 1")
    void legacyMatchesClasses() {
        Object[][] cases = {{WeightInit.VAR_SCALING_UNIFORM_FAN_IN, new WeightInitVarScalingUniformFanIn(1.0)},
            {WeightInit.VAR_SCALING_UNIFORM_FAN_OUT, new WeightInitVarScalingUniformFanOut(1.0)},
            {WeightInit.VAR_SCALING_UNIFORM_FAN_AVG, new WeightInitVarScalingUniformFanAvg(1.0)}};
        for (Object[] c : cases) {
            INDArray a = draw((IWeightInit) c[1], 4);
            Nd4j.getRandom().setSeed(4);
            INDArray legacy = WeightInitUtil.initWeights(FAN_IN, FAN_OUT, SHAPE, (WeightInit) c[0], null, 'f',
                    Nd4j.create(DataType.DOUBLE, SHAPE[0] * SHAPE[1]));
            assertEquals(a, legacy, String.valueOf(c[0]));
        }
    }
}
