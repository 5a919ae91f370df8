package dev.heinit.examples;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.examples.train.Trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The minibatch gather of the trainer returns exactly what {@code getRows} did (training stays bitwise the same). */
class TrainerRowsTest {

    @Test
    void rowsEqualGetRowsIncludingRepeatsAndOrder() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 500, 784);
        int[] idx = {499, 0, 17, 17, 250, 3, 498};
        INDArray got = Trainer.rows(x, idx);
        assertEquals(x.getRows(idx), got);
        assertEquals(x.getRow(17), got.getRow(3));
        INDArray y = Nd4j.rand(DataType.FLOAT, 500, 10);
        assertEquals(y.getRows(idx), Trainer.rows(y, idx));
    }
}
