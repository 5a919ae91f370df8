/**
 * Image classification data for the examples: the bundled MNIST-10k, MNIST IDX directories and CIFAR-10
 * binary batches (see {@link dev.heinit.examples.data.Datasets}).
 */
package dev.heinit.examples.data;
