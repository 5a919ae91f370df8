package dev.heinit.examples.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.dataset.DataSet;

import dev.heinit.DeltaOrthogonalInit;
import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.NormalBiasInit;
import dev.heinit.OrthogonalInit;
import dev.heinit.config.Fixup;
import dev.heinit.config.HeConfigurer;
import dev.heinit.fan.FanConvention;
import dev.heinit.gain.Gains;
import dev.heinit.lsuv.Lsuv;
import dev.heinit.lsuv.LsuvReport;

/**
 * The initialization names the examples accept, in one place.
 *
 * <p>Each scheme acts in up to three steps, applied by {@link Net#create} in this order: (1) {@link #layerInit(HiddenActivation)} — the {@link IWeightInit} every weight layer is built with, for the net's hidden activation; (2)
 * {@link #configure(MultiLayerConfiguration, ImageShape)} / {@link #configure(ComputationGraphConfiguration, ImageShape)} — a pass over
 * the built configuration (identity by default; a per-layer He pass such as {@code he-auto} overrides it);
 * (3) {@link #afterInit(MultiLayerNetwork, DataSet)} / {@link #afterInit(ComputationGraph, DataSet)} — a
 * data-driven step on the initialized network (nothing by default; LSUV overrides it). To add a scheme, add a
 * constant here; the CLI, the help text and the error for unknown names pick it up.
 *
 * <p>He: {@code W ~ N(0, 2/fan_in)} (He et al. 2015, eq. 10); Xavier: DL4J's {@code XAVIER},
 * {@code N(0, 2/(fan_in + fan_out))} (Glorot &amp; Bengio 2010); LeCun normal: {@code N(0, 1/fan_in)}.
 */
public enum InitScheme {
    /** HeInit.normal() with the activation's exact gain: N(0, 1/(fan_in·E[f(z)²])); ReLU: N(0, 2/fan_in). */
    HE("he", "HeInit normal, fan_in, the activation's gain 1/sqrt(E[f(z)^2]): N(0, gain^2/fan_in)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.normal().nonlinearity(act.nonlinearity());
        }
    },
    /**
     * HeInit.normal() with ReLU's gain √2 whatever the activation: PyTorch's {@code kaiming_normal_} default and
     * DL4J's {@code WeightInit.RELU}, what users get today.
     */
    HE_RELU(
            "he-relu",
            "HeInit normal, fan_in, ReLU's gain sqrt(2) whatever the activation (PyTorch's kaiming_normal_ "
                    + "default, DL4J RELU): N(0, 2/fan_in)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.normal();
        }
    },
    /** HeInit.uniform() with the activation's gain: U(−b, b), b = √3·gain/√fan_in. */
    HE_UNIFORM("he-uniform", "HeInit uniform, fan_in, the activation's gain: U(-sqrt(3)*gain/sqrt(fan_in), +...)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.uniform().nonlinearity(act.nonlinearity());
        }
    },
    /** HeInit.normal().fanOut() with the derivative's gain: N(0, 1/(fan_out·E[f'(z)²])), the ResNet/torchvision mode. */
    HE_FANOUT("he-fanout", "HeInit normal, fan_out, the activation's gain 1/sqrt(E[f'(z)^2]): N(0, gain^2/fan_out)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.normal().fanOut().nonlinearity(act.nonlinearity());
        }
    },
    /**
     * The library's edge-of-chaos init at σ_b = 0 (zero biases): {@code HeInit.critical(0)}, N(0, σ_w²/fan_in) with
     * σ_w from {@code Gains.critical} for the nonlinearity feeding each layer: for smooth activations no fixed point
     * q* &gt; 0 exists without biases, and the small-signal limit gives σ_w = 1/|f'(0)| (SiLU, GELU 2; tanh 1); for
     * the ReLU family σ_w is He's √(2/(1+a²)); the layers fed by the (linear) input get the identity's σ_w = 1
     * (Poole et al. 2016, Schoenholz et al. 2017, Hayou et al. 2019).
     */
    HE_CRITICAL(
            "he-critical",
            "HeInit.critical(0): edge of chaos with zero biases, N(0, sigma_w^2/fan_in), sigma_w "
                    + "for the nonlinearity feeding the layer: 1/|f'(0)| for smooth activations (silu, gelu 2; tanh 1), He's "
                    + "gain for the ReLU family, 1 for the first layer (fed by the input)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.critical(0.0).nonlinearity(act.nonlinearity());
        }

        @Override
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf, ImageShape shape) {
            ((BaseLayer) conf.getConf(0).getLayer()).setWeightInitFn(fedByInput());
            return conf;
        }

        @Override
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, ImageShape shape) {
            for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
                if (v.getValue() instanceof LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof BaseLayer bl
                        && conf.getNetworkInputs()
                                .containsAll(conf.getVertexInputs().get(v.getKey()))) {
                    bl.setWeightInitFn(fedByInput());
                }
            }
            return conf;
        }

        private IWeightInit fedByInput() {
            return HeInit.critical(0.0).nonlinearity(Nonlinearity.LINEAR);
        }
    },
    /** HeInit.truncatedNormal() with the activation's gain: truncated at ±2σ₀, variance exactly gain²/fan_in. */
    HE_TRUNC("he-trunc", "HeInit truncated normal (variance-exact), fan_in, the activation's gain") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.truncatedNormal().nonlinearity(act.nonlinearity());
        }
    },
    /** DL4J WeightInit.XAVIER: N(0, 2/(fan_in + fan_out)). */
    XAVIER("xavier", "DL4J XAVIER: N(0, 2/(fan_in+fan_out))") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return WeightInit.XAVIER.getWeightInitFunction();
        }
    },
    /** DL4J WeightInit.LECUN_NORMAL: N(0, 1/fan_in). */
    LECUN_NORMAL("lecun-normal", "DL4J LECUN_NORMAL: N(0, 1/fan_in)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return WeightInit.LECUN_NORMAL.getWeightInitFunction();
        }
    },
    /** DL4J WeightInit.RELU: N(0, 2/fan_in) from ND4J's own Gaussian generator. */
    DL4J_RELU("dl4j-relu", "DL4J RELU: N(0, 2/fan_in), ND4J's generator") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return WeightInit.RELU.getWeightInitFunction();
        }
    },
    /**
     * The configuration pass: per-layer gain of the feeding nonlinearity and padding-aware true fans, so zero
     * padding on small maps no longer shrinks the signal (a 3×3 "same" conv on 4×4 sums 100 of 144 taps on average).
     */
    HE_AUTO("he-auto", "HeConfigurer: feeding nonlinearity's gain, padding-aware true fans (fan_in)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.normal().nonlinearity(act.nonlinearity());
        }

        @Override
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf, ImageShape shape) {
            return configurer(shape).configure(conf);
        }

        @Override
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, ImageShape shape) {
            return configurer(shape).configure(conf);
        }
    },
    /**
     * Delta-orthogonal (Xiao et al. 2018) for the plain net: the body convs get an orthogonal centre tap times σ_w,
     * zeros elsewhere ({@link DeltaOrthogonalInit}), every conv a bias N(0, σ_b²), σ_b = 0.01, σ_w the edge of chaos
     * of the hidden activation at that σ_b ({@code Gains.critical}; tanh 1.042). The stem (the
     * first conv and the stride-2 convs) is Gaussian N(0, σ_w²/fan_in): a centre-tap-only kernel with stride 2
     * would subsample pixels. The output layer is N(0, 1/fan_in).
     */
    DELTA_ORTHOGONAL(
            "delta-orthogonal",
            "plain net only: delta-orthogonal body convs (orthogonal centre tap x sigma_w, zeros elsewhere), Gaussian "
                    + "stem N(0, sigma_w^2/fan_in) (centre taps with stride 2 would subsample pixels), biases "
                    + "N(0, 0.01^2), sigma_w the activation's edge of chaos at sigma_b 0.01 (tanh 1.042; use "
                    + "--activation tanh for dynamical isometry)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return new DeltaOrthogonalInit(sigmaW(act));
        }

        @Override
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf, ImageShape shape) {
            int layers = conf.getConfs().size();
            int stem = Models.downsamplePositions(layers - 1).isEmpty()
                    ? 1
                    : Models.downsamplePositions(layers - 1).last() + 1;
            double sigmaW = ((DeltaOrthogonalInit) ((BaseLayer) conf.getConf(0).getLayer()).getWeightInitFn()).gain();
            for (int i = 0; i < Math.min(stem, layers - 1); i++) {
                ((BaseLayer) conf.getConf(i).getLayer())
                        .setWeightInitFn(HeInit.normal().gain(sigmaW));
            }
            ((BaseLayer) conf.getConf(layers - 1).getLayer())
                    .setWeightInitFn(HeInit.normal().nonlinearity(Nonlinearity.LINEAR));
            DeltaOrthogonalInit.requireApplicable(conf);
            return conf;
        }

        @Override
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, ImageShape shape) {
            throw new IllegalArgumentException("init 'delta-orthogonal' applies to --arch plain only (a net without"
                    + " shortcuts or normalization)");
        }

        @Override
        public Optional<String> afterInit(MultiLayerNetwork net, DataSet batch) {
            NormalBiasInit bias = new NormalBiasInit(SIGMA_B);
            for (int i = 0; i < net.getnLayers() - 1; i++) {
                bias.fill(net.getLayer(i).getParam("b"));
            }
            return Optional.empty();
        }
    },
    /**
     * Fixup (Zhang et al. 2019) on the residual net without normalization: He for every layer, then
     * {@link Fixup}: each block's second conv zero, its first conv He × L^(−1/2) (m = 2), the classifier zero.
     */
    FIXUP(
            "fixup",
            "--arch residual only: He, then Fixup: the last conv of each of the L residual branches zero, the others "
                    + "x L^(-1/(2m-2)) (m = 2 convs per branch: L^(-1/2)), the classifier zero") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.normal().nonlinearity(act.nonlinearity());
        }

        @Override
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf, ImageShape shape) {
            throw new IllegalArgumentException("init 'fixup' needs residual branches: use --arch residual");
        }

        @Override
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, ImageShape shape) {
            return Fixup.defaults().apply(conf).conf();
        }
    },
    /** torchvision's ResNet init with {@code zero_init_residual=True}: He fan_out, the last BN of each block γ = 0. */
    ZERO_RESIDUAL(
            "zero-residual",
            "--arch resnet only: torchvision's zero_init_residual: he-fanout convs, the last batch norm of each "
                    + "residual block gamma = 0 (every block starts as the identity)") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HE_FANOUT.layerInit(act);
        }

        @Override
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf, ImageShape shape) {
            throw new IllegalArgumentException(
                    "init 'zero-residual' needs residual blocks with batch norm: " + "use --arch resnet");
        }

        @Override
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, ImageShape shape) {
            ResNets.zeroResidualGamma(conf);
            return conf;
        }
    },
    /** LSUV alone (Mishkin &amp; Matas 2016): orthonormal weights, then per-layer rescaling to unit variance on a batch. */
    LSUV("lsuv", "LSUV: orthonormal init, then per-layer unit pre-activation variance on one training batch") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return new OrthogonalInit();
        }

        @Override
        Lsuv lsuv() {
            return Lsuv.defaults();
        }
    },
    /**
     * LSUV to pre-activation variance 0.01 ({@link Lsuv#smallSignal()}): every layer in its activation's near-linear
     * regime, the data-driven form of the small-signal critical point σ_w = 1/|f'(0)|.
     */
    LSUV_SMALL(
            "lsuv-small",
            "LSUV to pre-activation variance 0.01 (Lsuv.smallSignal()): orthonormal init, then every layer rescaled "
                    + "into its activation's near-linear regime, where sigma_w -> 1/|f'(0)| is critical") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return new OrthogonalInit();
        }

        @Override
        Lsuv lsuv() {
            return Lsuv.smallSignal();
        }
    },
    /** He normal, then LSUV's rescaling on top (no orthonormal pre-init). */
    HE_LSUV(
            "he+lsuv",
            "HeInit normal with the activation's gain, then LSUV rescaling of those weights on one training batch") {
        @Override
        public IWeightInit layerInit(HiddenActivation act) {
            return HeInit.normal().nonlinearity(act.nonlinearity());
        }

        @Override
        Lsuv lsuv() {
            return Lsuv.builder().orthonormal(false).build();
        }
    };

    /** σ_b of {@link #DELTA_ORTHOGONAL}: a 1,000-layer tanh CNN with this σ_b trained in PyTorch (σ_w 1.005). */
    static final double SIGMA_B = 0.01;

    private static double sigmaW(HiddenActivation act) {
        return Gains.critical(act.activation(), SIGMA_B).sigmaW();
    }

    private static HeConfigurer configurer(ImageShape shape) {
        return HeConfigurer.builder()
                .fanConvention(FanConvention.PADDING_AWARE)
                .inputType(InputType.convolutional(shape.height(), shape.width(), shape.channels()))
                .build();
    }

    private static String summary(LsuvReport r) {
        return "LSUV: " + r.adjusted().size() + " layers rescaled, "
                + (r.allConverged() ? "all converged" : "NOT all converged (see the lsuv command)");
    }

    private final String cliName;
    private final String description;

    InitScheme(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The name used on the command line and in metrics.csv. */
    public String cliName() {
        return cliName;
    }

    /** One line for help texts and summary.md. */
    public String description() {
        return description;
    }

    /**
     * Step 1: the initializer every weight layer is built with, for a net whose hidden layers use {@code act}.
     *
     * @throws IllegalArgumentException if the scheme does not apply to that activation (see {@link #notApplicable})
     */
    public abstract IWeightInit layerInit(HiddenActivation act);

    /**
     * Why this scheme does not apply to {@code act} (the library rejects the combination, e.g. a gain convention
     * without a value for it), or empty if it applies.
     */
    public Optional<String> notApplicable(HiddenActivation act) {
        try {
            layerInit(act);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Step 2 for MultiLayerNetworks: rewrite the built configuration for this input (identity unless overridden). */
    public MultiLayerConfiguration configure(MultiLayerConfiguration conf, ImageShape shape) {
        return conf;
    }

    /** Step 2 for ComputationGraphs: rewrite the built configuration for this input (identity unless overridden). */
    public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, ImageShape shape) {
        return conf;
    }

    /**
     * Step 3 for MultiLayerNetworks, after {@code net.init()}: adjust the parameters from a batch of training data
     * (nothing unless overridden).
     *
     * @return a one-line report for the log, or empty
     */
    public Optional<String> afterInit(MultiLayerNetwork net, DataSet batch) {
        Lsuv l = lsuv();
        return l == null ? Optional.empty() : Optional.of(summary(l.initialize(net, batch)));
    }

    /** Step 3 for ComputationGraphs; see {@link #afterInit(MultiLayerNetwork, DataSet)}. */
    public Optional<String> afterInit(ComputationGraph net, DataSet batch) {
        Lsuv l = lsuv();
        return l == null ? Optional.empty() : Optional.of(summary(l.initialize(net, batch)));
    }

    /** Whether {@link #afterInit} needs a batch of training data (schemes that return true get one). */
    public boolean needsData() {
        return lsuv() != null;
    }

    /** The LSUV that step 3 runs on a batch of training data, or null for schemes without a data-driven step. */
    Lsuv lsuv() {
        return null;
    }

    /** All valid names, comma-separated, for error messages and help. */
    public static String validNames() {
        return Arrays.stream(values()).map(InitScheme::cliName).collect(Collectors.joining(", "));
    }

    /**
     * Looks a scheme up by its CLI name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the bad value and listing the valid ones
     */
    public static InitScheme byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (InitScheme s : values()) {
            if (s.cliName.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown init '" + name + "'; valid: " + validNames());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
