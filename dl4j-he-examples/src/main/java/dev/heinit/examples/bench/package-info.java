/**
 * What {@code bench} measures: the benchmark networks ({@link dev.heinit.examples.bench.BenchNet}, with their
 * training FLOPs per example) and the CPU's fp32 peak estimate ({@link dev.heinit.examples.bench.CpuPeak},
 * cores × clock × FMA lanes × 2). The command itself is in {@code cli}.
 */
package dev.heinit.examples.bench;
