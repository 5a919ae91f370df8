/**
 * He gains of any element-wise activation: {@code gain_in = 1/√E[f(z)²]}, {@code gain_out = 1/√E[f'(z)²]},
 * z ~ N(0,1) (He et al. 2015), by Gauss–Legendre quadrature ({@link dev.heinit.gain.GaussianQuadrature}) through
 * the DL4J activation itself ({@link dev.heinit.gain.Gains}).
 */
package dev.heinit.gain;
