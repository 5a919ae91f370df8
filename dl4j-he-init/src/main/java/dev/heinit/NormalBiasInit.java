package dev.heinit;

import java.util.Objects;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Biases drawn from {@code N(0, σ_b²)}, whatever the fans: the bias half of an edge-of-chaos initialization
 * ({@link HeInit#critical(double)}; Poole et al. 2016, Schoenholz et al. 2017), where a layer's pre-activation
 * variance is {@code σ_w²·E[f(x)²] + σ_b²}.
 *
 * <p>DL4J 1.0.0-M2.1 has no hook for it: a layer's {@code biasInit} is a constant ({@code BaseLayer.biasInit} is a
 * {@code double}, and {@code DefaultParamInitializer} fills the bias with it), so this init cannot be set on a
 * layer configuration. Draw the biases after {@code net.init()} instead: each layer's {@code "b"} parameter is a
 * view into the network's parameters, so {@link #fill(INDArray)} changes the network in place:
 * <pre>{@code
 * NormalBiasInit bias = new NormalBiasInit(0.2);
 * for (Layer l : net.getLayers()) {
 *     INDArray b = l.getParam("b");     // null for layers without a bias
 *     if (b != null) bias.fill(b);
 * }
 * }</pre>
 * (LSTMs keep DL4J's forget-gate bias only if you skip them.) It is also an {@link IWeightInit}, JSON-serializable
 * like the other inits, so a configuration pass can record it. Draws come from a stream seeded by ND4J's RNG, so a
 * fixed {@code Nd4j.getRandom().setSeed(s)} gives the same biases. Immutable.
 */
public final class NormalBiasInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    @JsonProperty("std")
    private final double std;

    /**
     * @param std σ_b ≥ 0 (0 gives zero biases)
     * @throws IllegalArgumentException if std is negative, NaN or infinite
     */
    @JsonCreator
    public NormalBiasInit(@JsonProperty("std") double std) {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("bias std (sigma_b) must be >= 0 and finite, got " + std);
        }
        this.std = std;
    }

    /** σ_b. */
    public double std() {
        return std;
    }

    /** Fills {@code bias} in place with N(0, σ_b²) draws and returns it. */
    public INDArray fill(INDArray bias) {
        if (bias == null) {
            throw new IllegalArgumentException(
                    "bias must be a parameter array such as layer.getParam(\"b\"), got null");
        }
        return VarianceScalingInit.fill(Sampler.NORMAL, std, bias.shape(), bias.ordering(), bias);
    }

    /** N(0, σ_b²) into {@code paramView}; the fans are not used. */
    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        return VarianceScalingInit.fill(Sampler.NORMAL, std, shape, order, paramView);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NormalBiasInit && Double.compare(std, ((NormalBiasInit) o).std) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(NormalBiasInit.class.getSimpleName(), std);
    }

    @Override
    public String toString() {
        return "NormalBiasInit(std=" + std + ")";
    }
}
