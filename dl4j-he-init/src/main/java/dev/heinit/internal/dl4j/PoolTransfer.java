package dev.heinit.internal.dl4j;

import java.util.Locale;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.IActivation;

import dev.heinit.gain.PoolingMoments;

/**
 * A pooling layer's forward and backward rule side by side (as DL4J's pooling layer keeps {@code activate} and
 * {@code backpropGradient} in one class), for windows of n independent inputs:
 *
 * <ul>
 *   <li>forward: max {@code E[M²]}, {@code M = max_i f(z_i)}; average {@code E[A²] = E[f²]/n + (1 − 1/n)·E[f]²}
 *       ({@link PoolingMoments}); a Gaussian mixture of mean m and second moment s likewise;
 *   <li>backward: {@code E[δ_in²]/E[δ_out²]} times the derivative of f at the input the gradient reaches:
 *       max {@code (c/n)·E[f'(z*)²]}, z* the window's argmax; average {@code (c/n²)·E[f'(z)²]}, with c the windows
 *       covering an input ({@code ∏ kernel / ∏ stride}; 1 for global pooling).
 * </ul>
 *
 * Sum and p-norm pooling, and a global pool whose input size is unknown, are not modelled: {@link #size} is 0.
 */
public final class PoolTransfer {

    private final Transfer.Pool pool;
    private final long window;
    private final double windowsPerInput;

    PoolTransfer(Transfer.Pool pool, long window, double windowsPerInput) {
        this.pool = pool;
        this.window = window;
        this.windowsPerInput = windowsPerInput;
    }

    /** The pooling statistic. */
    public Transfer.Pool pool() {
        return pool;
    }

    /** True for max pooling (else average). */
    public boolean isMax() {
        return pool == Transfer.Pool.MAX;
    }

    /** Windows covering one input unit away from the borders: {@code ∏ kernel / ∏ stride}, 1 for global pooling. */
    public double windowsPerInput() {
        return windowsPerInput;
    }

    /**
     * The inputs n of one window: the kernel's size, or for global pooling H·W (the sequence length) of the input
     * type {@code in}; 0 if the pool is not modelled (sum, p-norm, global without a known input size).
     */
    public int size(InputType in) {
        if (pool != Transfer.Pool.MAX && pool != Transfer.Pool.AVG) {
            return 0;
        }
        long n = window > 0 ? window : globalWindow(in);
        return n < 1 || n > Integer.MAX_VALUE ? 0 : (int) n;
    }

    /**
     * The pooled output's moments for n inputs {@code f(z)}, z ~ N(0,1), or, with {@code f} null, for n draws of a
     * Gaussian of the given mean and second moment.
     *
     * @throws IllegalArgumentException if n &lt; 1, or f is rejected by {@link dev.heinit.gain.Gains#of}
     */
    public PoolingMoments forward(IActivation f, double mean, double secondMoment, int n) {
        if (f == null) {
            return isMax()
                    ? PoolingMoments.maxOfNormal(mean, secondMoment, n)
                    : PoolingMoments.averageOfNormal(mean, secondMoment, n);
        }
        return isMax() ? PoolingMoments.max(f, 1.0, n) : PoolingMoments.average(f, 1.0, n);
    }

    /**
     * {@code E[δ_in²]/E[δ_out²]} from the pool's output back to the pre-activation of f: the routing factor
     * ({@code c/n} max, {@code c/n²} average) times {@link PoolingMoments#derivativeMoment} of {@code at}, the
     * forward moments of the same window.
     */
    public double backward(PoolingMoments at, int n) {
        double routing = isMax()
                ? PoolingMoments.maxGradientFactor(n, windowsPerInput)
                : PoolingMoments.averageGradientFactor(n, windowsPerInput);
        return routing * at.derivativeMoment();
    }

    /** The backward rule in words, for the plan's note. */
    public String backwardDescription(int n, PoolingMoments at) {
        return String.format(
                Locale.ROOT,
                "%s pooling of %d: gradient second moment ×%.4g (%s × E[f'²] %.4g at the input it reaches%s)",
                isMax() ? "max" : "average",
                n,
                backward(at, n),
                isMax()
                        ? String.format(Locale.ROOT, "c/n = %.4g", windowsPerInput / n)
                        : String.format(Locale.ROOT, "c/n² = %.4g", windowsPerInput / ((double) n * n)),
                at.derivativeMoment(),
                isMax() ? ", the window's argmax" : "");
    }

    /** H·W of a convolutional input, the length of a recurrent one; 0 if unknown. */
    private static long globalWindow(InputType in) {
        if (in instanceof InputType.InputTypeConvolutional) {
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) in;
            return c.getHeight() * c.getWidth();
        }
        if (in instanceof InputType.InputTypeRecurrent) {
            return Math.max(((InputType.InputTypeRecurrent) in).getTimeSeriesLength(), 0);
        }
        return 0;
    }

    @Override
    public String toString() {
        return pool + "(" + (window > 0 ? window : "global") + ", c " + windowsPerInput + ")";
    }
}
