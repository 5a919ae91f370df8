/**
 * Keras initializers imported exactly: {@link dev.heinit.keras.KerasInitializers#of(String)} maps a Keras 1, Keras 2,
 * tf.keras or Keras 3 initializer config to an {@link org.deeplearning4j.nn.weights.IWeightInit} that draws what
 * Keras draws ({@code VarianceScaling}: {@code std = √(scale / fan)}, uniform bound {@code √(3·scale/fan)}, truncated
 * normal cut at ±2σ₀ with {@code σ₀ = std / 0.87962566}), and
 * {@link dev.heinit.keras.KerasReinit#reinitialize} re-initializes a configuration imported by DL4J's
 * {@code deeplearning4j-modelimport} with those inits and Keras's own fans
 * ({@link dev.heinit.fan.FanConvention#KERAS}), reporting per layer what DL4J's import gave and what changed.
 *
 * <p>Reference: Keras {@code keras/initializers} (Keras 1.2, 2.x, tf.keras 2.x); keras PR #9963 (truncation
 * correction of {@code distribution="normal"}).
 */
package dev.heinit.keras;
