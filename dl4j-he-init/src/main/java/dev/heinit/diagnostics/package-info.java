/**
 * Signal-propagation diagnostics: does an initialization keep activations and gradients at their scale
 * through depth, do units die or saturate, does anything blow up?
 *
 * <p>{@link dev.heinit.diagnostics.SignalPropagation#measure SignalPropagation.measure(net, batch)} runs
 * one forward and one backward pass and returns an immutable {@link dev.heinit.diagnostics.SignalReport}
 * of per-layer {@link dev.heinit.diagnostics.LayerSignal} records and a set of
 * {@link dev.heinit.diagnostics.Verdict}s; {@link dev.heinit.diagnostics.SignalListener} records the same
 * during training. The quantities follow He et al. 2015 ("Delving Deep into Rectifiers", §2.2): the
 * second moment of the pre-activations z forward and of δ = ∂L/∂z backward; order versus chaos follows Poole et
 * al. 2016 and Schoenholz et al. 2017 (the mean cosine between examples, χ = σ_w²·E[f'(z)²]).
 *
 * <p>Built on {@link dev.heinit.stats.TensorStats} (one-pass moments in double, read in place, shared with
 * {@code dev.heinit.lsuv}) and {@link dev.heinit.internal.dl4j.LayerActivations} (which DL4J layers output f(z), and how
 * to get their z); the measurement is one walk over a {@link dev.heinit.internal.dl4j.NetworkView} in DL4J's own
 * topological order, a {@code Runner} supplying how a chain's layer or a graph's vertex runs forward and backward.
 */
package dev.heinit.diagnostics;
