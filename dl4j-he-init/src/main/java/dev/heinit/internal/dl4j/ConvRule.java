package dev.heinit.internal.dl4j;

import java.util.Arrays;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;

/**
 * Every convolution (1D, 2D, 3D, transposed 2D/3D, depthwise, separable): output f(z); W of shape
 * [nOut, nIn, k…] read with its geometry (a depthwise kernel sums one input channel per group, depth multiplier
 * m outputs per input channel); a separable convolution adds the pointwise pW [nOut, nIn·m, 1, 1].
 */
final class ConvRule extends LayerRule {

    ConvRule(Layer layer) {
        super(layer);
    }

    @Override
    public boolean appliesActivation() {
        return true;
    }

    @Override
    public Set<String> weightKeys() {
        return layer() instanceof SeparableConvolution2D ? WeightedRules.keys("W", "pW") : WeightedRules.keys("W");
    }

    @Override
    public WeightGeometry weight(String key) {
        ConvolutionLayer l = (ConvolutionLayer) layer();
        int[] k = l.getKernelSize();
        int[] s = l.getStride();
        int[] d = l.getDilation() == null ? ones(k.length) : l.getDilation();
        int[] p = l.getPadding() == null ? new int[k.length] : l.getPadding();
        int dims = l instanceof Convolution3D || l instanceof Deconvolution3D ? 3 : 2;
        if (l instanceof Convolution1DLayer) {
            // DL4J stores a 1D kernel k as {k, k} (hence its k² fan_in); only the first entry is used.
            k = new int[] {k[0]};
            s = new int[] {s[0]};
            d = new int[] {d[0]};
            p = new int[] {p[0]};
            dims = 1;
        }
        long nIn = l.getNIn();
        long nOut = l.getNOut();
        boolean transposed = l instanceof Deconvolution2D || l instanceof Deconvolution3D;
        double inCh;
        double outCh;
        String what;
        boolean depthwise = false;
        if (l instanceof SeparableConvolution2D) {
            int m = ((SeparableConvolution2D) l).getDepthMultiplier();
            if ("pW".equals(key)) {
                return new WeightGeometry(
                        WeightGeometry.Role.POINTWISE, nIn, nOut, (double) nIn * m, nOut, "pointwise 1x1 part", null);
            }
            WeightedRules.requireKey(this, key);
            inCh = 1;
            outCh = m;
            depthwise = true;
            what = "depthwise part: one input channel per group";
        } else if (l instanceof DepthwiseConvolution2D) {
            WeightedRules.requireKey(this, key);
            inCh = 1;
            outCh = ((DepthwiseConvolution2D) l).getDepthMultiplier();
            depthwise = true;
            what = "depthwise: one input channel per group";
        } else {
            WeightedRules.requireKey(this, key);
            inCh = nIn;
            outCh = nOut;
            what = transposed ? "transposed, in its own forward direction" : "";
        }
        WeightGeometry.Conv conv =
                new WeightGeometry.Conv(k, s, d, p, l.getConvolutionMode(), transposed, depthwise, dims);
        return new WeightGeometry(WeightGeometry.Role.CONV, nIn, nOut, inCh, outCh, what, conv);
    }

    /** The orthonormal start applies to standard convolutions (weight [out, in, k…]), not to the other kinds. */
    @Override
    public boolean lsuvOrthonormal(int rank) {
        Class<?> c = layer().getClass();
        return rank == 2 || c == ConvolutionLayer.class || c == Convolution1DLayer.class || c == Convolution3D.class;
    }

    private static int[] ones(int n) {
        int[] o = new int[n];
        Arrays.fill(o, 1);
        return o;
    }
}
