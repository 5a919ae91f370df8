/**
 * What the library knows about DL4J itself, in one place, for the configuration pass, LSUV and the diagnostics:
 * {@link dev.heinit.dl4j.LayerCatalog} (layer types: unwrapping, which layers output their activation, embeddings,
 * output layers, weight keys, unsupported layers), {@link dev.heinit.dl4j.NetworkView} (one model of a network,
 * from a configuration or an initialized network), {@link dev.heinit.dl4j.InitCallRecorder} and
 * {@link dev.heinit.dl4j.InitCall} (what DL4J passes to each weight init), {@link dev.heinit.dl4j.FanOverrideInit}
 * (the per-shape init that replaces the fans DL4J passes, base of TrueFanInit and KerasFanInit),
 * {@link dev.heinit.dl4j.LayerActivations} (reading a layer's pre-activation at run time) and
 * {@link dev.heinit.dl4j.ActivationKey}, the one cache key for an activation (its JSON form).
 */
package dev.heinit.dl4j;
