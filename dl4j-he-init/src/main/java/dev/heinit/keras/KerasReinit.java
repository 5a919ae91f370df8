package dev.heinit.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.distribution.OrthogonalDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.OrthogonalInit;
import dev.heinit.VarianceScalingInit;
import dev.heinit.config.HeConfigurer;
import dev.heinit.config.InitPlan;
import dev.heinit.fan.FanConvention;
import dev.heinit.internal.dl4j.FanOverrideInit;
import dev.heinit.internal.dl4j.InitSlot;
import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.WeightGeometry;
import dev.heinit.internal.dl4j.WeightSlot;

/**
 * Re-initializes a configuration imported by DL4J's {@code KerasModelImport} so that every weight draws what Keras
 * would have drawn: Keras's initializer ({@link KerasInitializers}) with Keras's fans ({@link FanConvention#KERAS}),
 * matched to DL4J layers by name. Weight slots get a {@link KerasFanInit}; a constant {@code bias_initializer} sets
 * the layer's {@code biasInit}.
 *
 * <p>The plan lists, per weight: Keras's initializer, the init DL4J's import gave and the std it draws (measured on
 * draws of the weight's shape with the fans DL4J passes, pooled to 2¹⁶ values), Keras's std (the formula, at Keras's
 * fans), their ratio and what was changed. Layers it cannot map (no Keras layer of that name, a non-constant bias
 * initializer, SameDiff layers DL4J never passes to a custom init) are listed, not guessed. Keras 1 LSTMs saved with
 * {@code consume_less} other than "gpu" keep one matrix per gate, so their fan_out is H, not 4H.
 */
public final class KerasReinit {

    private static final long MAX_SAMPLED = 1L << 22;
    private static final long SAMPLE = 1L << 16;

    private KerasReinit() {}

    /** The re-initialized configuration and its plan. */
    public static final class Result<C> {
        private final C configuration;
        private final KerasPlan plan;

        Result(C configuration, KerasPlan plan) {
            this.configuration = configuration;
            this.plan = plan;
        }

        /** The new configuration (the input is not modified). */
        public C configuration() {
            return configuration;
        }

        /** What was done, per weight. */
        public KerasPlan plan() {
            return plan;
        }
    }

    /** {@link #reinitialize(MultiLayerConfiguration, String, KerasDialect)} with the model's {@code keras_version}. */
    public static Result<MultiLayerConfiguration> reinitialize(MultiLayerConfiguration conf, String kerasModelJson) {
        return reinitialize(conf, kerasModelJson, null);
    }

    /**
     * @param dialect how to read the initializers, or null to take it from the model's {@code keras_version}
     * @throws IllegalArgumentException if the JSON is not a Keras model, or an initializer is unsupported
     */
    public static Result<MultiLayerConfiguration> reinitialize(
            MultiLayerConfiguration conf, String kerasModelJson, KerasDialect dialect) {
        if (conf == null) {
            throw new IllegalArgumentException("conf must not be null");
        }
        KerasModel model = KerasModel.parse(kerasModelJson, dialect);
        MultiLayerConfiguration copy = MultiLayerConfiguration.fromJson(conf.toJson());
        InitPlan plan = HeConfigurer.builder()
                .fanConvention(FanConvention.KERAS)
                .build()
                .planFor(copy);
        return new Result<>(copy, new KerasPlan(apply(model, NetworkView.of(copy), plan), model.dialect));
    }

    /** {@link #reinitialize(ComputationGraphConfiguration, String, KerasDialect)} with the model's version. */
    public static Result<ComputationGraphConfiguration> reinitialize(
            ComputationGraphConfiguration conf, String kerasModelJson) {
        return reinitialize(conf, kerasModelJson, null);
    }

    /** As {@link #reinitialize(MultiLayerConfiguration, String, KerasDialect)} for a graph. */
    public static Result<ComputationGraphConfiguration> reinitialize(
            ComputationGraphConfiguration conf, String kerasModelJson, KerasDialect dialect) {
        if (conf == null) {
            throw new IllegalArgumentException("conf must not be null");
        }
        KerasModel model = KerasModel.parse(kerasModelJson, dialect);
        ComputationGraphConfiguration copy = ComputationGraphConfiguration.fromJson(conf.toJson());
        InitPlan plan = HeConfigurer.builder()
                .fanConvention(FanConvention.KERAS)
                .build()
                .planFor(copy);
        return new Result<>(copy, new KerasPlan(apply(model, NetworkView.of(copy), plan), model.dialect));
    }

    /** The layer rules of a network's layer nodes by the name Keras knows them by (a chain's: name, else index). */
    private static Map<String, LayerRule> layers(NetworkView view) {
        Map<String, LayerRule> layers = new LinkedHashMap<>();
        for (NetworkView.Node n : view.nodes()) {
            if (n.kind() == NetworkView.Kind.LAYER) {
                layers.put(n.displayName(), n.rule());
            }
        }
        return layers;
    }

    private static List<KerasPlan.Row> apply(KerasModel model, NetworkView view, InitPlan plan) {
        Map<String, LayerRule> layers = layers(view);
        List<KerasPlan.Row> rows = new ArrayList<>();
        // slot → entries; applied only after every row mapped, so a failure leaves the copy untouched
        Map<InitSlot, List<FanOverrideInit.Entry>> weightSlots = new LinkedHashMap<>();
        Map<InitSlot, List<FanOverrideInit.Entry>> recurrentSlots = new LinkedHashMap<>();
        for (Map.Entry<String, LayerRule> e : layers.entrySet()) {
            String name = e.getKey();
            LayerRule layer = e.getValue();
            String type = layer.type();
            KerasModel.KerasLayer k = model.layers.get(name);
            List<InitPlan.Row> planRows = plan.rows(name, null);
            for (InitPlan.Row pr : planRows) {
                WeightSlot weight = pr.weight();
                if (pr.status() == InitPlan.Status.UNSUPPORTED) {
                    rows.add(new KerasPlan.Row(
                            weight.withFans(Double.NaN, Double.NaN),
                            k == null ? "" : k.className,
                            "",
                            Double.NaN,
                            Double.NaN,
                            KerasPlan.Change.UNMAPPED,
                            pr.notes()));
                }
                if (pr.status() != InitPlan.Status.CONFIGURED) {
                    continue;
                }
                String param = pr.param();
                if (k == null) {
                    rows.add(new KerasPlan.Row(
                            weight.withFans(Double.NaN, Double.NaN),
                            "",
                            "",
                            Double.NaN,
                            Double.NaN,
                            KerasPlan.Change.UNMAPPED,
                            "no Keras layer named '" + name + "'"));
                    continue;
                }
                InitSlot base = layer.initSlot(param);
                boolean recurrent = weight.recurrent();
                String key = kerasKey(layer.weight(param), model.dialect);
                Object cfg = k.config.get(key);
                if (cfg == null) {
                    rows.add(new KerasPlan.Row(
                            weight,
                            "",
                            "",
                            Double.NaN,
                            Double.NaN,
                            KerasPlan.Change.UNMAPPED,
                            "Keras layer " + k.className + " has no '" + key + "'"));
                    continue;
                }
                IWeightInit keras = of(cfg, model.dialect);
                double fanIn = weight.fanIn();
                double fanOut = weight.fanOut();
                String notes = "";
                if (model.dialect == KerasDialect.KERAS_1
                        && base.isLstm()
                        && !"gpu".equals(k.config.get("consume_less"))) {
                    fanOut = fanOut / 4; // one (in, H) / (H, H) matrix per gate
                    notes = "Keras 1 consume_less=" + k.config.get("consume_less") + ": one matrix per gate";
                }
                IWeightInit dl4j = recurrent ? base.recurrentWeightInit() : base.weightInit();
                double dl4jStd = measure(dl4j, weight.dl4jFanIn(), weight.dl4jFanOut(), weight.shape());
                double kerasStd = kerasStd(keras, fanIn, fanOut, weight.shape());
                WeightSlot drawn = weight.withFans(fanIn, fanOut);
                (recurrent ? recurrentSlots : weightSlots)
                        .computeIfAbsent(base, b -> new ArrayList<>())
                        .add(new FanOverrideInit.Entry(drawn, keras));
                rows.add(new KerasPlan.Row(
                        drawn,
                        KerasInitializers.describe(cfg),
                        describe(dl4j),
                        dl4jStd,
                        kerasStd,
                        KerasPlan.Change.REINITIALIZED,
                        notes));
            }
            if (k != null && !(model.dialect == KerasDialect.KERAS_1)) {
                bias(name, type, layer, k, model.dialect, rows);
            }
        }
        for (String name : model.layers.keySet()) {
            KerasModel.KerasLayer k = model.layers.get(name);
            if (!layers.containsKey(name) && k.hasWeightInitializer()) {
                rows.add(new KerasPlan.Row(
                        WeightSlot.named(name, k.className, "-"),
                        "",
                        "",
                        Double.NaN,
                        Double.NaN,
                        KerasPlan.Change.UNMAPPED,
                        "no DL4J layer named '" + name + "' in the imported configuration"));
            }
        }
        weightSlots.forEach((b, entries) -> b.setWeightInit(new KerasFanInit(entries)));
        recurrentSlots.forEach((b, entries) -> b.setRecurrentWeightInit(new KerasFanInit(entries)));
        return rows;
    }

    private static void bias(
            String name,
            String type,
            LayerRule layer,
            KerasModel.KerasLayer k,
            KerasDialect dialect,
            List<KerasPlan.Row> rows) {
        Object cfg = k.config.get("bias_initializer");
        if (cfg == null || Boolean.FALSE.equals(k.config.get("use_bias"))) {
            return;
        }
        // Bidirectional gives fwd and bwd, each unwrapped (Keras's return_sequences=False: LastTimeStep inside)
        List<InitSlot> bases = layer.initSlots();
        if (bases.isEmpty()) {
            return;
        }
        IWeightInit init = of(cfg, dialect);
        String keras = KerasInitializers.describe(cfg);
        if (!(init instanceof FixedStdInit) || ((FixedStdInit) init).std() != 0) {
            rows.add(biasRow(
                    name,
                    type,
                    keras,
                    bases.get(0).biasInit(),
                    KerasPlan.Change.UNMAPPED,
                    "DL4J biases take a constant (biasInit) only"));
            return;
        }
        double value = ((FixedStdInit) init).mean();
        double before = bases.get(0).biasInit();
        String notes = Boolean.TRUE.equals(k.config.get("unit_forget_bias"))
                ? "unit_forget_bias: forget gate bias = 1 + this (DL4J forgetGateBiasInit)"
                : "";
        if (Double.compare(before, value) == 0) {
            rows.add(biasRow(name, type, keras, before, KerasPlan.Change.UNCHANGED, join("already " + value, notes)));
        } else {
            for (InitSlot b : bases) {
                b.setBiasInit(value);
            }
            rows.add(biasRow(
                    name,
                    type,
                    keras,
                    before,
                    KerasPlan.Change.REINITIALIZED,
                    join("biasInit " + before + " -> " + value, notes)));
        }
    }

    /**
     * The plan row of a layer's bias: DL4J's constant {@code biasInit} before, no fans, and a std of 0 on both sides
     * (a constant) — NaN where the Keras initializer has no constant DL4J form.
     */
    private static KerasPlan.Row biasRow(
            String name, String type, String keras, double before, KerasPlan.Change change, String notes) {
        double std = change == KerasPlan.Change.UNMAPPED ? Double.NaN : 0;
        return new KerasPlan.Row(
                WeightSlot.named(name, type, "b"), keras, "biasInit " + before, std, std, change, notes);
    }

    /** The Keras config key that initializes a DL4J weight. */
    private static String kerasKey(WeightGeometry weight, KerasDialect dialect) {
        boolean k1 = dialect == KerasDialect.KERAS_1;
        switch (weight.role()) {
            case RECURRENT:
                return k1 ? "inner_init" : "recurrent_initializer";
            case POINTWISE:
                return "pointwise_initializer";
            default:
                if (k1) {
                    return "init";
                }
                if (weight.role() == WeightGeometry.Role.CONV && weight.conv().depthwise()) {
                    return "depthwise_initializer";
                }
                return weight.role() == WeightGeometry.Role.EMBEDDING ? "embeddings_initializer" : "kernel_initializer";
        }
    }

    /**
     * The std Keras's init has at these fans: VarianceScaling √(scale/fan), fixed-std draws their std, orthogonal
     * gain/√max(rows, cols), identity gain·√(p(1−p)) with p = 1/max(rows, cols); NaN for other inits.
     */
    public static double kerasStd(IWeightInit init, double fanIn, double fanOut, long[] shape) {
        if (init instanceof VarianceScalingInit) {
            return ((VarianceScalingInit) init).std(fanIn, fanOut);
        }
        if (init instanceof FixedStdInit) {
            return ((FixedStdInit) init).std();
        }
        long rows = shape.length == 0 ? 1 : shape[0];
        long cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= shape[i];
        }
        if (init instanceof OrthogonalInit) {
            return ((OrthogonalInit) init).gain() / Math.sqrt(Math.max(rows, cols));
        }
        if (init instanceof WeightInitIdentity && shape.length == 2) {
            Double s = ((WeightInitIdentity) init).getScale();
            double p = 1.0 / Math.max(rows, cols);
            return (s == null ? 1.0 : s) * Math.sqrt(p * (1 - p));
        }
        return Double.NaN;
    }

    /**
     * Std of DL4J's init drawn with DL4J's fans on the weight's shape, pooled over repeated draws up to 2¹⁶ values
     * (at most 256 draws) so that small weights are measured too; NaN for weights over 2²² values, DL4J's SVD-based
     * orthogonal distribution (too slow to sample), or an init that fails.
     */
    static double measure(IWeightInit init, double fanIn, double fanOut, long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (init == null || n > MAX_SAMPLED || n < 1 || distribution(init) instanceof OrthogonalDistribution) {
            return Double.NaN;
        }
        int draws = (int) Math.min(256, Math.max(1, (SAMPLE + n - 1) / n));
        try {
            double sum = 0;
            double sumSq = 0;
            for (int d = 0; d < draws; d++) {
                INDArray view = Nd4j.create(DataType.DOUBLE, n);
                init.init(fanIn, fanOut, shape, 'c', view);
                sum += view.sumNumber().doubleValue();
                sumSq += view.mul(view).sumNumber().doubleValue();
            }
            double count = (double) n * draws;
            double mean = sum / count;
            return Math.sqrt(Math.max(0, sumSq / count - mean * mean));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** DL4J's init, readable: WeightInitDistribution has no toString and no getter for its distribution. */
    static String describe(IWeightInit init) {
        Distribution d = distribution(init);
        if (d != null) {
            return "WeightInitDistribution(" + d + ")";
        }
        String s = String.valueOf(init);
        // most of DL4J's inits keep Object's toString: their class name says it all
        return init != null && s.startsWith(init.getClass().getName() + "@")
                ? init.getClass().getSimpleName()
                : s;
    }

    private static Distribution distribution(IWeightInit init) {
        if (!(init instanceof WeightInitDistribution)) {
            return null;
        }
        try {
            java.lang.reflect.Field f = WeightInitDistribution.class.getDeclaredField("distribution");
            f.setAccessible(true);
            return (Distribution) f.get(init);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static IWeightInit of(Object cfg, KerasDialect dialect) {
        return cfg instanceof Map
                ? KerasInitializers.of((Map<String, Object>) cfg, dialect)
                : KerasInitializers.of(String.valueOf(cfg), dialect);
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a + "; " + b;
    }
}
