package dev.heinit.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDX and CIFAR-10 loaders on tiny fixture files written by the test, and the bundled digits. */
class DatasetsTest {

    @TempDir
    Path dir;

    private static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int d : dims) {
            o.writeInt(d);
        }
        o.write(data);
        return b.toByteArray();
    }

    private static byte[] images(int n) throws IOException {
        byte[] px = new byte[n * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 37);
        }
        return idx(8, new int[] {n, 2, 2}, px);
    }

    private static byte[] labels(int... y) throws IOException {
        byte[] b = new byte[y.length];
        for (int i = 0; i < y.length; i++) {
            b[i] = (byte) y[i];
        }
        return idx(8, new int[] {y.length}, b);
    }

    private void write(String name, byte[] content, boolean gz) throws IOException {
        try (OutputStream o = gz
                ? new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))
                : Files.newOutputStream(dir.resolve(name))) {
            o.write(content);
        }
    }

    private void mnist(boolean gz) throws IOException {
        write("train-images-idx3-ubyte", images(3), gz);
        write("train-labels-idx1-ubyte", labels(0, 9, 4), gz);
        write("t10k-images-idx3-ubyte", images(2), gz);
        write("t10k-labels-idx1-ubyte", labels(7, 1), gz);
    }

    @Test
    void readsPlainAndGzippedIdx() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path sub = Files.createDirectory(dir.resolve(gz ? "gz" : "plain"));
            dir = sub;
            mnist(gz);
            ImageData d = Datasets.load(sub);
            assertArrayEquals(new long[] {3, 1, 2, 2}, d.train().getFeatures().shape());
            assertArrayEquals(new long[] {2, 10}, d.test().getLabels().shape());
            assertEquals(2, d.height());
            assertArrayEquals(
                    new long[] {0, 9, 4}, Nd4j.argMax(d.train().getLabels(), 1).toLongVector());
            // pixel i is (i*37 mod 256)/255
            float[] f = d.train().getFeatures().reshape(12).toFloatVector();
            for (int i = 0; i < 12; i++) {
                assertEquals(((i * 37) & 0xFF) / 255f, f[i], 1e-7f);
            }
            dir = sub.getParent();
        }
    }

    private String error(Runnable r) {
        return assertThrows(DataFormatException.class, r::run).getMessage();
    }

    @Test
    void truncatedDataNamesTheFile() throws IOException {
        mnist(false);
        byte[] full = images(3);
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 5));
        String m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("train-images-idx3-ubyte") && m.contains("truncated") && m.contains("yann.lecun.com"), m);
    }

    @Test
    void truncatedHeader() throws IOException {
        mnist(false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0});
        String m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("train-labels-idx1-ubyte") && m.contains("truncated header"), m);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0});
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("truncated header"), m);
    }

    @Test
    void corruptHeaders() throws IOException {
        mnist(false);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), "<html>not found</html>".getBytes());
        String m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("t10k-images-idx3-ubyte") && m.contains("not an IDX"), m);

        mnist(false);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(8, new int[] {2, -5, 2}, new byte[0]));
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("dimension 1 is -5"), m);

        mnist(false);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), labels(1, 2));
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("rank 3"), m);

        mnist(false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2, 3));
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("2 images") && m.contains("3 labels"), m);

        mnist(false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 12));
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("label 12"), m);
    }

    @Test
    void corruptGzip() throws IOException {
        mnist(true);
        byte[] gz = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        String m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("train-images-idx3-ubyte.gz"), m);
    }

    @Test
    void missingFiles() throws IOException {
        String m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("no MNIST or CIFAR-10 files") && m.contains("cifar.html"), m);
        mnist(false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("missing") && m.contains("t10k-labels-idx1-ubyte"), m);
        m = error(() -> Datasets.load(dir.resolve("nope")));
        assertTrue(m.contains("not a directory"), m);
    }

    private static byte[] cifarRecords(int n, int label) {
        byte[] b = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            b[i * 3073] = (byte) ((label + i) % 10);
            for (int j = 1; j < 3073; j++) {
                b[i * 3073 + j] = (byte) j;
            }
        }
        return b;
    }

    @Test
    void cifarBinaryBatches() throws IOException {
        Path c = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(c.resolve("data_batch_" + i + ".bin"), cifarRecords(2, i));
        }
        Files.write(c.resolve("test_batch.bin"), cifarRecords(3, 0));
        ImageData d = Datasets.load(dir);
        assertArrayEquals(new long[] {10, 3, 32, 32}, d.train().getFeatures().shape());
        assertArrayEquals(new long[] {3, 10}, d.test().getLabels().shape());
        assertEquals(3, d.channels());
        assertArrayEquals(
                new long[] {0, 1, 2}, Nd4j.argMax(d.test().getLabels(), 1).toLongVector());
        // first red pixel is byte 1, first green pixel byte 1025 (mod 256 = 1)
        assertEquals(1 / 255f, d.test().getFeatures().getFloat(0, 0, 0, 0), 1e-7f);
        assertEquals(2 / 255f, d.test().getFeatures().getFloat(0, 0, 0, 1), 1e-7f);

        Files.write(c.resolve("test_batch.bin"), Arrays.copyOf(cifarRecords(3, 0), 3073 * 2 + 100));
        String m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("test_batch.bin") && m.contains("whole number"), m);
        Files.delete(c.resolve("data_batch_3.bin"));
        m = error(() -> Datasets.load(dir));
        assertTrue(m.contains("data_batch_3.bin"), m);
    }

    @Test
    void bundledDigits() {
        ImageData d = Datasets.bundledMnist();
        assertArrayEquals(new long[] {8000, 1, 28, 28}, d.train().getFeatures().shape());
        assertArrayEquals(new long[] {2000, 10}, d.test().getLabels().shape());
        double max = d.train().getFeatures().maxNumber().doubleValue();
        assertTrue(max <= 1.0 && max > 0.9, "pixels scaled to [0, 1]: max " + max);
        // every digit occurs; none dominates (MNIST's class frequencies are 9-11 %)
        double[] freq = d.train().getLabels().sum(0).toDoubleVector();
        for (double f : freq) {
            assertTrue(f / 8000 > 0.07 && f / 8000 < 0.14, Arrays.toString(freq));
        }
    }
}
