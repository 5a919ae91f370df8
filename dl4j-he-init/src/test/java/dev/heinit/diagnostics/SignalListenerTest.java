package dev.heinit.diagnostics;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalListenerTest {

    @Test
    void csvHasOneRowPerSampledIterationAndLayer(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = TestNets.mlp(5, 32, Activation.RELU, TestNets.he(), 0, 41);
        DataSet batch = TestNets.batch(16, 41);
        Path csv = dir.resolve("signal.csv");
        SignalListener listener =
                SignalListener.builder().every(3).probe(batch).csv(csv).build();
        net.setListeners(listener);
        for (int i = 0; i < 10; i++) {
            net.fit(batch);
        }
        listener.close();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("iteration,epoch," + SignalReport.CSV_HEADER, lines.get(0));
        int columns = lines.get(0).split(",", -1).length;
        List<Integer> iterations = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(columns, f.length, line);
            iterations.add(Integer.parseInt(f[0]));
        }
        // iterations 0, 3, 6, 9 sampled; 5 layers each
        assertEquals(4 * 5, lines.size() - 1);
        for (int k = 0; k < 4; k++) {
            for (int layer = 0; layer < 5; layer++) {
                assertEquals(3 * k, iterations.get(5 * k + layer));
            }
        }
        assertEquals(4, listener.samples());
        assertEquals(-1, listener.firstAlarmIteration());
        assertTrue(listener.lastReport().verdicts().contains(Verdict.HEALTHY));
    }

    @Test
    void firstAlarmIsRecordedOnceAndTrainingBatchIsUsedWithoutProbe() {
        MultiLayerNetwork net = TestNets.mlp(20, 64, Activation.RELU, TestNets.xavier(), 0, 42);
        DataSet batch = TestNets.batch(32, 42);
        StringWriter out = new StringWriter();
        SignalListener listener = SignalListener.builder().every(2).csv(out).build();
        net.setListeners(listener);
        for (int i = 0; i < 4; i++) {
            net.fit(batch);
        }
        assertEquals(0, listener.firstAlarmIteration());
        assertTrue(listener.firstAlarmVerdicts().contains(Verdict.VANISHING));
        assertEquals(2, listener.samples());
        assertTrue(!listener.lastReport().syntheticLabels(), "used the training batch's labels");
        assertEquals(1 + 2 * 20, out.toString().split("\n").length);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(
                IllegalArgumentException.class, () -> SignalListener.builder().every(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> SignalListener.builder().probe(new org.nd4j.linalg.api.ndarray.INDArray[0]));
        assertNull(SignalListener.builder().build().lastReport());
    }

    /** Sampling after close() appends to the file: earlier rows survive and the header appears once. */
    @Test
    void samplingAfterCloseAppends(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = TestNets.mlp(3, 16, Activation.RELU, TestNets.he(), 0, 43);
        DataSet batch = TestNets.batch(8, 43);
        Path csv = dir.resolve("signal.csv");
        SignalListener listener =
                SignalListener.builder().every(1).probe(batch).csv(csv).build();
        net.setListeners(listener);
        net.fit(batch);
        net.fit(batch);
        listener.close();
        net.fit(batch);
        listener.close();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("iteration,epoch," + SignalReport.CSV_HEADER, lines.get(0));
        assertEquals(1 + 3 * 3, lines.size(), String.join("\n", lines));
        for (int row = 0; row < 9; row++) {
            assertEquals(String.valueOf(row / 3), lines.get(1 + row).split(",", -1)[0], lines.get(1 + row));
        }
    }
}
