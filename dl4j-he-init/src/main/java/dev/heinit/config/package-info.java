/**
 * The configuration pass ({@link dev.heinit.config.HeConfigurer}): He initialization for a whole built DL4J
 * network, each weight with its true fans and the gain of the nonlinearity feeding it, applied as
 * {@link dev.heinit.config.TrueFanInit}s and described by an {@link dev.heinit.config.InitPlan}. Inside: one walk
 * over a {@code NetworkView} ({@code ConfigurationPass}) asking each node's rule, the forward moment algebra
 * ({@code ForwardMoments}), the backward-moment walk of fan_out/fan_avg ({@code BackwardMoments}) and the gain
 * policy per convention ({@code GainPolicy}); each layer's rule ({@code LayerRule.output}) says which nonlinearity each
 * DL4J layer really applies to its output. {@code HeConfigurer.builder().critical(σ_b)} configures at the edge of
 * chaos (σ_w per feeding activation from {@code Gains.critical}; biases drawn after init by {@code BiasDraw}), and
 * {@code InputScale} (the input's given or measured E[x²]) sets the first layer for the input's scale.
 */
package dev.heinit.config;
