package dev.heinit.config;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

import dev.heinit.NormalBiasInit;
import dev.heinit.internal.dl4j.NetworkView;

/**
 * The bias half of a critical configuration, {@code b ~ N(0, σ_b²)}, drawn into an initialized network: DL4J
 * 1.0.0-M2.1's {@code biasInit} is a constant, so no configuration can carry it. Each layer's {@code "b"} parameter is
 * a view into the network's parameters, so {@link NormalBiasInit#fill} changes the network in place. Recurrent
 * layers are skipped (an LSTM's bias holds DL4J's forget-gate bias), as are layers the configuration pass does not
 * support (SameDiff).
 */
final class BiasDraw {

    private static final String BIAS = "b";

    private BiasDraw() {}

    /**
     * Fills every eligible layer's bias with N(0, σ_b²) draws; the names of those layers, in network order.
     *
     * @param sigmaB σ_b of the critical configurer, null if it is not critical (an IllegalArgumentException)
     */
    static List<String> fill(NetworkView view, Double sigmaB) {
        if (sigmaB == null) {
            throw new IllegalArgumentException("drawBiases needs a critical configurer, HeConfigurer.builder()"
                    + ".critical(sigmaB)...build(); this one is not critical");
        }
        NormalBiasInit draw = new NormalBiasInit(sigmaB);
        List<String> filled = new ArrayList<>();
        for (NetworkView.Node n : view.nodes()) {
            if (n.kind() != NetworkView.Kind.LAYER
                    || n.rule().isRecurrent()
                    || n.rule().unsupportedReason().isPresent()
                    || n.rule().initSlots().isEmpty()) {
                continue;
            }
            INDArray b = n.params().get(BIAS);
            if (b != null) {
                draw.fill(b);
                filled.add(n.displayName());
            }
        }
        return filled;
    }
}
