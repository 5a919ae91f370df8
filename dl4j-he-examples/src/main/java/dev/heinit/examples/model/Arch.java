package dev.heinit.examples.model;

import java.util.Locale;

/** CNN architecture families of {@link Models}: plain stack or residual blocks. */
public enum Arch {
    /** {@link Models#plainCnn}, a MultiLayerNetwork. */
    PLAIN,
    /** {@link Models#residualCnn}, a ComputationGraph. */
    RESIDUAL;

    /** Lower-case CLI name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
