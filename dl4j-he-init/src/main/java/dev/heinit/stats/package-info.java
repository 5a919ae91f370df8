/**
 * What the configuration pass, LSUV and the diagnostics share that is not about DL4J:
 * {@link dev.heinit.stats.TensorStats}, one-pass moments of a tensor in double (with its accumulator), and {@link dev.heinit.stats.ExampleCorrelation}, the mean cosine between
 * examples' representations (order vs chaos).
 */
package dev.heinit.stats;
