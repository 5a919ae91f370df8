/**
 * Internal, no compatibility promise: composite Gauss–Legendre quadrature of expectations under N(0,1),
 * {@code E[g(z)] = ∫ g(z)·φ(z) dz}, shared by the gain, pooling and critical-point computations.
 */
package dev.heinit.internal.quadrature;
