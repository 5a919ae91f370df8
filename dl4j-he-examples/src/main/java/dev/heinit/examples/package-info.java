/**
 * The dl4j-he examples program (picocli): {@code signal} (per-layer activation RMS of a deep MLP), {@code compare}
 * (comparative training of deep CNNs under several initializations, He et al. 2015 Fig. 3) and {@code bench}
 * (training and initialization throughput).
 */
package dev.heinit.examples;
