package dev.heinit.examples.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads MNIST-format IDX files (gzipped or plain) and CIFAR-10 binary batches into {@link ImageData}.
 *
 * <p>IDX (LeCun et al., http://yann.lecun.com/exdb/mnist/): a big-endian header {@code 0x00 0x00 type rank},
 * then {@code rank} 32-bit dimensions, then the unsigned bytes (type 0x08). Images are rank 3
 * [n, rows, cols], labels rank 1 [n]. CIFAR-10 binary (Krizhevsky 2009,
 * https://www.cs.toronto.edu/~kriz/cifar.html): records of 1 label byte + 3·32·32 pixel bytes (R, G, B planes).
 * Pixels are scaled to [0, 1] by /255.
 */
public final class Datasets {

    /** Classpath folder of the bundled 10,000-digit MNIST subset (8,000 train, 2,000 test). */
    public static final String BUNDLED = "/mnist-10k/";

    static final String[] MNIST_FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };
    private static final String MNIST_SOURCE = "get MNIST from http://yann.lecun.com/exdb/mnist/ "
            + "(or a mirror such as https://ossci-datasets.s3.amazonaws.com/mnist/)";
    private static final String CIFAR_SOURCE =
            "get the 'CIFAR-10 binary version' from " + "https://www.cs.toronto.edu/~kriz/cifar.html";
    private static final int CIFAR_RECORD = 1 + 3 * 32 * 32;

    private Datasets() {}

    /** The digits bundled in the examples jar. */
    public static ImageData bundledMnist() {
        DataSet train = mnistPair(BUNDLED + MNIST_FILES[0] + ".gz", BUNDLED + MNIST_FILES[1] + ".gz", null);
        DataSet test = mnistPair(BUNDLED + MNIST_FILES[2] + ".gz", BUNDLED + MNIST_FILES[3] + ".gz", null);
        return new ImageData("bundled MNIST-10k", train, test, 1, 28, 28, 10);
    }

    /**
     * Loads a directory holding either the four MNIST IDX files (standard names, optionally {@code .gz}) or the
     * CIFAR-10 binary batches ({@code data_batch_1.bin}..{@code data_batch_5.bin}, {@code test_batch.bin}, also
     * inside a {@code cifar-10-batches-bin} sub-folder).
     *
     * @throws DataFormatException naming the missing or corrupt file and where to get it
     */
    public static ImageData load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException("--data " + dir + " is not a directory; it must hold the MNIST IDX files ("
                    + String.join(", ", MNIST_FILES) + ", optionally .gz) or the CIFAR-10 binary batches");
        }
        Path cifarDir =
                Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
        if (Files.exists(cifarDir.resolve("test_batch.bin")) || Files.exists(cifarDir.resolve("data_batch_1.bin"))) {
            return loadCifar(cifarDir);
        }
        Path[] files = new Path[4];
        boolean any = false;
        for (int i = 0; i < 4; i++) {
            files[i] = find(dir, MNIST_FILES[i]);
            any |= files[i] != null;
        }
        if (!any) {
            throw new DataFormatException("no MNIST or CIFAR-10 files in " + dir + ": expected "
                    + String.join(", ", MNIST_FILES)
                    + " (plain or .gz; " + MNIST_SOURCE + ") or data_batch_1.bin..data_batch_5.bin and test_batch.bin ("
                    + CIFAR_SOURCE + ")");
        }
        for (int i = 0; i < 4; i++) {
            if (files[i] == null) {
                throw new DataFormatException("missing " + dir.resolve(MNIST_FILES[i]) + "[.gz]; " + MNIST_SOURCE);
            }
        }
        DataSet train = mnistPair(files[0].toString(), files[1].toString(), dir);
        DataSet test = mnistPair(files[2].toString(), files[3].toString(), dir);
        return new ImageData(
                "MNIST from " + dir,
                train,
                test,
                1,
                (int) train.getFeatures().size(2),
                (int) train.getFeatures().size(3),
                10);
    }

    private static Path find(Path dir, String base) {
        for (String name :
                new String[] {base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz"}) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    /** Reads an images file and a labels file; {@code dir == null} means classpath resources. */
    private static DataSet mnistPair(String images, String labels, Path dir) {
        Idx img = readIdx(images, dir == null);
        Idx lab = readIdx(labels, dir == null);
        if (img.dims.length != 3) {
            throw new DataFormatException(images + ": an images file must have rank 3 [n, rows, cols], found rank "
                    + img.dims.length + "; " + MNIST_SOURCE);
        }
        if (lab.dims.length != 1) {
            throw new DataFormatException(labels + ": a labels file must have rank 1 [n], found rank " + lab.dims.length
                    + "; " + MNIST_SOURCE);
        }
        if (img.dims[0] != lab.dims[0]) {
            throw new DataFormatException(
                    images + " holds " + img.dims[0] + " images but " + labels + " holds " + lab.dims[0] + " labels");
        }
        int n = img.dims[0];
        int rows = img.dims[1];
        int cols = img.dims[2];
        float[] pixels = new float[img.data.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (img.data[i] & 0xFF) / 255f;
        }
        float[] onehot = new float[n * 10];
        for (int i = 0; i < n; i++) {
            int y = lab.data[i] & 0xFF;
            if (y > 9) {
                throw new DataFormatException(labels + ": label " + y + " at index " + i + " is not a digit 0..9");
            }
            onehot[i * 10 + y] = 1f;
        }
        INDArray f = Nd4j.create(pixels, new long[] {n, 1, rows, cols}, 'c');
        INDArray l = Nd4j.create(onehot, new long[] {n, 10}, 'c');
        return new DataSet(f, l);
    }

    /** A parsed IDX file: dimensions and the unsigned-byte payload. */
    record Idx(int[] dims, byte[] data) {}

    /** Reads one IDX file (gzip detected from its first two bytes, not from its name). */
    static Idx readIdx(String name, boolean resource) {
        try (InputStream raw = open(name, resource)) {
            return parseIdx(name, raw);
        } catch (DataFormatException e) {
            throw e;
        } catch (ZipException e) {
            throw new DataFormatException(
                    name + ": corrupt gzip data (" + e.getMessage() + "); re-download it, " + MNIST_SOURCE, e);
        } catch (EOFException e) {
            throw new DataFormatException(
                    name + ": truncated (file ends before the data its header announces); " + "re-download it, "
                            + MNIST_SOURCE,
                    e);
        } catch (IOException e) {
            throw new DataFormatException(name + ": cannot read (" + e + "); " + MNIST_SOURCE, e);
        }
    }

    private static InputStream open(String name, boolean resource) throws IOException {
        InputStream in = resource ? Datasets.class.getResourceAsStream(name) : Files.newInputStream(Path.of(name));
        if (in == null) {
            throw new DataFormatException(
                    "bundled resource " + name + " is missing from the jar; rebuild the examples module");
        }
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int m1 = b.read();
        int m2 = b.read();
        b.reset();
        if (m1 == 0x1f && m2 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
        }
        return b;
    }

    static Idx parseIdx(String name, InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[4];
        int got = in.read(magic);
        if (got < 4) {
            throw new DataFormatException(name + ": truncated header (" + Math.max(got, 0) + " of 4 magic bytes); "
                    + "re-download it, " + MNIST_SOURCE);
        }
        if (magic[0] != 0 || magic[1] != 0 || (magic[2] & 0xFF) != 0x08 || magic[3] < 1 || magic[3] > 4) {
            throw new DataFormatException(String.format(
                    java.util.Locale.ROOT,
                    "%s: not an IDX unsigned-byte file (magic %02x %02x %02x %02x, expected 00 00 08 01..04); %s",
                    name,
                    magic[0],
                    magic[1],
                    magic[2],
                    magic[3],
                    MNIST_SOURCE));
        }
        int rank = magic[3];
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(
                        name + ": truncated header (dimension " + i + " of " + rank + " missing); " + "re-download it, "
                                + MNIST_SOURCE,
                        e);
            }
            if (dims[i] <= 0 || dims[i] > 100_000_000) {
                throw new DataFormatException(
                        name + ": corrupt header, dimension " + i + " is " + dims[i] + "; " + MNIST_SOURCE);
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(name + ": corrupt header, " + total + " bytes announced");
        }
        byte[] data = new byte[(int) total];
        in.readFully(data);
        return new Idx(dims, data);
    }

    private static ImageData loadCifar(Path dir) {
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path p = dir.resolve("data_batch_" + i + ".bin");
            if (!Files.isRegularFile(p)) {
                throw new DataFormatException("missing " + p + "; " + CIFAR_SOURCE);
            }
            trainFiles.add(p);
        }
        Path testFile = dir.resolve("test_batch.bin");
        if (!Files.isRegularFile(testFile)) {
            throw new DataFormatException("missing " + testFile + "; " + CIFAR_SOURCE);
        }
        return new ImageData("CIFAR-10 from " + dir, cifar(trainFiles), cifar(List.of(testFile)), 3, 32, 32, 10);
    }

    static DataSet cifar(List<Path> files) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path p : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new DataFormatException("cannot read " + p + " (" + e + "); " + CIFAR_SOURCE, e);
            }
            if (b.length == 0 || b.length % CIFAR_RECORD != 0) {
                throw new DataFormatException(
                        p + ": " + b.length + " bytes is not a whole number of CIFAR-10 records of " + CIFAR_RECORD
                                + " bytes (truncated or not the binary version); " + CIFAR_SOURCE);
            }
            all.writeBytes(b);
        }
        byte[] b = all.toByteArray();
        int n = b.length / CIFAR_RECORD;
        float[] pixels = new float[n * (CIFAR_RECORD - 1)];
        float[] onehot = new float[n * 10];
        for (int i = 0; i < n; i++) {
            int off = i * CIFAR_RECORD;
            int y = b[off] & 0xFF;
            if (y > 9) {
                throw new DataFormatException("CIFAR-10 record " + i + " of " + files + " has label " + y
                        + " (expected 0..9): not the CIFAR-10 binary version? " + CIFAR_SOURCE);
            }
            onehot[i * 10 + y] = 1f;
            for (int j = 1; j < CIFAR_RECORD; j++) {
                pixels[i * (CIFAR_RECORD - 1) + j - 1] = (b[off + j] & 0xFF) / 255f;
            }
        }
        return new DataSet(
                Nd4j.create(pixels, new long[] {n, 3, 32, 32}, 'c'), Nd4j.create(onehot, new long[] {n, 10}, 'c'));
    }
}
