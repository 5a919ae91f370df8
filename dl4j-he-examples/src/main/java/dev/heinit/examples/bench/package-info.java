/**
 * What {@code bench} measures: the benchmark networks ({@link dev.heinit.examples.bench.BenchNet}, with their
 * training FLOPs per example), the CPU's fp32 peak estimate ({@link dev.heinit.examples.bench.CpuPeak}, cores ×
 * clock × FMA lanes × 2), the phases of a training iteration ({@link dev.heinit.examples.bench.PhaseTimer},
 * {@link dev.heinit.examples.bench.PhaseProfile}), oneDNN's verbose primitive times
 * ({@link dev.heinit.examples.bench.OneDnnVerbose}) and the same net timed in PyTorch
 * ({@link dev.heinit.examples.bench.TorchBench}). The command itself is in {@code cli}.
 */
package dev.heinit.examples.bench;
