package dev.heinit.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.FanMode;
import dev.heinit.GainConvention;
import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.Sampler;
import dev.heinit.fan.Fan;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.gain.ActivationMoments;
import dev.heinit.gain.Gains;

/**
 * He initialization for a whole built network: every weight parameter gets a {@link HeInit} with its true fans
 * ({@link Fans}) and the gain of the nonlinearities around it, baked into a {@link TrueFanInit}.
 *
 * <p>For a weight W of layer l, applied to x_l = f(z) with z of unit second moment, giving y_l = W·x_l
 * (He et al. 2015, eqs. 10, 13–14): fan_in mode {@code Var(W) = 1/(fan_in·E[f(z)²])}, fan_out mode
 * {@code Var(W) = 1/(fan_out·E[(∂x_{l+1}/∂y_l)²])}, fan_avg {@code Var(W) = 2/(fan_in·E[f²] + fan_out·E[(∂x_{l+1}/∂y_l)²])}.
 * The backward condition Var[Δx_l] = n̂_l·Var[w_l]·E[(Δy_l)²], Δy_l = f_l'(y_l)·Δx_{l+1}, needs the derivative of what
 * lies <em>after</em> the layer, up to the next weighted layers' inputs: its own activation composed with any
 * ActivationLayer, dropout or pooling after it (in a chain: E[f'²] of the signal feeding the next weighted layer).
 * A layer whose output feeds several consumers gets the sum of their moments (independent gradients add); add and
 * subtract pass the gradient unchanged, average passes 1/n of it (moment / n²), scale c multiplies it by c², a
 * concatenation hands each input its slice; after a sum an activation's E[g'²] is taken at the sum's moments. The
 * last weighted layer (and any path that reaches a network output) gets 1: the loss follows and its input is taken
 * as linear logits. A path through anything else (SameDiff, product/max vertices, unsupported layers) makes the
 * moment 1 with an ASSUMPTION row; BatchNormalization is looked through with a note (its 1/σ is not modelled).
 * Recurrent weights keep their own activation on both sides (it is what lies after them in time too). The plan's
 * feeding column says {@code out: tanh'} in fan_out mode and {@code in: relu; out: tanh'} in fan_avg mode. The
 * moments come from {@link Gains}. The forward f is:
 * <ul>
 *   <li>the nonlinearity applied to the layer's <em>input</em>: the output rule of the previous weighted layer
 *       ({@link LayerOutputs}: its configured activation for Dense, Output, convolutions …, leaky ReLU with its
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
 *
 * <p>{@link GainConvention#PYTORCH} means PyTorch's practice, for users porting PyTorch code: each weight gets
 * {@code calculate_gain} of its <em>own</em> layer's activation, as {@code kaiming_normal_(w, nonlinearity=...)}
 * is called with the activation that follows the layer (every layer of a ReLU MLP gets √2; a softmax output is
 * taken as linear logits, gain 1), in every mode and whatever feeds the layer (sums and concatenations
 * included). An activation without a PyTorch gain (ELU, GELU, SiLU, …) leaves that weight's own init in place
 * with a KEPT row saying why; the rest of the plan goes on.
 *
 * <pre>{@code
 * MultiLayerConfiguration c2 = HeConfigurer.apply(conf);                 // normal, fan_in, stride ignored
 * InitPlan plan = HeConfigurer.builder().mode(FanMode.FAN_OUT)
 *         .fanConvention(FanConvention.PADDING_AWARE).inputType(InputType.convolutional(28, 28, 1))
 *         .plan(conf);
 * System.out.println(plan.toText());
 * }</pre>
 * The input configuration is never modified: the result is a clone.
 */
public final class HeConfigurer {

    private final Sampler sampler;
    private final FanMode mode;
    private final GainConvention gainConvention;
    private final FanConvention fanConvention;
    private final IActivation inputActivation;
    private final InputType[] inputTypes;

    private HeConfigurer(Builder b) {
        this.sampler = b.sampler;
        this.mode = b.mode;
        this.gainConvention = b.gainConvention;
        this.fanConvention = b.fanConvention;
        this.inputActivation = b.inputActivation;
        this.inputTypes = b.inputTypes;
    }

    /** Options: sampler, mode, gain convention, fan convention, input nonlinearity, input types. */
    public static Builder builder() {
        return new Builder();
    }

    /** A configured copy of {@code conf} with default options (normal, fan_in, stride ignored, input linear). */
    public static MultiLayerConfiguration apply(MultiLayerConfiguration conf) {
        return builder().build().configure(conf);
    }

    /** A configured copy of {@code conf} with default options (normal, fan_in, stride ignored, input linear). */
    public static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf) {
        return builder().build().configure(conf);
    }

    /** The plan {@link #apply(MultiLayerConfiguration)} would apply. */
    public static InitPlan plan(MultiLayerConfiguration conf) {
        return builder().build().planFor(conf);
    }

    /** The plan {@link #apply(ComputationGraphConfiguration)} would apply. */
    public static InitPlan plan(ComputationGraphConfiguration conf) {
        return builder().build().planFor(conf);
    }

    /**
     * A copy of {@code conf} in which every weight parameter DL4J lets a custom init set has a {@link TrueFanInit}.
     *
     * @throws IllegalArgumentException if conf is null, or PADDING_AWARE is asked without input types
     */
    public MultiLayerConfiguration configure(MultiLayerConfiguration conf) {
        MultiLayerConfiguration out = copy(requireConf(conf));
        analyze(out, true);
        return out;
    }

    /** As {@link #configure(MultiLayerConfiguration)} for a graph. */
    public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration out = copy(requireConf(conf));
        analyze(out, true);
        return out;
    }

    /** The plan {@link #configure(MultiLayerConfiguration)} applies (conf is not modified). */
    public InitPlan planFor(MultiLayerConfiguration conf) {
        return analyze(copy(requireConf(conf)), false);
    }

    /** The plan {@link #configure(ComputationGraphConfiguration)} applies (conf is not modified). */
    public InitPlan planFor(ComputationGraphConfiguration conf) {
        return analyze(copy(requireConf(conf)), false);
    }

    // A JSON round trip, not clone(): DL4J's clone() shares nested layers (Bidirectional's fwd/bwd), so
    // setting an init on the clone would change the caller's configuration.
    private static MultiLayerConfiguration copy(MultiLayerConfiguration conf) {
        return MultiLayerConfiguration.fromJson(conf.toJson());
    }

    private static ComputationGraphConfiguration copy(ComputationGraphConfiguration conf) {
        return ComputationGraphConfiguration.fromJson(conf.toJson());
    }

    private static <T> T requireConf(T conf) {
        if (conf == null) {
            throw new IllegalArgumentException("configuration must be a built MultiLayerConfiguration or"
                    + " ComputationGraphConfiguration, got null");
        }
        return conf;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The signal: what feeds a layer, as the two second moments of the nonlinearity applied to a unit signal.

    static final class Signal {
        final IActivation activation; // null for a mixture
        final String description;
        final double forward;
        final double backward;
        final double mean; // E[f(z)]: branches' means add a cross term to a sum's second moment
        final String caveat; // an assumption made on the way (looked-through layers), noted on the next weight row

        Signal(IActivation activation, String description, double forward, double backward, double mean) {
            this(activation, description, forward, backward, mean, "");
        }

        Signal(
                IActivation activation,
                String description,
                double forward,
                double backward,
                double mean,
                String caveat) {
            this.activation = activation;
            this.description = description;
            this.forward = forward;
            this.backward = backward;
            this.mean = mean;
            this.caveat = caveat;
        }

        static Signal of(IActivation a) {
            if (a == null || a instanceof ActivationIdentity) {
                return new Signal(new ActivationIdentity(), "identity", 1.0, 1.0, 0.0);
            }
            ActivationMoments g = Gains.of(a);
            return new Signal(a, a.toString(), g.forwardMoment(), g.backwardMoment(), Moments.mean(a));
        }

        /** As {@link #of}, but an activation without a gain (softmax) gives an assumed unit signal. */
        static Signal lenient(IActivation a) {
            try {
                return of(a);
            } catch (IllegalArgumentException e) {
                return unit(a + " (no gain: output assumed unit second moment)");
            }
        }

        static Signal unit(String why) {
            return new Signal(null, why, 1.0, 1.0, 0.0, "");
        }

        Signal withCaveat(String c) {
            if (c == null || c.isEmpty() || caveat.contains(c)) {
                return this;
            }
            return new Signal(activation, description, forward, backward, mean, join(caveat, c));
        }
    }

    private HeInit heInit(Signal s, Fan f) {
        HeInit base = HeInit.normal().sampler(sampler).mode(mode).gainConvention(gainConvention);
        if (s.activation != null) {
            return base.nonlinearity(Nonlinearity.of(s.activation));
        }
        double fanIn = f.in();
        double fanOut = f.out();
        double g2 = mode.fan(fanIn, fanOut)
                / (mode.inWeight() * fanIn * s.forward + mode.outWeight() * fanOut * s.backward);
        return base.gain(Math.sqrt(g2));
    }

    // ---------------------------------------------------------------------------------------------------------

    private HeInit heInit(Signal s, Back back, Fan f) {
        HeInit base = HeInit.normal().sampler(sampler).mode(mode).gainConvention(gainConvention);
        if (s.activation != null) {
            base = base.nonlinearity(Nonlinearity.of(s.activation)); // informational: the explicit gain overrides it
        }
        double fanIn = f.in();
        double fanOut = f.out();
        double g2 = mode.fan(fanIn, fanOut)
                / (mode.inWeight() * fanIn * s.forward + mode.outWeight() * fanOut * back.moment);
        return base.gain(Math.sqrt(g2));
    }

    /** The composition f∘(what feeds it) of a non-mixed signal: an ActivationLayer after a layer. */
    private static Signal activate(Signal feed, IActivation a) {
        if (feed.activation instanceof ActivationIdentity) {
            return Signal.lenient(a).withCaveat(feed.caveat);
        }
        return Signal.lenient(new ComposedActivation(feed.activation, a)).withCaveat(feed.caveat);
    }

    /** Per-analysis state: pass 1 collects every node's output signal, pass 2 reads the backward moments. */
    private static final class Pass {
        final Map<String, Signal> out = new HashMap<>();
        final Set<String> weighted = new HashSet<>();
        final Map<String, Back> back = new HashMap<>();
        boolean backReady;
    }

    /** E[(∂x_next/∂y)²] for one weighted layer: what its fan_out condition divides by. */
    static final class Back {
        final double moment;
        final String description;
        final String note;
        final boolean assumed;

        Back(double moment, String description, String note, boolean assumed) {
            this.moment = moment;
            this.description = description;
            this.note = note;
            this.assumed = assumed;
        }
    }

    /** Collects a walk's contributions: the gradient at y is the sum of its consumers' gradients. */
    private static final class Walk {
        double sum;
        final List<String> terms = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> unknown = new ArrayList<>();
    }

    /** The graph (or chain) a walk follows, with pass 1's results. */
    private static final class Topology {
        final Pass first;
        final Map<String, Layer> layers;
        final Map<String, GraphVertex> others;
        final Map<String, List<String>> consumers;
        final Map<String, List<String>> inputsOf;
        final Set<String> outputs;

        Topology(
                Pass first,
                Map<String, Layer> layers,
                Map<String, GraphVertex> others,
                Map<String, List<String>> consumers,
                Map<String, List<String>> inputsOf,
                Set<String> outputs) {
            this.first = first;
            this.layers = layers;
            this.others = others;
            this.consumers = consumers;
            this.inputsOf = inputsOf;
            this.outputs = outputs;
        }
    }

    /**
     * For every weighted node of pass 1: the second moment of the derivative from its pre-activation to the inputs of
     * the next weighted layers, summed over consumers (independent gradients add). Through single-input layers the
     * nonlinearities compose exactly (an ActivationLayer after a layer: E[((g∘f)')²]); at add/subtract the gradient
     * passes unchanged, at average 1/n of it (moment / n²), at scale c (moment · c²), at a concatenation the slice;
     * after a sum an activation's E[g'(x)²] is taken at the sum (Gaussian, independent of the rest). A network output
     * contributes 1: the loss follows, and its input is taken as linear logits.
     */
    private static Map<String, Back> backwardMoments(Topology t) {
        Map<String, Back> result = new HashMap<>();
        for (String v : t.first.weighted) {
            Walk w = new Walk();
            walk(v, t.first.out.get(v), 1.0, t, w, 0);
            if (!w.unknown.isEmpty()) {
                result.put(
                        v,
                        new Back(
                                1.0,
                                "1 (assumed)",
                                "ASSUMPTION: backward moment taken as 1: the gradient" + " passes through "
                                        + String.join(", ", w.unknown) + ", which the pass does not model",
                                true));
                continue;
            }
            String desc = String.join(" + ", w.terms);
            String note = String.format(
                    Locale.ROOT,
                    "fan_out side: E[(∂x_next/∂y)²] = %.6g = %s (He et al. 2015,"
                            + " eq. 14: derivative from this layer's pre-activation to the next weighted layers' inputs)",
                    w.sum,
                    desc);
            for (String n : w.notes) {
                note = join(note, n);
            }
            result.put(v, new Back(w.sum, desc, note, false));
        }
        return result;
    }

    private static void walk(String u, Signal s, double factor, Topology t, Walk w, int depth) {
        if (depth > 10_000) {
            w.unknown.add("a path longer than 10000 vertices");
            return;
        }
        // s: the composed nonlinearity since the layer's pre-activation, or null after a sum (then factor holds it all)
        double here = factor * (s == null ? 1.0 : s.backward);
        for (String c : t.consumers.getOrDefault(u, List.of())) {
            if (t.first.weighted.contains(c)) {
                w.sum += here;
                w.terms.add(
                        s != null && s.activation != null
                                ? s.description + "'"
                                : String.format(Locale.ROOT, "%.4g (into '%s')", here, c));
                continue;
            }
            Layer l = t.layers.get(c);
            if (l != null) {
                if (l instanceof ActivationLayer) {
                    IActivation g = ((ActivationLayer) l).getActivationFn();
                    if (s != null && s.activation != null) {
                        walk(c, activate(s, g), factor, t, w, depth + 1);
                    } else {
                        // pass 1 took E[g'(x)²] at the mixed input's moments when what fed c was mixed
                        Signal fed = t.first.out.get(u);
                        Signal after = t.first.out.get(c);
                        double rel = fed != null && fed.activation == null && after != null
                                ? after.backward
                                : Signal.lenient(g).backward;
                        walk(c, null, here * rel, t, w, depth + 1);
                    }
                } else if (l instanceof BatchNormalization) {
                    w.notes.add("BatchNormalization '" + c + "' between: its 1/σ scaling of the gradient is not"
                            + " modelled");
                    walk(c, s, factor, t, w, depth + 1);
                } else if (Fans.unsupportedReason(l).isPresent() || hasParams(l)) {
                    w.unknown.add(l.getClass().getSimpleName() + " '" + c + "'");
                } else {
                    // dropout (the identity in expectation), pooling, a loss layer …: looked through
                    if (!(l instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer)
                            && !l.getClass().getSimpleName().endsWith("LossLayer")) {
                        w.notes.add("looked through " + l.getClass().getSimpleName() + " ('" + c + "'), gradient"
                                + " moment assumed unchanged");
                    }
                    walk(c, s, factor, t, w, depth + 1);
                }
                continue;
            }
            GraphVertex gv = t.others.get(c);
            if (gv instanceof MergeVertex
                    || gv instanceof PreprocessorVertex
                    || gv instanceof ReshapeVertex
                    || gv instanceof ReverseTimeSeriesVertex) {
                // a concatenation hands each input its own slice of the gradient
                walk(c, s, factor, t, w, depth + 1);
            } else if (gv instanceof ScaleVertex) {
                double k = ((ScaleVertex) gv).getScaleFactor();
                walk(c, null, here * k * k, t, w, depth + 1);
            } else if (gv instanceof ElementWiseVertex && isSum(((ElementWiseVertex) gv).getOp())) {
                double n = t.inputsOf.getOrDefault(c, List.of()).size();
                // add/subtract pass the gradient (±) unchanged; average passes 1/n of it
                double k = ((ElementWiseVertex) gv).getOp() == ElementWiseVertex.Op.Average ? 1.0 / (n * n) : 1.0;
                walk(c, null, here * k, t, w, depth + 1);
            } else {
                w.unknown.add((gv == null ? "vertex" : gv.getClass().getSimpleName()) + " '" + c + "'");
            }
        }
        if (t.outputs.contains(u)) {
            w.sum += factor;
            w.terms.add(
                    depth == 0
                            ? "1 (last weighted layer: the loss follows, logits taken as linear)"
                            : "1 (network output '" + u + "': the loss follows, taken as linear)");
        }
    }

    private static boolean isSum(ElementWiseVertex.Op op) {
        return op == ElementWiseVertex.Op.Add
                || op == ElementWiseVertex.Op.Subtract
                || op == ElementWiseVertex.Op.Average;
    }

    private static boolean hasParams(Layer l) {
        try {
            return l.initializer().numParams(l) > 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** fan_out and fan_avg in SECOND_MOMENT need each layer's downstream derivative: a first pass collects the signals. */
    private boolean twoPass() {
        return mode != FanMode.FAN_IN && gainConvention == GainConvention.SECOND_MOMENT;
    }

    private InitPlan analyze(MultiLayerConfiguration conf, boolean apply) {
        if (!twoPass()) {
            return analyze(conf, apply, new Pass());
        }
        Pass first = new Pass();
        analyze(conf, false, first);
        int n = conf.getConfs().size();
        Map<String, Layer> layers = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            layers.put(Integer.toString(i), conf.getConf(i).getLayer());
            consumers.put(Integer.toString(i), i + 1 < n ? List.of(Integer.toString(i + 1)) : List.of());
        }
        Pass second = new Pass();
        second.back.putAll(backwardMoments(
                new Topology(first, layers, Map.of(), consumers, Map.of(), Set.of(Integer.toString(n - 1)))));
        second.backReady = true;
        return analyze(conf, apply, second);
    }

    private InitPlan analyze(MultiLayerConfiguration conf, boolean apply, Pass pass) {
        List<InitPlan.Row> rows = new ArrayList<>();
        List<InputType> types = null;
        if (inputTypes != null) {
            if (inputTypes.length != 1) {
                throw new IllegalArgumentException(
                        "a MultiLayerConfiguration has one input, got " + inputTypes.length + " input types");
            }
            types = conf.getLayerActivationTypes(inputTypes[0]);
        }
        Signal cur = Signal.of(inputActivation);
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            InputType in = null;
            if (types != null) {
                in = i == 0 ? inputTypes[0] : types.get(i - 1);
                InputPreProcessor pp = conf.getInputPreProcess(i);
                if (pp != null) {
                    in = pp.getOutputType(in);
                }
            }
            String name = layer.getLayerName() != null ? layer.getLayerName() : Integer.toString(i);
            cur = layer(name, Integer.toString(i), layer, cur, in, rows, apply, pass);
            pass.out.put(Integer.toString(i), cur);
        }
        return new InitPlan(rows);
    }

    private InitPlan analyze(ComputationGraphConfiguration conf, boolean apply) {
        if (!twoPass()) {
            return analyze(conf, apply, new Pass());
        }
        Pass first = new Pass();
        analyze(conf, false, first);
        Map<String, Layer> layers = new HashMap<>();
        Map<String, GraphVertex> others = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        Map<String, List<String>> inputsOf = new HashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                layers.put(
                        e.getKey(), ((LayerVertex) e.getValue()).getLayerConf().getLayer());
            } else {
                others.put(e.getKey(), e.getValue());
            }
            consumers.putIfAbsent(e.getKey(), new ArrayList<>());
            inputsOf.put(e.getKey(), conf.getVertexInputs().get(e.getKey()));
            for (String in : conf.getVertexInputs().get(e.getKey())) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        Pass second = new Pass();
        second.back.putAll(backwardMoments(
                new Topology(first, layers, others, consumers, inputsOf, new HashSet<>(conf.getNetworkOutputs()))));
        second.backReady = true;
        return analyze(conf, apply, second);
    }

    private InitPlan analyze(ComputationGraphConfiguration conf, boolean apply, Pass pass) {
        List<InitPlan.Row> rows = new ArrayList<>();
        Map<String, InputType> types = null;
        List<String> inputs = conf.getNetworkInputs();
        if (inputTypes != null) {
            if (inputTypes.length != inputs.size()) {
                throw new IllegalArgumentException("the graph has " + inputs.size() + " inputs " + inputs + ", got "
                        + inputTypes.length + " input types");
            }
            // With false, DL4J skips the existing preprocessors and fails on conv → dense; true mutates the
            // configuration it is called on (same preprocessors and nIn), so call it on a copy.
            types = new HashMap<>(
                    ComputationGraphConfiguration.fromJson(conf.toJson()).getLayerActivationTypes(true, inputTypes));
            for (int i = 0; i < inputs.size(); i++) {
                types.put(inputs.get(i), inputTypes[i]);
            }
        }
        Map<String, Signal> signals = new HashMap<>();
        for (String in : inputs) {
            signals.put(in, Signal.of(inputActivation));
        }
        for (String v : topologicalOrder(conf)) {
            GraphVertex gv = conf.getVertices().get(v);
            List<String> ins = conf.getVertexInputs().get(v);
            List<Signal> inSignals = new ArrayList<>();
            for (String s : ins) {
                inSignals.add(signals.get(s));
            }
            if (gv instanceof LayerVertex) {
                LayerVertex lv = (LayerVertex) gv;
                Signal feed = inSignals.size() == 1 ? inSignals.get(0) : merge(v, ins, inSignals, types, rows);
                InputType in = null;
                if (types != null && ins.size() == 1) {
                    in = types.get(ins.get(0));
                    if (lv.getPreProcessor() != null && in != null) {
                        in = lv.getPreProcessor().getOutputType(in);
                    }
                }
                signals.put(v, layer(v, v, lv.getLayerConf().getLayer(), feed, in, rows, apply, pass));
            } else {
                signals.put(v, vertex(v, gv, ins, inSignals, types, rows));
            }
            pass.out.put(v, signals.get(v));
        }
        return new InitPlan(rows);
    }

    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        Map<String, Integer> indeg = new LinkedHashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String v : conf.getVertices().keySet()) {
            int n = 0;
            for (String in : conf.getVertexInputs().get(v)) {
                if (conf.getVertices().containsKey(in)) {
                    n++;
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(v);
                }
            }
            indeg.put(v, n);
        }
        Deque<String> ready = new ArrayDeque<>();
        indeg.forEach((v, n) -> {
            if (n == 0) {
                ready.add(v);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String v = ready.poll();
            order.add(v);
            for (String c : consumers.getOrDefault(v, new ArrayList<>())) {
                if (indeg.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        return order;
    }

    private Signal vertex(
            String name,
            GraphVertex gv,
            List<String> ins,
            List<Signal> in,
            Map<String, InputType> types,
            List<InitPlan.Row> rows) {
        String type = gv.getClass().getSimpleName();
        if (gv instanceof SameDiffVertex && !(gv instanceof SameDiffLambdaVertex)) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.UNSUPPORTED,
                    "unsupported vertex " + type + " ('"
                            + name
                            + "'): a SameDiff vertex, DL4J never passes its weights to a custom IWeightInit; output"
                            + " assumed unit second moment"));
            return Signal.unit("unit (after " + type + ")");
        }
        if (gv instanceof MergeVertex) {
            return merge(name, ins, in, types, rows);
        }
        if (in.size() == 1
                && (gv instanceof PreprocessorVertex
                        || gv instanceof ReshapeVertex
                        || gv instanceof SubsetVertex
                        || gv instanceof LastTimeStepVertex
                        || gv instanceof DuplicateToTimeSeriesVertex
                        || gv instanceof ReverseTimeSeriesVertex)) {
            return in.get(0);
        }
        if ((gv instanceof StackVertex || gv instanceof UnstackVertex) && allSame(in)) {
            return in.get(0);
        }
        if (gv instanceof ScaleVertex) {
            double c = ((ScaleVertex) gv).getScaleFactor();
            Signal s = in.get(0);
            return new Signal(
                    null,
                    String.format(Locale.ROOT, "%s×%s", c, s.description),
                    c * c * s.forward,
                    c * c * s.backward,
                    c * s.mean,
                    s.caveat);
        }
        if (gv instanceof ElementWiseVertex) {
            ElementWiseVertex.Op op = ((ElementWiseVertex) gv).getOp();
            if (op == ElementWiseVertex.Op.Add
                    || op == ElementWiseVertex.Op.Subtract
                    || op == ElementWiseVertex.Op.Average) {
                // Independent inputs: E[(Σ±xᵢ)²] = Σ E[xᵢ²] + 2·Σ_{i<j} (±E[xᵢ])(±E[xⱼ]); two ReLU branches give
                // 1/2 + 1/2 + 2·(1/√(2π))² = 1.318, not 1.
                double f = 0;
                double b = 0;
                double m = 0;
                String caveat = "";
                List<String> d = new ArrayList<>();
                for (int i = 0; i < in.size(); i++) {
                    Signal s = in.get(i);
                    double sign = op == ElementWiseVertex.Op.Subtract && i > 0 ? -1 : 1;
                    f += s.forward + 2 * m * sign * s.mean;
                    m += sign * s.mean;
                    b += s.backward;
                    caveat = join(caveat, s.caveat);
                    d.add(s.description);
                }
                int n = in.size();
                // Add/Subtract pass the full gradient to every input (backward moments averaged over the inputs);
                // Average passes 1/n of it, so each input's gradient second moment is 1/n² of that.
                b /= n;
                if (op == ElementWiseVertex.Op.Average) {
                    f /= (double) n * n;
                    m /= n;
                    b /= (double) n * n;
                }
                String desc = (op == ElementWiseVertex.Op.Average ? "mean(" : "sum(") + String.join(", ", d) + ")";
                rows.add(InitPlan.Row.note(
                        name,
                        type,
                        InitPlan.Status.ASSUMPTION,
                        String.format(
                                Locale.ROOT,
                                "%s: inputs assumed independent, E[x²] = Σ E[xᵢ²] + 2·Σ_{i<j} E[xᵢ]E[xⱼ]%s, E=%.4g, mean %.4g;"
                                        + " backward moments averaged%s, E'=%.4g",
                                op,
                                op == ElementWiseVertex.Op.Average ? ", / n²" : "",
                                f,
                                m,
                                op == ElementWiseVertex.Op.Average
                                        ? " and / n² (each input gets 1/n of the gradient)"
                                        : "",
                                b)));
                return new Signal(null, desc, f, b, m, caveat);
            }
        }
        rows.add(InitPlan.Row.note(
                name,
                type,
                InitPlan.Status.ASSUMPTION,
                type + " not modelled: its output is" + " assumed to have unit second moment"));
        return Signal.unit("unit (after " + type + ")");
    }

    private static boolean allSame(List<Signal> in) {
        for (Signal s : in) {
            if (s.activation == null || !s.activation.equals(in.get(0).activation)) {
                return false;
            }
        }
        return !in.isEmpty();
    }

    private Signal merge(
            String name, List<String> ins, List<Signal> in, Map<String, InputType> types, List<InitPlan.Row> rows) {
        if (allSame(in)) {
            return in.get(0);
        }
        double f = 0;
        double b = 0;
        double m = 0;
        double total = 0;
        String caveat = "";
        boolean sized = types != null;
        List<String> d = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            double w = 1;
            if (sized && types.get(ins.get(i)) != null) {
                w = types.get(ins.get(i)).arrayElementsPerExample();
            } else {
                sized = false;
            }
            f += w * in.get(i).forward;
            b += w * in.get(i).backward;
            m += w * in.get(i).mean;
            caveat = join(caveat, in.get(i).caveat);
            total += w;
            d.add(in.get(i).description);
        }
        f /= total;
        b /= total;
        m /= total; // the channels' means differ; a later sum's cross term uses their average (an approximation)
        rows.add(InitPlan.Row.note(
                name,
                "MergeVertex",
                InitPlan.Status.ASSUMPTION,
                String.format(
                        Locale.ROOT,
                        "concatenation: second moments averaged %s, E=%.4g, E'=%.4g",
                        sized ? "by input size" : "with equal weights (no input types given)",
                        f,
                        b)));
        return new Signal(null, "concat(" + String.join(", ", d) + ")", f, b, m, caveat);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Handles one layer: records its rows (and sets its inits if apply); returns the signal after it. */
    private Signal layer(
            String name,
            String key,
            Layer layer,
            Signal feed,
            InputType in,
            List<InitPlan.Row> rows,
            boolean apply,
            Pass pass) {
        String type = layer.getClass().getSimpleName();
        Optional<String> unsupported = Fans.unsupportedReason(layer);
        if (unsupported.isPresent()) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.UNSUPPORTED,
                    unsupported.get() + "; output assumed unit second moment"));
            return Signal.unit("unit (after " + type + ")");
        }
        if (layer instanceof ActivationLayer) {
            IActivation a = ((ActivationLayer) layer).getActivationFn();
            if (feed.activation != null) {
                return activate(feed, a);
            }
            // A mixed signal (sum, concatenation) of mean m and second moment q: taken as Gaussian N(m, q − m²).
            try {
                Gains.of(a); // reject softmax and other activations without a gain
                double var = Math.max(feed.forward - feed.mean * feed.mean, 1e-12);
                double[] mo = Moments.at(a, feed.mean, var);
                rows.add(InitPlan.Row.note(
                        name,
                        type,
                        InitPlan.Status.ASSUMPTION,
                        String.format(
                                Locale.ROOT,
                                "activation %s applied to a mixed signal of mean %.4g and second moment %.4g, taken as"
                                        + " Gaussian: E[f]=%.4g, E[f²]=%.4g, E[f'²]=%.4g",
                                a,
                                feed.mean,
                                feed.forward,
                                mo[0],
                                mo[1],
                                mo[2])));
                return new Signal(null, a + "(" + feed.description + ")", mo[1], mo[2], mo[0], feed.caveat);
            } catch (IllegalArgumentException e) {
                rows.add(InitPlan.Row.note(
                        name,
                        type,
                        InitPlan.Status.ASSUMPTION,
                        "activation " + a + " has no gain (" + e.getMessage()
                                + "): output assumed unit second moment"));
                return Signal.unit("unit (after " + a + ")");
            }
        }
        if (layer instanceof BatchNormalization) {
            // BN rescales to unit variance (gamma 1, beta 0 at init); DL4J's BN applies no activation function.
            return Signal.of(null);
        }
        List<BaseLayer> bases = baseLayers(layer);
        if (bases.isEmpty() || layer.initializer().numParams(layer) == 0) {
            // dropout, pooling, padding, cropping, upsampling, …: looked through, moments assumed unchanged
            if (layer instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer) {
                return feed; // inverted dropout is the identity at inference and in expectation
            }
            return feed.withCaveat("looked through " + type + " ('" + name + "'), moments assumed unchanged"
                    + " (pooling changes them: global average pooling of ReLU maps lowers the second moment)");
        }
        Recording rec;
        try {
            rec = record(layer);
        } catch (RuntimeException e) {
            rows.add(InitPlan.Row.note(
                    name,
                    type,
                    InitPlan.Status.UNSUPPORTED,
                    "layer '" + name + "' (" + type
                            + "): cannot record the inits DL4J calls (" + e
                            + "); left unchanged, output assumed unit second"
                            + " moment"));
            return Signal.unit("unit (after " + type + ")");
        }
        pass.weighted.add(key);
        LayerOutputs.Output out = LayerOutputs.of(layer);
        Signal ownSignal =
                out.activation() == null ? Signal.unit("unit (after " + type + ")") : Signal.lenient(out.activation());
        if (!out.assumption().isEmpty()) {
            ownSignal = ownSignal.withCaveat(
                    out.assumption() + (out.activation() == null ? ": output assumed unit second moment" : "")
                            + " (after '" + name + "')");
        }
        // Recurrent weights multiply the layer's own activation (LSTM: act(c), approximately); not its output rule.
        IActivation recurrentAct = bases.get(0).getActivationFn();
        Map<String, List<TrueFanInit.Entry>> entries = new LinkedHashMap<>();
        boolean assumptionNoted = false;
        for (Call c : rec.calls) {
            Fan f;
            try {
                f = Fans.of(layer, c.key, fanConvention, in);
            } catch (IllegalArgumentException e) {
                if (fanConvention == FanConvention.PADDING_AWARE && in == null) {
                    throw e;
                }
                rows.add(row(name, type, c, null, null, null, null, null, InitPlan.Status.UNSUPPORTED, e.getMessage()));
                continue;
            }
            Fan ignored = Fans.of(layer, c.key, FanConvention.STRIDE_IGNORED, in);
            Fan exact = Fans.of(layer, c.key, FanConvention.STRIDE_EXACT, in);
            Fan padding = padding(layer, c.key, in);
            if (!f.isFanScaled()) {
                rows.add(row(
                        name,
                        type,
                        c,
                        f,
                        ignored,
                        exact,
                        padding,
                        null,
                        InitPlan.Status.KEPT,
                        f.note() + "; its own init is kept"));
                continue;
            }
            boolean recurrent = f.kind() == Fan.Kind.RECURRENT_WEIGHT;
            boolean lookup = isEmbedding(layer);
            HeInit h;
            String feeding;
            String note = f.note();
            if (gainConvention == GainConvention.PYTORCH) {
                // PyTorch practice: kaiming_normal_(w, nonlinearity=<the activation after this layer>), whatever feeds
                // it.
                IActivation own = lookup ? new ActivationIdentity() : recurrentAct;
                Nonlinearity nl;
                try {
                    nl = own instanceof ActivationSoftmax ? Nonlinearity.LINEAR : Nonlinearity.of(own);
                    nl.pytorchGain();
                } catch (IllegalArgumentException e) {
                    rows.add(row(
                            name,
                            type,
                            c,
                            f,
                            ignored,
                            exact,
                            padding,
                            "own " + own,
                            InitPlan.Status.KEPT,
                            join(
                                    note,
                                    "GainConvention.PYTORCH: PyTorch's calculate_gain has no value for the layer's"
                                            + " own activation " + own
                                            + "; its own init is kept (use SECOND_MOMENT for a computed"
                                            + " gain)")));
                    continue;
                }
                h = HeInit.normal()
                        .sampler(sampler)
                        .mode(mode)
                        .gainConvention(gainConvention)
                        .nonlinearity(nl);
                feeding = "own " + own;
                note = join(
                        note,
                        "GainConvention.PYTORCH: gain of the layer's own activation, as"
                                + " kaiming_normal_(nonlinearity=...)"
                                + (own instanceof ActivationSoftmax ? " (softmax output: logits, linear gain 1)" : ""));
            } else {
                // An embedding's input is indices, not a signal: a row is looked up, so the gain is that of the
                // identity.
                Signal s = recurrent ? Signal.lenient(recurrentAct) : lookup ? Signal.of(null) : feed;
                Back back = recurrent || !pass.backReady ? null : pass.back.get(key);
                if (back != null) {
                    // He et al. 2015, eqs. 13-14: the backward condition needs E[(∂x_{l+1}/∂y_l)²], the derivative of
                    // what lies between this layer's pre-activation and the next weighted layers' inputs.
                    h = heInit(s, back, f);
                    String in0 = s.description + (s.activation == null ? " (mixed)" : "");
                    feeding = mode == FanMode.FAN_OUT
                            ? "out: " + back.description
                            : "in: " + in0 + "; out: " + back.description;
                    note = join(note, back.note);
                    if (back.assumed && !assumptionNoted) {
                        assumptionNoted = true;
                        rows.add(InitPlan.Row.note(name, type, InitPlan.Status.ASSUMPTION, back.note));
                    }
                } else {
                    h = heInit(s, f);
                    feeding = s.description + (s.activation == null ? " (mixed)" : "");
                }
                if (recurrent) {
                    note = join(note, "recurrent: fed by the layer's own activation " + s.description);
                } else if (!lookup) {
                    note = join(note, feed.caveat);
                    if (feed.activation == null && feed.mean != 0) {
                        note = join(
                                note,
                                String.format(
                                        Locale.ROOT,
                                        "mixed signal: E[x²]=%.4g includes the" + " branches' means (mean %.4g)",
                                        feed.forward,
                                        feed.mean));
                    }
                }
            }
            TrueFanInit.Entry e = new TrueFanInit.Entry(c.shape, c.fanIn, c.fanOut, f.in(), f.out(), h);
            entries.computeIfAbsent(c.slot, k -> new ArrayList<>()).add(e);
            rows.add(row(name, type, c, f, ignored, exact, padding, feeding, InitPlan.Status.CONFIGURED, note));
            rows.set(rows.size() - 1, withStd(rows.get(rows.size() - 1), e.std(), mode.fan(f.in(), f.out()), h, f));
        }
        for (Map.Entry<String, List<TrueFanInit.Entry>> slot : entries.entrySet()) {
            checkUnambiguous(name, slot.getValue());
        }
        if (apply) {
            for (Map.Entry<String, List<TrueFanInit.Entry>> slot : entries.entrySet()) {
                String[] parts = slot.getKey().split(":");
                BaseLayer b = bases.get(Integer.parseInt(parts[0]));
                if (parts[1].equals("R")) {
                    BaseRecurrentLayer r = (BaseRecurrentLayer) b;
                    r.setWeightInitFnRecurrent(new TrueFanInit(slot.getValue(), unwrap(r.getWeightInitFnRecurrent())));
                } else {
                    b.setWeightInitFn(new TrueFanInit(slot.getValue(), unwrap(b.getWeightInitFn())));
                }
            }
        }
        return ownSignal;
    }

    /** Configuring twice replaces the first pass's init rather than nesting it. */
    private static IWeightInit unwrap(IWeightInit init) {
        return init instanceof TrueFanInit ? ((TrueFanInit) init).fallback() : init;
    }

    private static boolean isEmbedding(Layer layer) {
        Layer l = layer;
        while (l instanceof BaseWrapperLayer || l instanceof FrozenLayer) {
            l = l instanceof FrozenLayer ? ((FrozenLayer) l).getLayer() : ((BaseWrapperLayer) l).getUnderlying();
        }
        return l instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer
                || l instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
    }

    private Fan padding(Layer layer, String key, InputType in) {
        if (in == null) {
            return null;
        }
        try {
            return Fans.of(layer, key, FanConvention.PADDING_AWARE, in);
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

    private InitPlan.Row row(
            String name,
            String type,
            Call c,
            Fan f,
            Fan ignored,
            Fan exact,
            Fan padding,
            String feeding,
            InitPlan.Status status,
            String notes) {
        return new InitPlan.Row(
                name,
                type,
                c.key,
                c.shape,
                c.fanIn,
                c.fanOut,
                f == null ? Double.NaN : f.in(),
                f == null ? Double.NaN : f.out(),
                fans(ignored),
                fans(exact),
                padding == null ? (inputTypes == null ? "n/a (no input type)" : "") : fans(padding),
                feeding == null ? "" : feeding,
                Double.NaN,
                Double.NaN,
                status,
                notes);
    }

    private static InitPlan.Row withStd(InitPlan.Row r, double std, double fan, HeInit h, Fan f) {
        return new InitPlan.Row(
                r.layer(),
                r.type(),
                r.param(),
                r.shape(),
                r.dl4jFanIn(),
                r.dl4jFanOut(),
                r.fanIn(),
                r.fanOut(),
                cell(r, 6),
                cell(r, 7),
                cell(r, 8),
                r.feeding(),
                std * Math.sqrt(fan),
                std,
                r.status(),
                r.notes());
    }

    private static String cell(InitPlan.Row r, int i) {
        return r.cells()[i];
    }

    private static String fans(Fan f) {
        return f == null || !f.isFanScaled() ? "" : InitPlan.fans(f.in(), f.out());
    }

    private static String join(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a == null ? "" : a;
        }
        return a == null || a.isEmpty() ? b : a + "; " + b;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Recording what DL4J passes: run the layer's own ParamInitializer on a clone whose init slots record.

    private static final class Call {
        final String slot; // "<base index>:W" or "<base index>:R"
        final double fanIn;
        final double fanOut;
        final long[] shape;
        String key;

        Call(String slot, double fanIn, double fanOut, long[] shape) {
            this.slot = slot;
            this.fanIn = fanIn;
            this.fanOut = fanOut;
            this.shape = shape.clone();
        }
    }

    private static final class Recording {
        final List<Call> calls = new ArrayList<>();
    }

    /** Records calls; deliberately not serializable, it lives only on a throw-away clone. */
    private static final class Recorder implements IWeightInit {
        private static final long serialVersionUID = 1L;
        private final transient Recording rec;
        private final String slot;

        Recorder(Recording rec, String slot) {
            this.rec = rec;
            this.slot = slot;
        }

        @Override
        public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
            rec.calls.add(new Call(slot, fanIn, fanOut, shape));
            return paramView.reshape(order, shape);
        }
    }

    private static Recording record(Layer layer) {
        Layer copy = deepCopy(layer);
        List<BaseLayer> bases = baseLayers(copy);
        Recording rec = new Recording();
        for (int i = 0; i < bases.size(); i++) {
            bases.get(i).setWeightInitFn(new Recorder(rec, i + ":W"));
            if (bases.get(i) instanceof BaseRecurrentLayer) {
                ((BaseRecurrentLayer) bases.get(i)).setWeightInitFnRecurrent(new Recorder(rec, i + ":R"));
            }
        }
        NeuralNetConfiguration nnc = new NeuralNetConfiguration();
        nnc.setLayer(copy);
        long n = copy.initializer().numParams(nnc);
        INDArray view = Nd4j.create(DataType.FLOAT, n); // rank 1, as DL4J passes it (OCNN indexes axis 0)
        Map<String, INDArray> params = copy.initializer().init(nnc, view, true);
        List<String> unused = new ArrayList<>(params.keySet());
        for (Call c : rec.calls) {
            String key = null;
            for (String k : unused) {
                if (Arrays.equals(params.get(k).shape(), c.shape)) {
                    key = k;
                    break;
                }
            }
            if (key == null) {
                long len = 1;
                for (long s : c.shape) {
                    len *= s;
                }
                for (String k : unused) {
                    if (params.get(k).length() == len) {
                        key = k;
                        break;
                    }
                }
            }
            if (key == null) {
                throw new IllegalStateException("cannot tell which parameter of "
                        + layer.getClass().getSimpleName() + " DL4J initializes with shape " + Arrays.toString(c.shape)
                        + "; parameters: " + params.keySet());
            }
            unused.remove(key);
            c.key = key;
        }
        return rec;
    }

    /** Through JSON: Layer.clone() shares a Bidirectional's inner layers, and the recorders must not leak. */
    private static Layer deepCopy(Layer layer) {
        try {
            org.nd4j.shade.jackson.databind.ObjectMapper m = NeuralNetConfiguration.mapper();
            return m.readValue(m.writerFor(Layer.class).writeValueAsString(layer), Layer.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot copy layer " + layer.getLayerName() + " through JSON", e);
        }
    }

    /** The BaseLayers inside a (possibly wrapped) layer, in a fixed order: Bidirectional gives fwd, bwd. */
    private static List<BaseLayer> baseLayers(Layer layer) {
        List<BaseLayer> out = new ArrayList<>();
        if (layer instanceof FrozenLayer) {
            out.addAll(baseLayers(((FrozenLayer) layer).getLayer()));
        } else if (layer instanceof BaseWrapperLayer) {
            out.addAll(baseLayers(((BaseWrapperLayer) layer).getUnderlying()));
        } else if (layer instanceof Bidirectional) {
            out.addAll(baseLayers(((Bidirectional) layer).getFwd()));
            out.addAll(baseLayers(((Bidirectional) layer).getBwd()));
        } else if (layer instanceof BaseLayer) {
            out.add((BaseLayer) layer);
        }
        return out;
    }

    /** Options for {@link HeConfigurer}. */
    public static final class Builder {
        private Sampler sampler = Sampler.NORMAL;
        private FanMode mode = FanMode.FAN_IN;
        private GainConvention gainConvention = GainConvention.SECOND_MOMENT;
        private FanConvention fanConvention = FanConvention.STRIDE_IGNORED;
        private IActivation inputActivation = new ActivationIdentity();
        private InputType[] inputTypes;

        private Builder() {}

        /** How weights are drawn (default normal). */
        public Builder sampler(Sampler sampler) {
            this.sampler = nonNull(sampler, "sampler", Arrays.toString(Sampler.values()));
            return this;
        }

        /** Which fan the variance is divided by (default fan_in). */
        public Builder mode(FanMode mode) {
            this.mode = nonNull(mode, "mode", Arrays.toString(FanMode.values()));
            return this;
        }

        /** How a nonlinearity becomes a gain (default SECOND_MOMENT, mode-correct). */
        public Builder gainConvention(GainConvention convention) {
            this.gainConvention = nonNull(convention, "gainConvention", Arrays.toString(GainConvention.values()));
            return this;
        }

        /** How convolution fans are counted (default STRIDE_IGNORED). PADDING_AWARE needs {@link #inputType}. */
        public Builder fanConvention(FanConvention convention) {
            this.fanConvention = nonNull(convention, "fanConvention", Arrays.toString(FanConvention.values()));
            return this;
        }

        /** The nonlinearity already applied to the network input (default identity: raw, standardized data). */
        public Builder inputNonlinearity(IActivation activation) {
            this.inputActivation = nonNull(activation, "inputNonlinearity", "a DL4J IActivation");
            Gains.of(activation);
            return this;
        }

        /** The network's input types, in input order (a built configuration does not keep them). */
        public Builder inputType(InputType... types) {
            if (types == null || types.length == 0 || Arrays.asList(types).contains(null)) {
                throw new IllegalArgumentException("input types must be non-null, got " + Arrays.toString(types));
            }
            this.inputTypes = types.clone();
            return this;
        }

        /** The configurer. */
        public HeConfigurer build() {
            if (fanConvention == FanConvention.PADDING_AWARE && inputTypes == null) {
                throw new IllegalArgumentException("FanConvention.PADDING_AWARE counts in-bounds taps at each layer's"
                        + " input size, which a built configuration does not keep: give the network's input type,"
                        + " e.g. .inputType(InputType.convolutional(28, 28, 1))");
            }
            return new HeConfigurer(this);
        }

        /** Shortcut for {@code build().configure(conf)}. */
        public MultiLayerConfiguration configure(MultiLayerConfiguration conf) {
            return build().configure(conf);
        }

        /** Shortcut for {@code build().configure(conf)}. */
        public ComputationGraphConfiguration configure(ComputationGraphConfiguration conf) {
            return build().configure(conf);
        }

        /** Shortcut for {@code build().planFor(conf)}. */
        public InitPlan plan(MultiLayerConfiguration conf) {
            return build().planFor(conf);
        }

        /** Shortcut for {@code build().planFor(conf)}. */
        public InitPlan plan(ComputationGraphConfiguration conf) {
            return build().planFor(conf);
        }

        private static <T> T nonNull(T v, String what, String allowed) {
            if (v == null) {
                throw new IllegalArgumentException(what + " must be " + allowed + ", got null");
            }
            return v;
        }
    }
}
