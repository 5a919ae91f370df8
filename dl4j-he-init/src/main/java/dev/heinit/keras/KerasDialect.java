package dev.heinit.keras;

/**
 * Which Keras wrote a configuration: the same initializer name draws differently across versions.
 *
 * <table>
 *   <caption>Version-dependent meanings</caption>
 *   <tr><th></th><th>KERAS_1</th><th>KERAS_2_0</th><th>KERAS_2 (default)</th></tr>
 *   <tr><td>{@code he_normal}, {@code glorot_normal} (names)</td><td>untruncated normal, std √(s/fan)</td>
 *       <td colspan="2">{@code VarianceScaling(…, "normal")}, as below</td></tr>
 *   <tr><td>{@code VarianceScaling(distribution="normal")}</td><td>—</td>
 *       <td>N(0, σ₀²) cut at ±2σ₀, σ₀ = √(s/fan): std 0.8796·√(s/fan)</td>
 *       <td>truncated with σ₀ = √(s/fan)/0.8796: std √(s/fan)</td></tr>
 *   <tr><td>{@code orthogonal} default gain</td><td>1.1</td><td colspan="2">1.0</td></tr>
 * </table>
 * The truncation correction came with keras PR #9963 (merged April 2018; TensorFlow made the same change for
 * tf.keras, where "normal" became a deprecated alias of "truncated_normal"). {@link #forVersion(String)} reads a
 * model's {@code keras_version}: 1.x → KERAS_1, 2.0.x and 2.1.x → KERAS_2_0, anything later → KERAS_2.
 */
public enum KerasDialect {
    /** Keras 1.x (Theano/TensorFlow backends): string initializer names, untruncated normals. */
    KERAS_1,
    /** Keras 2.0 and 2.1: {@code distribution="normal"} is truncated at 2σ₀ without the variance correction. */
    KERAS_2_0,
    /** Keras ≥ 2.2, tf.keras 2.x, Keras 3: every truncated normal has exactly the requested variance. */
    KERAS_2;

    /**
     * The dialect of a {@code keras_version} string ("1.2.2", "2.0.8", "2.10.0"); null or empty gives
     * {@link #KERAS_2}.
     *
     * @throws IllegalArgumentException if the version does not start with a major number
     */
    public static KerasDialect forVersion(String kerasVersion) {
        if (kerasVersion == null || kerasVersion.trim().isEmpty()) {
            return KERAS_2;
        }
        String[] parts = kerasVersion.trim().split("[.\\-+]");
        int major;
        int minor;
        try {
            major = Integer.parseInt(parts[0]);
            minor = parts.length > 1 && parts[1].matches("\\d+") ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "keras_version '" + kerasVersion + "' is not a version number such as" + " 1.2.2 or 2.4.0");
        }
        if (major <= 1) {
            return KERAS_1;
        }
        return major == 2 && minor <= 1 ? KERAS_2_0 : KERAS_2;
    }
}
