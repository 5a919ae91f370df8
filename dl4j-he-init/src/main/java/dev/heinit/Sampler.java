package dev.heinit;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a variance-scaling initializer draws weights of a given standard deviation {@code std}.
 *
 * <ul>
 *   <li>{@link #NORMAL}: {@code N(0, std²)}.</li>
 *   <li>{@link #UNIFORM}: {@code U(-b, b)} with {@code b = √3·std}.</li>
 *   <li>{@link #TRUNCATED_NORMAL}: {@code N(0, σ₀²)} conditioned on {@code |x| ≤ 2σ₀} (drawn by resampling),
 *       {@code σ₀ = std / 0.87962566103423978}, so the variance is exactly {@code std²} (as Keras and JAX;
 *       unlike PyTorch's {@code trunc_normal_} and DL4J's truncated inits, which come out at 0.88·std).</li>
 * </ul>
 * All three draw from a stream seeded by ND4J's RNG ({@code Nd4j.getRandom()}), so a fixed ND4J seed gives
 * bitwise-identical weights, and are exact at every array length (ND4J's own Gaussian generator is not at
 * power-of-two lengths ≥ 2²²).
 */
public enum Sampler {
    /** Normal distribution {@code N(0, std²)}. */
    NORMAL {
        @Override
        void fill(INDArray view, double std) {
            RandomFill.normal(view, std);
        }
    },
    /** Uniform on {@code [-√3·std, √3·std]}. */
    UNIFORM {
        @Override
        void fill(INDArray view, double std) {
            RandomFill.uniform(view, SQRT3 * std);
        }
    },
    /** Normal truncated at ±2σ₀ by resampling, {@code σ₀ = std / 0.87962566103423978}: variance exactly std². */
    TRUNCATED_NORMAL {
        @Override
        void fill(INDArray view, double std) {
            RandomFill.truncatedNormal(view, std / TRUNCATED_STD_FACTOR, TRUNCATION);
        }
    };

    /**
     * Standard deviation of a standard normal truncated to [-2, 2]:
     * {@code √(1 − 4φ(2)/(Φ(2) − Φ(−2)))} = 0.87962566103423978.
     */
    public static final double TRUNCATED_STD_FACTOR = 0.87962566103423978;
    /** Where {@link #TRUNCATED_NORMAL} cuts, in units of σ₀. */
    public static final double TRUNCATION = 2.0;

    private static final double SQRT3 = Math.sqrt(3.0);

    /** Fills {@code view} in place with draws of standard deviation {@code std}. */
    abstract void fill(INDArray view, double std);
}
