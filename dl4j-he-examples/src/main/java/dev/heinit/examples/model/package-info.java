/**
 * Network builders (plain and residual deep CNNs, MLP, LSTM) and the named initialization schemes the
 * examples compare ({@link dev.heinit.examples.model.InitScheme}).
 */
package dev.heinit.examples.model;
