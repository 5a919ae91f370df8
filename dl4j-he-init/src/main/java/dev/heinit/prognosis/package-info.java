/**
 * Prognosis: before a long run, whether a network will train under its own recipe, and why not. A
 * {@link dev.heinit.prognosis.TrainingProbe} trains a copy of the network for a few steps and measures the loss and
 * the signal ({@link dev.heinit.diagnostics.SignalPropagation}) before and after; a
 * {@link dev.heinit.prognosis.PrognosisRule} turns the measurements into a {@link dev.heinit.prognosis.Prognosis}:
 * TRAINS, STALLS, DIVERGES or UNSURE, with the evidence and one sentence naming the failure mode.
 */
package dev.heinit.prognosis;
