package dev.heinit.config;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.HeInit;
import dev.heinit.fan.Fan;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.internal.dl4j.InitSlot;
import dev.heinit.internal.dl4j.LayerRule;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.WeightSlot;

/**
 * One run of {@link HeConfigurer} over a {@link NetworkView}: a walk in topological order computes each node's
 * output {@link Feed} from its inputs' ({@link ForwardMoments} for vertices and activation layers), records the
 * init calls of each weighted layer, chooses each weight's init ({@link GainPolicy}), writes the plan rows and,
 * when applying, sets {@link TrueFanInit}s on the layers. fan_out and fan_avg in SECOND_MOMENT walk twice: the
 * first walk's signals give each weighted layer's backward moment ({@link BackwardMoments}).
 *
 * <p>The forward f feeding a weight is:
 * <ul>
 *   <li>the nonlinearity applied to the layer's <em>input</em>: the output rule of the previous weighted layer
 *       ({@code LayerRule.output()}: its configured activation for Dense, Output, convolutions …, leaky ReLU with its
 *       initial alpha for PReLU, the pzx activation for a VAE; unit second moment with an ASSUMPTION note for
 *       layers it does not model), looking through ActivationLayer (composed with it), dropout and
 *       preprocessors; after BatchNormalization the signal is unit-variance again (DL4J's BN applies no
 *       activation), so f is the identity. Pooling, padding, cropping and upsampling are looked through with
 *       their moments assumed unchanged, and the next weight's row says so (average pooling of ReLU maps
 *       lowers the second moment);</li>
 *   <li>for the network input, {@code inputNonlinearity} (default identity: LINEAR, gain 1);</li>
 *   <li>for embeddings, the identity: their input is indices and a row is looked up (fan_in 1, so N(0,1) as
 *       PyTorch's {@code nn.Embedding});</li>
 *   <li>an ActivationLayer g after a mixed signal (a sum or concatenation of mean m and second moment q) gives
 *       {@code E[g(x)²]}, x ~ N(m, q − m²): the mixture is taken as Gaussian;</li>
 *   <li>for recurrent weights, the layer's own activation, which is what feeds the recurrence (for LSTMs an
 *       approximation: h = o ⊙ act(c)).</li>
 * </ul>
 * Graph vertices: merge (concatenation) averages the inputs' second moments and means weighted by their sizes;
 * element-wise add/subtract of independent inputs gives {@code Σ E[xᵢ²] + 2·Σ_{i<j} E[xᵢ]E[xⱼ]} (two ReLU
 * branches: 1.318, not 1) and averages the backward moments; average divides the forward moment by n² and the
 * backward moments by n² as well (each input receives 1/n of the gradient); scale multiplies by the factor²;
 * shape-only vertices pass the signal through. Any other vertex is assumed to give unit second moment, and the
 * plan says so. SameDiff layers and vertices are reported as unsupported by name (DL4J never calls a custom init
 * for them) and left unchanged, as is OCNNOutputLayer; a layer whose inits cannot be recorded gets an
 * UNSUPPORTED row naming the error, and the rest of the plan goes on.
 */
final class ConfigurationPass {

    private final FanMode mode;
    private final GainConvention gainConvention;
    private final FanConvention fanConvention;
    private final IActivation inputActivation;
    private final boolean typesGiven;
    private final GainPolicy policy;
    private final Double criticalBiasStd; // σ_b of a critical configuration, or null
    private final InputScale inputScale; // the inputs' moments, or null: the input nonlinearity on a unit signal

    ConfigurationPass(
            GainPolicy policy,
            FanMode mode,
            GainConvention gainConvention,
            FanConvention fanConvention,
            IActivation inputActivation,
            boolean typesGiven) {
        this(policy, mode, gainConvention, fanConvention, inputActivation, typesGiven, null, null);
    }

    ConfigurationPass(
            GainPolicy policy,
            FanMode mode,
            GainConvention gainConvention,
            FanConvention fanConvention,
            IActivation inputActivation,
            boolean typesGiven,
            Double criticalBiasStd,
            InputScale inputScale) {
        this.criticalBiasStd = criticalBiasStd;
        this.inputScale = inputScale;
        this.policy = policy;
        this.mode = mode;
        this.gainConvention = gainConvention;
        this.fanConvention = fanConvention;
        this.inputActivation = inputActivation;
        this.typesGiven = typesGiven;
    }

    /** Per-walk state: the first walk collects every node's output signal, the second reads the backward moments. */
    private static final class Walk {
        final Map<String, Feed> out = new HashMap<>();
        final Set<String> weighted = new HashSet<>();
        final Map<String, BackwardMoments.Back> back = new HashMap<>();
        boolean backReady;
    }

    /** The plan; with {@code apply}, the view's layers get their inits. */
    InitPlan run(NetworkView view, boolean apply) {
        if (mode == FanMode.FAN_IN || gainConvention != GainConvention.SECOND_MOMENT) {
            return walk(view, apply, new Walk());
        }
        Walk first = new Walk();
        walk(view, false, first);
        Walk second = new Walk();
        second.back.putAll(BackwardMoments.of(first.out, first.weighted, view));
        second.backReady = true;
        return walk(view, apply, second);
    }

    /** One walk over the network in topological order: each node's output signal from its inputs'. */
    private InitPlan walk(NetworkView view, boolean apply, Walk walk) {
        List<InitPlan.Row> rows = new ArrayList<>();
        Map<String, Feed> signals = new HashMap<>();
        for (NetworkView.Node node : view.nodes()) {
            String v = node.name();
            if (node.kind() == NetworkView.Kind.INPUT) {
                List<String> inputs = view.networkInputs();
                signals.put(
                        v,
                        Feed.input(
                                inputActivation,
                                inputScale == null ? null : inputScale.forInput(inputs.indexOf(v), inputs.size())));
                continue;
            }
            List<String> ins = node.inputs();
            List<Feed> inSignals = new ArrayList<>();
            for (String s : ins) {
                inSignals.add(signals.get(s));
            }
            if (node.kind() == NetworkView.Kind.LAYER) {
                Feed feed = inSignals.size() == 1
                        ? inSignals.get(0)
                        : ForwardMoments.merge(v, "MergeVertex", ins, inSignals, view, typesGiven, rows);
                signals.put(v, layer(node.displayName(), v, node.rule(), feed, node.inputType(), rows, apply, walk));
            } else {
                signals.put(
                        v,
                        ForwardMoments.vertex(v, node.type(), node.transfer(), ins, inSignals, view, typesGiven, rows));
            }
            walk.out.put(v, signals.get(v));
        }
        return new InitPlan(rows);
    }

    /** Handles one layer: records its rows (and sets its inits if apply); returns the signal after it. */
    private Feed layer(
            String name,
            String key,
            LayerRule rule,
            Feed feed,
            InputType in,
            List<InitPlan.Row> rows,
            boolean apply,
            Walk pass) {
        String type = rule.type();
        Feed through = ForwardMoments.layer(name, type, rule.transfer(), feed, in, rows);
        if (through != null) {
            return through;
        }
        List<InitSlot> slots = rule.initSlots();
        List<WeightSlot> calls;
        try {
            calls = rule.weightSlots(name);
        } catch (RuntimeException e) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.UNSUPPORTED,
                    "layer '" + name + "' (" + type
                            + "): cannot record the inits DL4J calls (" + e
                            + "); left unchanged, output assumed unit second"
                            + " moment"));
            return Feed.unit("unit (after " + type + ")");
        }
        pass.weighted.add(key);
        LayerRule.OutputActivation out = rule.output();
        Feed ownSignal =
                out.activation() == null ? Feed.unit("unit (after " + type + ")") : Feed.lenient(out.activation());
        if (!out.assumption().isEmpty()) {
            ownSignal = ownSignal.withCaveat(
                    out.assumption() + (out.activation() == null ? ": output assumed unit second moment" : "")
                            + " (after '" + name + "')");
        }
        // Recurrent weights multiply the layer's own activation (LSTM: act(c), approximately); not its output rule.
        IActivation recurrentAct = slots.get(0).activation();
        Map<Map.Entry<Integer, Boolean>, List<TrueFanInit.Entry>> entries = new LinkedHashMap<>();
        boolean assumptionNoted = false;
        for (WeightSlot c : calls) {
            if (java.util.Arrays.stream(c.shape()).anyMatch(d -> d == 0)) {
                // DL4J sets nIn from the input type and leaves 0 where strides and pools emptied the maps
                throw new IllegalArgumentException("layer '" + name + "' (" + type + "): weight '" + c.key()
                        + "' has shape " + java.util.Arrays.toString(c.shape())
                        + ", a zero dimension (nIn or nOut 0): the network's input is too small for its strides and"
                        + " pooling, or nIn was never set");
            }
            Fan f;
            try {
                f = Fans.of(rule.configured(), c.key(), fanConvention, in);
            } catch (IllegalArgumentException e) {
                if (fanConvention == FanConvention.PADDING_AWARE && in == null) {
                    throw e;
                }
                rows.add(row(c, null, null, null, null, null, InitPlan.Status.UNSUPPORTED, e.getMessage())
                        .build());
                continue;
            }
            Fan ignored = Fans.of(rule.configured(), c.key(), FanConvention.STRIDE_IGNORED, in);
            Fan exact = Fans.of(rule.configured(), c.key(), FanConvention.STRIDE_EXACT, in);
            Fan padding = padding(rule, c.key(), in);
            if (!f.isFanScaled()) {
                rows.add(row(
                                c,
                                f,
                                ignored,
                                exact,
                                padding,
                                null,
                                InitPlan.Status.KEPT,
                                f.note() + "; its own init is kept")
                        .build());
                continue;
            }
            boolean recurrent = f.kind() == Fan.Kind.RECURRENT_WEIGHT;
            BackwardMoments.Back back = recurrent || !pass.backReady ? null : pass.back.get(key);
            GainPolicy.Choice choice = criticalBiasStd == null
                    ? policy.choose(f, f.note(), feed, back, recurrentAct, recurrent, rule.isEmbedding())
                    : policy.critical(
                            name,
                            criticalBiasStd,
                            f,
                            f.note(),
                            feed,
                            out.activation(),
                            recurrentAct,
                            recurrent,
                            rule.isEmbedding());
            if (choice.init == null) {
                rows.add(row(c, f, ignored, exact, padding, choice.feeding, InitPlan.Status.KEPT, choice.note)
                        .build());
                continue;
            }
            if (choice.assumption != null && !assumptionNoted) {
                assumptionNoted = true;
                rows.add(InitPlan.Row.note(name, type, InitPlan.Status.ASSUMPTION, choice.assumption));
            }
            HeInit h = choice.init;
            TrueFanInit.Entry e = new TrueFanInit.Entry(c.withFans(f.in(), f.out()), h);
            entries.computeIfAbsent(
                            new AbstractMap.SimpleImmutableEntry<>(c.initSlot(), c.recurrent()), k -> new ArrayList<>())
                    .add(e);
            InitPlan.RowBuilder configured = row(
                            c, f, ignored, exact, padding, choice.feeding, InitPlan.Status.CONFIGURED, choice.note)
                    .std(e.std(), mode.fan(f.in(), f.out()));
            if (choice.critical != null) {
                configured.critical(choice.critical[0], choice.critical[1], choice.critical[2], choice.critical[3]);
            }
            rows.add(configured.build());
        }
        for (List<TrueFanInit.Entry> slot : entries.values()) {
            checkUnambiguous(name, slot);
        }
        if (apply) {
            for (Map.Entry<Map.Entry<Integer, Boolean>, List<TrueFanInit.Entry>> slot : entries.entrySet()) {
                InitSlot b = slots.get(slot.getKey().getKey());
                if (slot.getKey().getValue()) {
                    b.setRecurrentWeightInit(new TrueFanInit(slot.getValue(), unwrap(b.recurrentWeightInit())));
                } else {
                    b.setWeightInit(new TrueFanInit(slot.getValue(), unwrap(b.weightInit())));
                }
            }
        }
        return ownSignal;
    }

    /**
     * A copy of a configuration the caller's is never touched through: a JSON round trip, not clone() (DL4J's
     * clone() shares nested layers, Bidirectional's fwd/bwd, so setting an init on the clone would change it).
     *
     * @throws IllegalArgumentException if conf is null
     */
    static MultiLayerConfiguration copyOf(MultiLayerConfiguration conf) {
        return MultiLayerConfiguration.fromJson(requireConf(conf).toJson());
    }

    /** As {@link #copyOf(MultiLayerConfiguration)} for a graph. */
    static ComputationGraphConfiguration copyOf(ComputationGraphConfiguration conf) {
        return ComputationGraphConfiguration.fromJson(requireConf(conf).toJson());
    }

    private static <T> T requireConf(T conf) {
        if (conf == null) {
            throw new IllegalArgumentException("configuration must be a built MultiLayerConfiguration or"
                    + " ComputationGraphConfiguration, got null");
        }
        return conf;
    }

    /** Configuring twice replaces the first pass's init rather than nesting it. */
    private static IWeightInit unwrap(IWeightInit init) {
        return init instanceof TrueFanInit ? ((TrueFanInit) init).fallback() : init;
    }

    private Fan padding(LayerRule rule, String key, InputType in) {
        if (in == null) {
            return null;
        }
        try {
            return Fans.of(rule.configured(), key, FanConvention.PADDING_AWARE, in);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void checkUnambiguous(String layer, List<TrueFanInit.Entry> list) {
        TrueFanInit probe = new TrueFanInit(list, null);
        for (TrueFanInit.Entry e : list) {
            TrueFanInit.Entry found = probe.entryFor(e.dl4jFanIn(), e.dl4jFanOut(), e.shape());
            if (found != e && (found == null || !found.equals(e))) {
                throw new IllegalStateException("layer '" + layer + "': two weight parameters with shape "
                        + Arrays.toString(e.shape()) + " and the same DL4J fans need different inits; cannot key them");
            }
        }
    }

    private InitPlan.RowBuilder row(
            WeightSlot c,
            Fan f,
            Fan ignored,
            Fan exact,
            Fan padding,
            String feeding,
            InitPlan.Status status,
            String notes) {
        return new InitPlan.RowBuilder(f == null ? c : c.withFans(f.in(), f.out()), status)
                .conventions(
                        fans(ignored),
                        fans(exact),
                        padding == null ? (typesGiven ? "" : "n/a (no input type)") : fans(padding))
                .feeding(feeding)
                .notes(notes);
    }

    private static String fans(Fan f) {
        return f == null || !f.isFanScaled() ? "" : InitPlan.fans(f.in(), f.out());
    }
}
