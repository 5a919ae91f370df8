/**
 * Numerically stable smooth activations as DL4J {@link org.nd4j.linalg.activations.IActivation}s: {@link
 * dev.heinit.activation.SiLU} ({@code z·σ(z)}) and {@link dev.heinit.activation.GELU} in its exact
 * ({@code z·Φ(z)}), tanh and sigmoid forms. Drop-in wherever DL4J takes an activation, saved with the model
 * (the fully qualified class names are part of the saved format).
 *
 * <p>Why: ND4J 1.0.0-M2.1's own swish and GELU derivatives evaluate {@code e^z}, which overflows, so in FLOAT
 * {@code ActivationSwish.backprop} returns NaN for z ≥ 44.37 and {@code ActivationGELU.backprop} for
 * z ≥ 26.07 (in HALF from z ≥ 5.53 and 3.25), where the true derivative is 1. Here every exponential has a
 * non-positive argument or saturates harmlessly, so forward and derivative are finite for every finite input
 * in FLOAT, DOUBLE, HALF and BFLOAT16, computed with ND4J ops on the array's backend (CPU or CUDA).
 */
package dev.heinit.activation;
