/**
 * Internal, not a stable API: what the library knows about DL4J itself, in one place, for the configuration pass,
 * the fans, LSUV, the diagnostics and the Keras re-initialization. {@link dev.heinit.internal.dl4j.LayerRule} (one
 * per layer family, found by {@link dev.heinit.internal.dl4j.LayerRules#of}) and
 * {@link dev.heinit.internal.dl4j.VertexRule} say everything about a layer or vertex type: unwrapping, whether it
 * outputs f(z), its weights ({@link dev.heinit.internal.dl4j.WeightGeometry}, {@link dev.heinit.internal.dl4j.InitSlot}),
 * its {@link dev.heinit.internal.dl4j.Transfer} (forward and backward moment rules side by side), how LSUV treats it
 * and why it is unsupported; a new layer type is taught by one rule. {@link dev.heinit.internal.dl4j.NetworkView}
 * is one model of a network (configuration or initialized network) handing out each node's rule;
 * {@link dev.heinit.internal.dl4j.InitCallRecorder} and {@link dev.heinit.internal.dl4j.InitCall} record what DL4J
 * passes to each weight init; {@link dev.heinit.internal.dl4j.FanOverrideInit} is the per-shape init that replaces
 * the fans DL4J passes (base of TrueFanInit and KerasFanInit); {@link dev.heinit.internal.dl4j.LayerActivations}
 * reads a layer's pre-activation at run time; {@link dev.heinit.internal.dl4j.ActivationKey} is the one cache key
 * for an activation (its JSON form).
 */
package dev.heinit.internal.dl4j;
