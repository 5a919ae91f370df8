package dev.heinit.examples.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --input standardize: the training set's statistics, applied to both sets. */
class InputModeTest {

    @Test
    void standardizeUsesTheTrainingSetsMeanAndStdForBothSets() {
        ImageData raw = Datasets.bundledMnist().limit(1000, 500);
        ImageData std = InputMode.STANDARDIZE.apply(raw);
        INDArray tr = std.train().getFeatures().castTo(DataType.DOUBLE);
        assertEquals(0.0, tr.meanNumber().doubleValue(), 1e-6);
        assertEquals(1.0, tr.stdNumber(false).doubleValue(), 1e-6);
        // the test set is mapped with the training set's μ, σ: x' = (x − μ)/σ for every pixel
        INDArray rtr = raw.train().getFeatures().castTo(DataType.DOUBLE);
        double mu = rtr.meanNumber().doubleValue();
        double sigma = rtr.stdNumber(false).doubleValue();
        INDArray expected =
                raw.test().getFeatures().castTo(DataType.DOUBLE).sub(mu).div(sigma);
        INDArray got = std.test().getFeatures().castTo(DataType.DOUBLE);
        assertTrue(expected.equalsWithEps(got, 1e-4), "test set standardized with the training statistics");
        // MNIST: mean ≈ 0.13, std ≈ 0.31 on the raw [0, 1] scale; the raw data is left unchanged
        assertTrue(mu > 0.1 && mu < 0.16 && sigma > 0.28 && sigma < 0.34, mu + " " + sigma);
        assertEquals(
                mu,
                raw.train().getFeatures().castTo(DataType.DOUBLE).meanNumber().doubleValue(),
                0);
        assertSame(raw, InputMode.RAW.apply(raw));
    }

    @Test
    void names() {
        assertEquals(InputMode.STANDARDIZE, InputMode.byName("Standardize"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputMode.byName("whiten"));
        assertTrue(e.getMessage().contains("'whiten'") && e.getMessage().contains("raw, standardize"), e.getMessage());
    }
}
