package dev.heinit.keras;

/**
 * A Keras model construct that {@link Keras3Json} cannot put into the Keras 2 form DL4J 1.0.0-M2.1's import reads:
 * names the layer ({@code "(model)"} for the model itself) and the construct, so that a user knows what to change.
 */
public final class KerasTranslationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String construct;

    /**
     * @param layer     the Keras layer's name, or {@code "(model)"}
     * @param construct the construct that cannot be mapped, e.g. {@code "kernel_initializer STFT"}
     * @param why       why, and what is supported
     */
    public KerasTranslationException(String layer, String construct, String why) {
        super("Keras layer '" + layer + "': " + construct + " cannot be translated for DL4J's Keras import: " + why);
        this.layer = layer;
        this.construct = construct;
    }

    /** The Keras layer's name, or {@code "(model)"}. */
    public String layer() {
        return layer;
    }

    /** The construct that cannot be mapped. */
    public String construct() {
        return construct;
    }
}
