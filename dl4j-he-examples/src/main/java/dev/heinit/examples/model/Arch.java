package dev.heinit.examples.model;

import java.util.Locale;

/** CNN architecture families of {@link Models}: plain stack, residual blocks, residual blocks with batch norm. */
public enum Arch {
    /** {@link Models#plainCnn}, a MultiLayerNetwork. */
    PLAIN,
    /** {@link Models#residualCnn}, a ComputationGraph. */
    RESIDUAL,
    /** {@link ResNets#resnet}: residual blocks with batch normalization, depth 6n+2, a ComputationGraph. */
    RESNET;

    /** All CLI names, comma-separated. */
    public static String validNames() {
        return java.util.Arrays.stream(values()).map(Arch::cliName).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The tag in run labels and file names: empty for plain, "res" for residual, "resnet". */
    public String tag() {
        return this == PLAIN ? "" : this == RESIDUAL ? "res" : "resnet";
    }

    /** Lower-case CLI name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
