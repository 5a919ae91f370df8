/**
 * What the library knows about DL4J itself, in one place, for the configuration pass, LSUV and the diagnostics:
 * {@link dev.heinit.dl4j.ActivationKey}, the one cache key for an activation (its JSON form).
 */
package dev.heinit.dl4j;
