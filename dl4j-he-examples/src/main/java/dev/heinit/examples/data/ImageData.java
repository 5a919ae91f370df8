package dev.heinit.examples.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A labelled image classification data set split into train and test, features NCHW in [0, 1], labels one-hot.
 *
 * @param name     human-readable origin, e.g. "bundled MNIST-10k"
 * @param train    training examples, features [n, channels, height, width]
 * @param test     test examples, same layout
 * @param channels image channels (1 for MNIST, 3 for CIFAR-10)
 * @param height   image height in pixels
 * @param width    image width in pixels
 * @param classes  number of classes
 */
public record ImageData(String name, DataSet train, DataSet test, int channels, int height, int width, int classes) {

    /** The first {@code trainN} training and {@code testN} test examples (≤ 0 keeps all). */
    public ImageData limit(int trainN, int testN) {
        return new ImageData(name, head(train, trainN), head(test, testN), channels, height, width, classes);
    }

    /**
     * Per channel {@code (x − μ_c)/σ_c}, μ_c and σ_c the mean and (population) standard deviation of channel c over
     * every pixel of the training set, applied to both sets; new arrays, this one is unchanged.
     *
     * @throws IllegalArgumentException if a channel of the training set is constant (σ = 0)
     */
    public ImageData standardized() {
        INDArray x = train.getFeatures();
        long n = x.size(0);
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            INDArray ch = x.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                    .castTo(DataType.DOUBLE);
            mean[c] = ch.meanNumber().doubleValue();
            std[c] = ch.stdNumber(false).doubleValue(); // population std over n·h·w pixels
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("channel " + c + " of the " + n + " training examples is constant "
                        + "(std " + std[c] + "); cannot standardize");
            }
        }
        return new ImageData(
                name + ", standardized",
                new DataSet(scale(x, mean, std), train.getLabels()),
                new DataSet(scale(test.getFeatures(), mean, std), test.getLabels()),
                channels,
                height,
                width,
                classes);
    }

    private INDArray scale(INDArray x, double[] mean, double[] std) {
        INDArray y = x.dup();
        for (int c = 0; c < channels; c++) {
            INDArray ch = y.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
            ch.subi(mean[c]).divi(std[c]);
        }
        return y;
    }

    private static DataSet head(DataSet ds, int n) {
        if (n <= 0 || n >= ds.numExamples()) {
            return ds;
        }
        return new DataSet(
                ds.getFeatures()
                        .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n))
                        .dup(),
                ds.getLabels()
                        .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n))
                        .dup());
    }
}
