/**
 * He (Kaiming) initialization for Deeplearning4j, as drop-in {@link org.deeplearning4j.nn.weights.IWeightInit}s.
 *
 * <p>{@link dev.heinit.VarianceScalingInit} is the general form, {@code Var(W) = scale / fan}; {@link dev.heinit.HeInit}
 * specializes it with mode-correct gains from a {@link dev.heinit.Nonlinearity}: {@code Var(W) = 1/(fan_in·E[f(z)²])}
 * (fan_in), {@code 1/(fan_out·E[f'(z)²])} (fan_out), z ~ N(0,1). {@link dev.heinit.Sampler} draws normal, uniform
 * (bound √3·std) or variance-exact truncated normal values from a stream seeded by ND4J's RNG.
 * {@link dev.heinit.HeInit#critical(double)} draws edge-of-chaos weights {@code Var(W) = σ_w²/fan_in} instead
 * (Schoenholz et al. 2017), with {@link dev.heinit.NormalBiasInit} for the N(0, σ_b²) biases.
 *
 * <p>Reference: K. He, X. Zhang, S. Ren, J. Sun, "Delving Deep into Rectifiers: Surpassing Human-Level Performance
 * on ImageNet Classification", ICCV 2015.
 */
package dev.heinit;
