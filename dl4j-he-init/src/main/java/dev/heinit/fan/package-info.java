/**
 * True fans of DL4J layers' weights ({@link dev.heinit.fan.Fans}): fan_in = inputs per output unit, fan_out =
 * outputs per input unit, in the convention chosen by {@link dev.heinit.fan.FanConvention} (stride ignored as
 * PyTorch/Keras, stride exact, or padding-aware), independent of the fans DL4J passes to an {@code IWeightInit}.
 */
package dev.heinit.fan;
