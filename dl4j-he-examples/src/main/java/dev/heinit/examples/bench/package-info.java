/**
 * {@code bench}: training throughput (stock vs oneDNN fast path, one process per core vs one process on all cores,
 * GFLOP/s against an fp32 peak estimate) and {@code bench init} (weight-initialization throughput, HeInit vs DL4J).
 */
package dev.heinit.examples.bench;
