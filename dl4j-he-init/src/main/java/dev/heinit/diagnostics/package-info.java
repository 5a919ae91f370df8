/**
 * Signal-propagation diagnostics: does an initialization keep activations and gradients at their scale
 * through depth, do units die or saturate, does anything blow up?
 *
 * <p>{@link dev.heinit.diagnostics.SignalPropagation#measure SignalPropagation.measure(net, batch)} runs
 * one forward and one backward pass and returns an immutable {@link dev.heinit.diagnostics.SignalReport}
 * of per-layer {@link dev.heinit.diagnostics.LayerSignal} records and a set of
 * {@link dev.heinit.diagnostics.Verdict}s; {@link dev.heinit.diagnostics.SignalListener} records the same
 * during training. The quantities follow He et al. 2015 ("Delving Deep into Rectifiers", §2.2): the
 * second moment of the pre-activations z forward and of δ = ∂L/∂z backward.
 *
 * <p>Shared with {@code dev.heinit.lsuv}: {@link dev.heinit.diagnostics.TensorStats} (one-pass moments in
 * double, read in place) and {@link dev.heinit.diagnostics.LayerActivations} (which DL4J layers output f(z), and
 * how to get their z).
 */
package dev.heinit.diagnostics;
