package dev.heinit.examples.bench;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;

/**
 * The networks {@code bench} times: the default 30-layer, 16-channel CNN of {@code compare} and a wider one
 * (64 channels, all maps 14×14 after a first stride-2 convolution).
 */
public enum BenchNet {
    /** compare's default: depth 30, 16 channels, maps 28→14→7→4 in convolutions 2–4, then 4×4. */
    DEFAULT(30, 16, Models.downsamplePositions(29)),
    /** depth 8, 64 channels, stride 2 only at the first convolution: maps 14×14. */
    WIDE(8, 64, new TreeSet<>(List.of(0)));

    /** Weight layers (convolutions + output). */
    public final int depth;
    /** Channels per convolution. */
    public final int width;
    /** Indices of the stride-2 convolutions. */
    public final SortedSet<Integer> down;

    BenchNet(int depth, int width, SortedSet<Integer> down) {
        this.depth = depth;
        this.width = width;
        this.down = down;
    }

    /**
     * FLOPs of one training step per example: forward multiply-adds M (Models.forwardMacs) count 2 FLOPs each, and
     * backpropagation needs two more products of the same size (input gradient and weight gradient), so
     * 3·2·M = 6M (DL4J also computes the first layer's input gradient, so it is counted). Bias adds, activations
     * and the updater are O(activations), under 1 % here, and not counted.
     */
    public double trainFlopsPerExample() {
        List<Long> macs = Models.forwardMacs(depth, width, ImageShape.MNIST, down);
        return 6.0 * macs.stream().mapToLong(Long::longValue).sum();
    }

    /** One line: name, depth, channels, map sizes and MFLOP per example per training step. */
    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%s: depth %d, %d channels, %s; %.1f MFLOP per example per training step",
                name().toLowerCase(java.util.Locale.ROOT),
                depth,
                width,
                this == DEFAULT ? "maps 28->14->7->4, then 4x4" : "maps 14x14",
                trainFlopsPerExample() / 1e6);
    }
}
