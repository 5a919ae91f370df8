package dev.heinit;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The value-type contract of HeInit and VarianceScalingInit: defaults, immutability, validation, shapes, determinism. */
class HeInitApiTest {

    @Test
    void defaultsAreKaimingNormalFanInRelu() {
        HeInit h = HeInit.normal();
        assertEquals(Sampler.NORMAL, h.sampler());
        assertEquals(FanMode.FAN_IN, h.mode());
        assertEquals(Nonlinearity.RELU, h.nonlinearity());
        assertEquals(GainConvention.SECOND_MOMENT, h.gainConvention());
        assertEquals(OptionalDouble.empty(), h.explicitGain());
        assertEquals(Sampler.UNIFORM, HeInit.uniform().sampler());
        assertEquals(Sampler.TRUNCATED_NORMAL, HeInit.truncatedNormal().sampler());
    }

    @Test
    void fluentMethodsReturnNewInstancesAndNeverChangeTheReceiver() {
        HeInit base = HeInit.uniform();
        HeInit copy = HeInit.uniform();
        HeInit[] derived = {
            base.fanIn(),
            base.fanOut(),
            base.fanAvg(),
            base.nonlinearity(Nonlinearity.GELU),
            base.gain(3),
            base.gainConvention(GainConvention.PYTORCH),
            base.sampler(Sampler.NORMAL),
            base.mode(FanMode.FAN_OUT)
        };
        for (HeInit d : derived) {
            assertNotSame(base, d);
        }
        assertEquals(copy, base);
        assertEquals(FanMode.FAN_OUT, derived[1].mode());
        assertEquals(FanMode.FAN_AVG, derived[2].mode());
        assertEquals(Nonlinearity.GELU, derived[3].nonlinearity());
        assertEquals(3.0, derived[4].explicitGain().getAsDouble());
        assertEquals(GainConvention.PYTORCH, derived[5].gainConvention());
        assertEquals(base, base.fanIn());
        assertNotEquals(base, base.fanOut());
        assertEquals(base.fanOut().hashCode(), HeInit.uniform().fanOut().hashCode());
        assertNotEquals(
                HeInit.normal().nonlinearity(Nonlinearity.leakyRelu(0.1)),
                HeInit.normal().nonlinearity(Nonlinearity.leakyRelu(0.2)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void badFansAreRejectedNamingTheValueAndShape(double fan) {
        long[] shape = {1000, 64};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeInit.normal().init(fan, 64, shape, 'f', Nd4j.create(DataType.FLOAT, 64000)));
        assertTrue(
                e.getMessage().contains("fanIn")
                        && e.getMessage().contains(String.valueOf(fan))
                        && e.getMessage().contains("[1000, 64]"),
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HeInit.normal().fanOut().init(64, fan, shape, 'f', Nd4j.create(DataType.FLOAT, 64000)));
        assertTrue(e.getMessage().contains("fanOut") && e.getMessage().contains(String.valueOf(fan)), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> HeInit.normal().fanAvg().std(fan, 10));
        assertThrows(
                IllegalArgumentException.class,
                () -> new VarianceScalingInit(2, FanMode.FAN_IN, Sampler.NORMAL)
                        .init(fan, 1, shape, 'f', Nd4j.create(DataType.FLOAT, 64000)));
    }

    @Test
    void theFanAModeDoesNotUseIsNotChecked() {
        // DL4J passes fan_out 4.5 for depthwise and fan_in 1 for embeddings; only the used fan matters.
        assertEquals(Math.sqrt(2.0 / 9), HeInit.normal().std(9, 0), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1e-9, -2, Double.NaN, Double.POSITIVE_INFINITY})
    void badGainsAreRejected(double g) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HeInit.normal().gain(g));
        assertTrue(e.getMessage().contains(String.valueOf(g)) && e.getMessage().contains(">= 0"), e.getMessage());
    }

    @Test
    void zeroGainGivesZeroWeights() {
        INDArray w = HeInit.normal().gain(0).init(10, 10, new long[] {10, 10}, 'f', Nd4j.create(DataType.FLOAT, 100));
        assertEquals(0.0, w.amaxNumber().doubleValue());
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void badSlopesAreRejected(double a) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nonlinearity.leakyRelu(a));
        assertTrue(e.getMessage().contains(String.valueOf(a)), e.getMessage());
    }

    @Test
    void badVarianceScalingArgumentsAreRejected() {
        for (double s : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> new VarianceScalingInit(s, FanMode.FAN_IN, Sampler.NORMAL));
            assertTrue(e.getMessage().contains(String.valueOf(s)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new VarianceScalingInit(1, null, Sampler.NORMAL));
        assertThrows(IllegalArgumentException.class, () -> new VarianceScalingInit(1, FanMode.FAN_IN, null));
        assertThrows(IllegalArgumentException.class, () -> HeInit.normal().nonlinearity(null));
        assertThrows(IllegalArgumentException.class, () -> HeInit.normal().mode(null));
        assertThrows(IllegalArgumentException.class, () -> HeInit.normal().sampler(null));
        assertThrows(IllegalArgumentException.class, () -> HeInit.normal().gainConvention(null));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeInit.normal().init(4, 4, new long[] {4, 5}, 'c', Nd4j.create(DataType.FLOAT, 16)));
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("16"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HeInit.normal().init(4, 4, new long[] {4, 4}, 'x', Nd4j.create(DataType.FLOAT, 16)));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void varianceScalingIsTheGeneralForm() {
        // He normal = (2, FAN_IN, NORMAL); Glorot = (1, FAN_AVG, ·); LeCun = (1, FAN_IN, ·).
        // against the closed form, not against each other: both go through the same formula
        assertEquals(Math.sqrt(2.0 / 300), HeInit.normal().std(300, 500), 1e-15);
        assertEquals(
                Math.sqrt(2.0 / 300), new VarianceScalingInit(2, FanMode.FAN_IN, Sampler.NORMAL).std(300, 500), 1e-15);
        assertEquals(
                Math.sqrt(1.0 / 400),
                new VarianceScalingInit(1, FanMode.FAN_AVG, Sampler.UNIFORM).std(300, 500),
                1e-15);
        assertEquals(
                Math.sqrt(2.0 / 500),
                new VarianceScalingInit(2, FanMode.FAN_OUT, Sampler.UNIFORM).std(300, 500),
                1e-15);
    }

    /** Every weight shape DL4J passes, in its order, for every floating parameter type. */
    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT", "DOUBLE", "HALF", "BFLOAT16"})
    void fillsEveryShapeAndTypeThroughAView(DataType type) {
        long[][] shapes = {
            {256, 512},
            {32, 16, 3, 3},
            {32, 16, 3, 1},
            {32, 16, 3, 3, 3},
            {3, 3, 3, 32, 16},
            {3, 3, 16, 2},
            {64, 256},
            {64, 259},
            {7}
        };
        char[] orders = {'f', 'c', 'c', 'c', 'c', 'c', 'f', 'f', 'c'};
        for (HeInit h : new HeInit[] {HeInit.normal(), HeInit.uniform(), HeInit.truncatedNormal()}) {
            for (int k = 0; k < shapes.length; k++) {
                fillThroughView(h, type, shapes[k], orders[k]);
            }
        }
    }

    private static void fillThroughView(HeInit h, DataType type, long[] shape, char order) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        // DL4J hands an init a view into the network's flat parameter vector: nothing outside may change.
        INDArray flat = Nd4j.valueArrayOf(new long[] {n + 20}, 7.0, type);
        INDArray view = flat.get(NDArrayIndex.interval(10, 10 + n));
        Nd4j.getRandom().setSeed(3);
        INDArray w = h.init(100, 100, shape, order, view);
        assertArrayEquals(shape, w.shape());
        if (w.rank() > 1) {
            assertEquals(order, w.ordering());
        }
        assertEquals(type, w.dataType());
        for (int i = 0; i < 10; i++) {
            assertEquals(7.0, flat.getDouble(i), 0.0);
            assertEquals(7.0, flat.getDouble(n + 10 + i), 0.0);
        }
        double max = view.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
        assertTrue(max > 0 && max < 1, "values written into the view, at He scale: " + max);
    }

    @Test
    void sameNd4jSeedSameWeightsBitwise() {
        for (HeInit h : new HeInit[] {HeInit.normal(), HeInit.uniform(), HeInit.truncatedNormal()}) {
            long[] shape = {300, 700};
            Nd4j.getRandom().setSeed(42);
            INDArray a = h.init(300, 700, shape, 'f', Nd4j.create(DataType.FLOAT, 210_000))
                    .dup();
            INDArray b = h.init(300, 700, shape, 'f', Nd4j.create(DataType.FLOAT, 210_000))
                    .dup();
            Nd4j.getRandom().setSeed(42);
            INDArray c = h.init(300, 700, shape, 'f', Nd4j.create(DataType.FLOAT, 210_000))
                    .dup();
            assertEquals(a, c, h + ": same seed, same weights");
            assertNotEquals(a, b, h + ": the RNG advances between calls");
        }
    }
}
