package dev.heinit.examples.fast;

import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The fast CPU training path for DL4J 1.0.0-M2.1: oneDNN layer helpers switched on, {@code cacheMode DEVICE},
 * one OpenMP thread per process.
 *
 * <p>Stock M2.1 runs convolutions as {@code im2col} + gemm in Java-orchestrated ops; DL4J's oneDNN helper is off
 * by default (system property {@value #HELPERS_DISABLE_PROPERTY} defaults to true) and, when switched on, is
 * dropped because of a renamed JNI binding (see {@link org.nd4j.nativeblas.Nd4jCpu}). The helper is chosen
 * when a layer is constructed, so the property only has to be set before a network is built; this class sets
 * it and {@link #check()} verifies, on a one-layer network, that the helper really is attached.
 */
public final class FastPath {

    /** DL4J's switch for cuDNN/oneDNN layer helpers ({@code DL4JSystemProperties.DISABLE_HELPER_PROPERTY}). */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private FastPath() {}

    /**
     * Switches DL4J's layer helpers on or off for networks built afterwards.
     *
     * @param fast true for the oneDNN helpers, false for DL4J's stock built-in implementations
     */
    public static void useHelpers(boolean fast) {
        System.setProperty(HELPERS_DISABLE_PROPERTY, Boolean.toString(!fast));
    }

    /** Whether networks built now get layer helpers. */
    public static boolean helpersRequested() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
    }

    /** DEVICE caches im2col/activations between forward and backward pass on the fast path; NONE is DL4J's default. */
    public static CacheMode cacheMode(boolean fast) {
        return fast ? CacheMode.DEVICE : CacheMode.NONE;
    }

    /** ND4J backend name, e.g. CPU or CUDA. */
    public static String backend() {
        Object b = Nd4j.getExecutioner().getEnvironmentInformation().get("backend");
        return b == null ? "unknown" : b.toString();
    }

    /**
     * The device training runs on: the CUDA devices ND4J reports on the CUDA backend, else the CPU model and core
     * count.
     */
    public static String device() {
        java.util.Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object cuda = env.get("cuda.devicesInformation");
        if (cuda != null) {
            return "CUDA " + cuda;
        }
        String model = "CPU";
        try {
            model = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("CPU");
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the generic name will do
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, BLAS " + env.get("blas.vendor");
    }

    /**
     * Environment variable that switches {@link #skipInputGradient} on when set to {@code true}; unset or anything
     * else leaves DL4J's own backward pass. Opt-in because {@code bench --first-conv} measured training 1.13–1.24×
     * slower with the skip on the AMD EPYC (the im2col + gemm weight gradient costs about what oneDNN's backward
     * saved), and because it changes the last bits of the losses from iteration 48 on.
     */
    public static final String SKIP_INPUT_GRADIENT_ENV = "DL4J_HE_SKIP_INPUT_GRADIENT";

    /**
     * For a network about to be trained with {@code fit}: lets the convolutions fed directly by the network input
     * compute only their weight and bias gradients, not the gradient with respect to the input images, which DL4J
     * computes and then discards (on the default net that was a third of the time spent inside oneDNN). The layers'
     * oneDNN helper is wrapped by a {@link WeightGradientConvHelper}; which layers qualify is said in
     * {@link InputGradientSkip}. A no-op unless {@value #SKIP_INPUT_GRADIENT_ENV}{@code =true}, and on the stock
     * path, on CUDA and for layers without DL4J's oneDNN helper.
     *
     * <p>Not for a network whose input gradient is wanted: {@code MultiLayerNetwork.calculateGradients} then returns
     * a null input gradient (call {@link #restoreInputGradient} first).
     *
     * @return the names of the layers changed (for a MultiLayerNetwork, the layer index), empty if none
     */
    public static List<String> skipInputGradient(Model net) {
        if (!"true".equalsIgnoreCase(System.getenv(SKIP_INPUT_GRADIENT_ENV))) {
            return List.of();
        }
        return InputGradientSkip.skip(net);
    }

    /** Undoes {@link #skipInputGradient}: DL4J's own helper again; returns the names of the layers changed. */
    public static List<String> restoreInputGradient(Model net) {
        return InputGradientSkip.restore(net);
    }

    /** Whether ND4J's native library was built with oneDNN and uses it (false on CUDA). */
    public static boolean nativeOneDnn() {
        return org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
    }

    /** The outcome of {@link #check()}. */
    public record Status(boolean active, String backend, boolean nativeOneDnn, String detail) {
        /** One line for logs and summary.md. */
        public String describe() {
            return (active ? "oneDNN fast path active" : "stock DL4J path") + " (backend " + backend
                    + ", native oneDNN " + (nativeOneDnn ? "yes" : "no") + "): " + detail;
        }
    }

    /**
     * Builds a one-convolution network with the current helper setting and reports whether DL4J attached its
     * oneDNN convolution helper to it.
     */
    public static Status check() {
        String backend = backend();
        boolean oneDnn = nativeOneDnn();
        if (!helpersRequested()) {
            return new Status(false, backend, oneDnn, "layer helpers disabled (" + HELPERS_DISABLE_PROPERTY + "=true)");
        }
        if (!"CPU".equalsIgnoreCase(backend)) {
            return new Status(false, backend, oneDnn, "not the CPU backend; cuDNN helpers are used if present");
        }
        if (!oneDnn) {
            return new Status(
                    false,
                    backend,
                    false,
                    "ND4J's native library has no oneDNN (use nd4j-native's "
                            + "linux-x86_64-onednn classifier); falling back to DL4J's im2col convolution");
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(2)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Object helper = ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) net.getLayer(0)).getHelper();
        if (helper instanceof MKLDNNConvHelper) {
            return new Status(true, backend, true, "DL4J's MKLDNNConvHelper is attached to convolution layers");
        }
        return new Status(
                false,
                backend,
                true,
                "DL4J did not attach its oneDNN helper (helper: "
                        + (helper == null ? "none" : helper.getClass().getName())
                        + "); is the org.nd4j.nativeblas.Nd4jCpu compatibility class on the classpath?");
    }
}
