package dev.heinit.diagnostics;

import java.util.Map;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.gain.Gains;
import dev.heinit.internal.dl4j.LayerActivations;
import dev.heinit.internal.dl4j.LayerRules;
import dev.heinit.internal.dl4j.Transfer;
import dev.heinit.stats.ExampleCorrelation;
import dev.heinit.stats.TensorStats;

/**
 * Mutable working state of one layer during a {@link SignalPropagation} measurement: its forward statistics (z,
 * a = f(z), dead and saturated units), its δ and gradients, and {@link #toSignal}, the one place a
 * {@link LayerSignal} row is built.
 */
final class LayerProbe {

    final int index;
    final String name;
    final Layer layer;
    final boolean output;
    IActivation act;
    INDArray z;
    INDArray a;
    TensorStats zStats = TensorStats.ABSENT;
    TensorStats aStats = TensorStats.ABSENT;
    TensorStats dStats = TensorStats.ABSENT;
    TensorStats gW = TensorStats.ABSENT;
    TensorStats gB = TensorStats.ABSENT;
    double dead = Double.NaN;
    double saturated = Double.NaN;
    double inRms = Double.NaN;
    ExampleCorrelation correlation;
    double predictedChi = Double.NaN;
    double maxAbsZ = Double.NaN;
    long positions = 1;

    LayerProbe(int index, String name, Layer layer, boolean output) {
        this.index = index;
        this.name = name;
        this.layer = layer;
        this.output = output;
    }

    void forward(INDArray input, Supplier<INDArray> run, double margin) {
        Transfer transfer = LayerRules.of(layer.conf().getLayer()).transfer();
        if (LayerActivations.appliesConfiguredActivation(layer)) {
            act = LayerActivations.configuredActivation(layer);
            z = LayerActivations.withIdentityActivation(layer, run);
            // a second pass only where f(z) is not the output (masks, softmax over rank > 2)
            a = LayerActivations.outputIsActivationOf(layer, z) ? act.getActivation(z.dup(), true) : run.get();
        } else if (transfer.kind() == Transfer.Kind.ACTIVATION && input != null) {
            act = transfer.activation();
            a = run.get();
            z = input;
        } else {
            act = null;
            a = run.get();
            z = a;
        }
        TensorStats.Values av = TensorStats.Values.of(a);
        int len = av.length();
        long mb = a.size(0);
        int units = (int) (len / Math.max(1, mb));
        long nOut = LayerRules.of(layer.conf().getLayer()).nOut();
        positions = nOut > 0 && units % nOut == 0 ? Math.max(1, units / nOut) : 1;
        boolean[] alive = new boolean[units];
        Bounds bounds = act == null ? null : Bounds.of(act);
        double lo = bounds == null ? Double.NEGATIVE_INFINITY : bounds.lowThreshold(margin);
        double hi = bounds == null ? Double.POSITIVE_INFINITY : bounds.highThreshold(margin);
        long sat = 0;
        TensorStats.Accumulator acc = new TensorStats.Accumulator();
        for (int i = 0, u = 0; i < len; i++, u = u + 1 == units ? 0 : u + 1) {
            double v = av.get(i);
            acc.add(v);
            if (v != 0.0) {
                alive[u] = true;
            }
            if (v <= lo || v >= hi) {
                sat++;
            }
        }
        av.release();
        aStats = acc.result(len);
        zStats = z == a ? aStats : TensorStats.of(z);
        int deadUnits = 0;
        for (boolean al : alive) {
            if (!al) {
                deadUnits++;
            }
        }
        dead = units == 0 ? Double.NaN : deadUnits / (double) units;
        long finite = aStats.finiteCount();
        saturated = bounds == null || finite == 0 ? Double.NaN : sat / (double) finite;
        correlation = a.rank() >= 1 && a.size(0) >= 2 ? ExampleCorrelation.of(a) : null;
    }

    /** δ of an output layer: its loss function's gradient with respect to z. */
    void outputDelta(INDArray labels, INDArray labelMask) {
        org.nd4j.linalg.lossfunctions.ILossFunction lf =
                LayerRules.of(layer.conf().getLayer()).lossFunction();
        if (lf != null && z.rank() == 2 && labels.rank() == 2 && act != null) {
            IActivation fn = act;
            dStats = TensorStats.of(lf.computeGradient(labels, z.dup(), fn, labelMask));
            if (dStats.nonFiniteCount() > 0) {
                maxAbsZ = z.amaxNumber().doubleValue();
            }
        }
    }

    /** δ of a hidden layer from ∂L/∂a. */
    void hiddenDelta(INDArray eps) {
        if (act == null) {
            dStats = TensorStats.of(eps);
        } else {
            dStats = TensorStats.of(act.backprop(z.dup(), eps.dup()).getFirst());
        }
        if (dStats.nonFiniteCount() > 0) {
            maxAbsZ = z.amaxNumber().doubleValue();
        }
    }

    /**
     * σ_w²·E[f'(√q·z)²] with q this layer's measured E[z²] and σ_w² = fan_out·E[W²] of {@code next}, the one
     * weighted layer δ passes through next; NaN where that is not defined (see {@link LayerSignal#predictedChi()}).
     */
    void predictChi(LayerProbe next) {
        if (act == null || next == null || next.layer.paramTable() == null) {
            return;
        }
        INDArray w = next.layer.paramTable().get("W");
        double q = zStats.secondMoment();
        if (w == null || !(q > 0) || !Double.isFinite(q)) {
            return;
        }
        try {
            double fanOut = Fans.of(next.layer.conf().getLayer(), "W", FanConvention.STRIDE_EXACT, null)
                    .out();
            predictedChi =
                    fanOut * TensorStats.of(w).secondMoment() * Gains.at(act, q).backwardMoment();
        } catch (IllegalArgumentException notElementWiseOrNoFanModel) {
            predictedChi = Double.NaN;
        }
    }

    void gradients(Gradient g, int mb) {
        if (g == null) {
            return;
        }
        double scale = layer.conf().isMiniBatch() ? 1.0 / mb : 1.0;
        Map<String, INDArray> m = g.gradientForVariable();
        gW = TensorStats.of(m.get("W"), scale);
        gB = TensorStats.of(m.get("b"), scale);
    }

    LayerSignal toSignal(double backwardRatio) {
        Map<String, INDArray> params = layer.paramTable();
        INDArray w = params == null ? null : params.get("W");
        String actName = act == null ? "none" : act.toString();
        LayerSignal s = new LayerSignal(
                index,
                name,
                layer.conf().getLayer().getClass().getSimpleName(),
                actName,
                output,
                zStats,
                aStats,
                dStats,
                TensorStats.of(w),
                gW,
                gB,
                dead,
                saturated,
                aStats.rms() / inRms,
                backwardRatio,
                correlation == null ? Double.NaN : correlation.raw(),
                correlation == null ? Double.NaN : correlation.centred(),
                predictedChi,
                maxAbsZ,
                positions);
        return s;
    }
}
