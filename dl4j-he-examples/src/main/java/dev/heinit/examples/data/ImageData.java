package dev.heinit.examples.data;

import org.nd4j.linalg.dataset.DataSet;

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
