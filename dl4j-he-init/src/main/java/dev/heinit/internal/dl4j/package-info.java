/**
 * Internal, not a stable API: what the library knows about DL4J itself, in one place, for the configuration pass,
 * the fans, LSUV, the diagnostics and the Keras re-initialization. {@link dev.heinit.internal.dl4j.LayerRule} (one
 * per layer family, found by {@link dev.heinit.internal.dl4j.LayerRules#of}) and
 * {@link dev.heinit.internal.dl4j.VertexRule} say everything about a layer or vertex type: unwrapping, whether it
 * outputs f(z), its weights ({@link dev.heinit.internal.dl4j.WeightGeometry} for the fans,
 * {@link dev.heinit.internal.dl4j.InitSlot} for the inits DL4J calls, and one
 * {@link dev.heinit.internal.dl4j.WeightSlot} per weight DL4J initializes: key, shape, DL4J's fans, the fans drawn
 * with), its {@link dev.heinit.internal.dl4j.Transfer} (forward and backward moment rules side by side), how LSUV
 * treats it and why it is unsupported; a new layer type is taught by one rule.
 * {@link dev.heinit.internal.dl4j.NetworkView} is one model of a network (configuration or initialized network)
 * handing out each node's rule. The plans' rows and {@link dev.heinit.internal.dl4j.FanOverrideInit}'s entries (the
 * per-shape init that replaces the fans DL4J passes, base of TrueFanInit and KerasFanInit) carry the rule's weight
 * slots. {@link dev.heinit.internal.dl4j.LayerActivations} reads a layer's pre-activation at run time;
 * {@link dev.heinit.internal.dl4j.ActivationKey} is the one cache key for an activation (its JSON form).
 */
package dev.heinit.internal.dl4j;
