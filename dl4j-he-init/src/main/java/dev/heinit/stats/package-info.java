/**
 * What the configuration pass, LSUV and the diagnostics share that is not about DL4J:
 * {@link dev.heinit.stats.TensorStats}, one-pass moments of a tensor in double (with its accumulator),
 * {@link dev.heinit.stats.ExampleCorrelation}, the mean cosine between examples' representations (order vs chaos), and
 * {@link dev.heinit.stats.TextTable}, aligned text tables and RFC 4180 CSV rows, locale-independent and
 * '\n'-terminated, for {@code InitPlan}, {@code LsuvReport} and {@code SignalReport}.
 */
package dev.heinit.stats;
