/**
 * He gains of any element-wise activation: {@code gain_in = 1/√E[f(z)²]}, {@code gain_out = 1/√E[f'(z)²]},
 * z ~ N(0,1) (He et al. 2015), by Gauss–Legendre quadrature ({@code GaussianQuadrature}) through
 * the DL4J activation itself ({@link dev.heinit.gain.Gains}); and its edge-of-chaos point
 * ({@link dev.heinit.gain.Criticality}: {@code q* = σ_w²·E[f(√q*·z)²] + σ_b²} with
 * {@code σ_w²·E[f'(√q*·z)²] = 1}; Poole et al. 2016, Schoenholz et al. 2017) by {@link dev.heinit.gain.Gains#critical}.
 */
package dev.heinit.gain;
