package dev.heinit.examples.model;

/**
 * Input and output size of an image classifier.
 *
 * @param channels input channels
 * @param height   input height
 * @param width    input width
 * @param classes  output classes
 */
public record ImageShape(int channels, int height, int width, int classes) {
    /** Shape of the (bundled) MNIST digits: 1×28×28, 10 classes. */
    public static final ImageShape MNIST = new ImageShape(1, 28, 28, 10);
}
