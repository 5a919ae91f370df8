package dev.heinit.examples.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How pixels reach the network ({@code --input}). */
public enum InputMode {
    /** Grey levels / 255, in [0, 1] (E[x²] ≈ 0.1 on MNIST): the loaders' own scale. */
    RAW,
    /**
     * Per channel {@code (x − μ)/σ} with μ, σ the training set's mean and standard deviation over all its pixels,
     * applied to the training and the test set alike (unit second moment at the input).
     */
    STANDARDIZE;

    /** Lower-case CLI name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Valid CLI names, comma-separated. */
    public static String validNames() {
        return Arrays.stream(values()).map(InputMode::cliName).collect(Collectors.joining(", "));
    }

    /**
     * Looks a mode up by its CLI name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and listing the valid ones
     */
    public static InputMode byName(String name) {
        for (InputMode m : values()) {
            if (m.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown input mode '" + name + "'; valid: " + validNames());
    }

    /** The data as this mode presents it (RAW: unchanged). */
    public ImageData apply(ImageData d) {
        return this == RAW ? d : d.standardized();
    }
}
