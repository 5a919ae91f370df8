package dev.heinit.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.heinit.internal.text.TextTable;

/**
 * The result of {@link SignalPropagation#measure}: per-layer {@link LayerSignal}s, the loss, the forward and
 * backward ratios and the {@link Verdict}s under the {@link SignalThresholds} it was judged with. Immutable.
 *
 * <p>Forward ratio {@code RMS(z_last)/RMS(z_first)} (z the pre-activations, the quantity He initialization keeps
 * constant: {@code fan_in·Var(W)·E[f(z)²] = 1}) and backward ratio {@code √P_first·RMS(δ_first)/(√P_last·RMS(δ_last))},
 * δ = ∂L/∂z (He et al. 2015, eqs. 10 and 14), P the positions a layer applies each weight at (1 for dense layers:
 * pooling and strides shrink δ per unit by design, not the weight gradients it makes), both over the same layers: first = the first weighted layer, last = the last
 * weighted layer that is not an output layer ({@link #firstRatioLayer()}, {@link #lastRatioLayer()}). An output
 * layer's fan ratio is a one-off factor (a fan_out-configured classifier's 10-class output multiplies its z RMS
 * by √(fan_in/fan_out)), not depth, so it is left out of both. Each is NaN when fewer than two layers take part.
 *
 * <p>Order versus chaos ({@link Verdict#DECORRELATING}, {@link Verdict#COLLAPSING}) is judged on the same layers,
 * on {@link LayerSignal#cosineRaw()}.
 *
 * <p>Output formats (stable field names):
 * <ul>
 *   <li>{@link #toText()}: an aligned table for people; not for parsing.</li>
 *   <li>{@link #toCsv()}: header {@link #CSV_HEADER}, one row per layer, numbers in {@link Double#toString}
 *       form (locale-independent; {@code NaN}, {@code Infinity} as Java prints them).</li>
 *   <li>{@link #toJson()}: {@code {"format":"dl4j-he-signal/3","examples","loss","syntheticLabels",
 *       "forwardRatio","backwardRatio","ratioFirstLayer","ratioLastLayer","firstNonFiniteDelta","verdicts":[..],
 *       "thresholds":{..},"layers":[{"index","name","type",
 *       "activationFunction","output","weighted","preActivation":{stats},"activation":{stats},"delta":{stats},
 *       "deadFraction","saturatedFraction","weightRms","gradientWeightRms","gradientBiasRms","updateRatio",
 *       "forwardRatio","backwardRatio","positions","cosineRaw","cosineCentred","chiMeasured","chiPredicted",
 *       "preActivationMaxAbs","nanCount","infCount","verdicts":[..]}]}} (layer names as strings, null where
 *       there is none), stats being
 *       {@code {"mean","std","secondMoment","rms","count","nanCount","infCount"}}; non-finite numbers are
 *       written as {@code null}.</li>
 * </ul>
 */
public final class SignalReport {

    /**
     * Format tag written as {@code "format"} in the JSON; changes only with an incompatible change. Version 2: the
     * report's {@code forwardRatio} no longer runs up to an output layer (same layers as {@code backwardRatio}),
     * so version-1 values of it are not comparable; fields were added, none renamed or removed. Version 3: the
     * report's {@code backwardRatio} compares {@code √P·RMS(δ)} (P the positions a weight is applied at, the new
     * per-layer field {@code positions}), so that pooling and strides, which thin δ per unit but not the weight
     * gradients, are not read as vanishing; version-2 values of it differ on nets whose map size changes.
     */
    public static final String JSON_FORMAT = "dl4j-he-signal/3";

    /** CSV columns, in order, of {@link #toCsv()} (and, after {@code iteration,epoch,}, of {@link SignalListener}). */
    public static final String CSV_HEADER = "layer,name,type,activation_fn,pre_mean,pre_std,pre_m2,act_mean,act_std,"
            + "act_m2,delta_mean,delta_std,delta_m2,dead_fraction,saturated_fraction,nan_count,inf_count,weight_rms,"
            + "grad_w_rms,grad_b_rms,update_ratio,forward_ratio,backward_ratio,cos_raw,cos_centred,chi_measured,"
            + "chi_predicted,pre_max_abs";

    private final List<LayerSignal> layers;
    private final long examples;
    private final double loss;
    private final boolean syntheticLabels;
    private final SignalThresholds thresholds;
    private final double forwardRatio;
    private final double backwardRatio;
    private final Map<Verdict, List<LayerSignal>> verdictLayers;
    private final LayerSignal firstRatioLayer;
    private final LayerSignal lastRatioLayer;

    SignalReport(
            List<LayerSignal> layers,
            long examples,
            double loss,
            boolean syntheticLabels,
            SignalThresholds thresholds) {
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.examples = examples;
        this.loss = loss;
        this.syntheticLabels = syntheticLabels;
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        List<LayerSignal> w = weighted();
        LayerSignal first = w.isEmpty() ? null : w.get(0);
        LayerSignal ref = backwardReference(w);
        this.firstRatioLayer = first;
        this.lastRatioLayer = ref;
        this.forwardRatio = first == null || ref == null || ref == first
                ? Double.NaN
                : ref.preActivation().rms() / first.preActivation().rms();
        this.backwardRatio =
                first == null || ref == null || ref == first ? Double.NaN : gradientScale(first) / gradientScale(ref);
        this.verdictLayers = judge(thresholds);
    }

    /**
     * {@code √P·RMS(δ)}, P the positions one weight is applied at: the scale of the weight gradient δ makes. A max
     * pool routes each window's δ to one input (δ² ×c/n per unit) while the layer before it applies each weight at
     * n/c times as many positions, so per-unit δ falls by √(c/n) per pool with the weight gradients level: RMS(δ)
     * alone would call every pooled CNN VANISHING (AlexNet: 0.06), √P·RMS(δ) does not.
     */
    private static double gradientScale(LayerSignal l) {
        return Math.sqrt(l.positions()) * l.delta().rms();
    }

    private List<LayerSignal> weighted() {
        List<LayerSignal> w = new ArrayList<>();
        for (LayerSignal l : layers) {
            if (l.isWeighted()) {
                w.add(l);
            }
        }
        return w;
    }

    /** The last weighted layer that is not an output layer (a graph may end in several), or null. */
    private static LayerSignal backwardReference(List<LayerSignal> w) {
        for (int i = w.size() - 1; i >= 0; i--) {
            if (!w.get(i).isOutput()) {
                return w.get(i);
            }
        }
        return null;
    }

    private Map<Verdict, List<LayerSignal>> judge(SignalThresholds t) {
        Map<Verdict, Set<LayerSignal>> m = new EnumMap<>(Verdict.class);
        List<LayerSignal> w = weighted();
        if (!w.isEmpty()) {
            LayerSignal first = w.get(0);
            LayerSignal ref = backwardReference(w);
            double z0 = first.preActivation().rms();
            boolean fwdVanish = forwardRatio < t.vanishingRatio();
            boolean fwdExplode = forwardRatio > t.explodingRatio();
            boolean bwdVanish = backwardRatio < t.vanishingRatio();
            boolean bwdExplode = backwardRatio > t.explodingRatio();
            int refPos = ref == null ? -1 : w.indexOf(ref);
            for (int i = 0; i < w.size(); i++) {
                LayerSignal l = w.get(i);
                double f = l.preActivation().rms() / z0;
                if (i > 0 && i <= refPos && fwdVanish && f < t.vanishingRatio()) {
                    add(m, Verdict.VANISHING, l);
                }
                if (i > 0 && i <= refPos && fwdExplode && f > t.explodingRatio()) {
                    add(m, Verdict.EXPLODING, l);
                }
                if (i < refPos) {
                    double b = gradientScale(l) / gradientScale(ref);
                    if (bwdVanish && b < t.vanishingRatio()) {
                        add(m, Verdict.VANISHING, l);
                    }
                    if (bwdExplode && b > t.explodingRatio()) {
                        add(m, Verdict.EXPLODING, l);
                    }
                }
            }
            judgeCorrelation(m, t, w.subList(0, refPos + 1));
        }
        boolean nonFinite = !Double.isFinite(loss);
        for (LayerSignal l : layers) {
            if (!l.isOutput() && l.deadFraction() > t.deadFraction()) {
                add(m, Verdict.DEAD_UNITS, l);
            }
            if (!l.isOutput() && l.saturatedFraction() > t.saturatedFraction()) {
                add(m, Verdict.SATURATED, l);
            }
            if (l.nanCount() + l.infCount() > 0) {
                add(m, Verdict.NON_FINITE, l);
            }
        }
        if (nonFinite) {
            m.computeIfAbsent(Verdict.NON_FINITE, k -> new LinkedHashSet<>());
        }
        Map<Verdict, List<LayerSignal>> out = new EnumMap<>(Verdict.class);
        for (Map.Entry<Verdict, Set<LayerSignal>> e : m.entrySet()) {
            List<LayerSignal> ls = new ArrayList<>(e.getValue());
            ls.sort((a, b) -> Integer.compare(a.index(), b.index()));
            out.put(e.getKey(), Collections.unmodifiableList(ls));
        }
        if (out.isEmpty()) {
            out.put(Verdict.HEALTHY, Collections.emptyList());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * DECORRELATING and COLLAPSING over the hidden weighted layers (first … ref): the raw cosine of the last of them
     * against the first's, and against 1.
     */
    private static void judgeCorrelation(
            Map<Verdict, Set<LayerSignal>> m, SignalThresholds t, List<LayerSignal> upToRef) {
        List<LayerSignal> hidden = new ArrayList<>();
        for (LayerSignal l : upToRef) {
            if (!l.isOutput()) {
                hidden.add(l);
            }
        }
        if (hidden.size() < 2) {
            return;
        }
        double c0 = hidden.get(0).cosineRaw();
        double cl = hidden.get(hidden.size() - 1).cosineRaw();
        // a first cosine ≤ 0 has no correlation to lose
        boolean decorrelating = c0 > 0 && cl < t.decorrelationRatio() * c0;
        boolean collapsing = cl > t.collapsedCosine();
        for (int i = 1; i < hidden.size(); i++) {
            LayerSignal l = hidden.get(i);
            if (decorrelating && l.cosineRaw() < t.decorrelationRatio() * c0) {
                add(m, Verdict.DECORRELATING, l);
            }
            if (collapsing && l.cosineRaw() > t.collapsedCosine()) {
                add(m, Verdict.COLLAPSING, l);
            }
        }
    }

    private static void add(Map<Verdict, Set<LayerSignal>> m, Verdict v, LayerSignal l) {
        m.computeIfAbsent(v, k -> new LinkedHashSet<>()).add(l);
    }

    /** The layers, in forward (topological) order. */
    public List<LayerSignal> layers() {
        return layers;
    }

    /** The layer at {@code position} in {@link #layers()}. */
    public LayerSignal layer(int position) {
        if (position < 0 || position >= layers.size()) {
            throw new IllegalArgumentException("layer position must be in [0, " + layers.size() + "), got " + position);
        }
        return layers.get(position);
    }

    /** The layer called {@code name}. */
    public LayerSignal layer(String name) {
        for (LayerSignal l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no layer named '" + name + "'; layers are " + names());
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        for (LayerSignal l : layers) {
            n.add(l.name());
        }
        return n;
    }

    /** The verdicts under the thresholds the report was measured with; {HEALTHY} only when no other holds. */
    public Set<Verdict> verdicts() {
        return Collections.unmodifiableSet(EnumSet.copyOf(verdictLayers.keySet()));
    }

    /** The verdicts under other thresholds (the saturation margin, used while measuring, is not re-applied). */
    public Set<Verdict> verdicts(SignalThresholds other) {
        return Collections.unmodifiableSet(EnumSet.copyOf(judge(other).keySet()));
    }

    /**
     * The layers behind a verdict (empty if it does not hold, and for HEALTHY): VANISHING/EXPLODING the
     * weighted layers whose RMS relative to the reference layer crosses the threshold (forward: z against the
     * first weighted layer; backward: δ against the reference layer); DEAD_UNITS/SATURATED the hidden layers
     * over the fraction; NON_FINITE the layers with a NaN or ∞ (empty if only the loss is non-finite).
     */
    public List<LayerSignal> layers(Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        List<LayerSignal> l = verdictLayers.get(verdict);
        return l == null ? Collections.emptyList() : l;
    }

    /**
     * {@code RMS(z_ref)/RMS(z_first)}: over the same layers as {@link #backwardRatio()}, the first weighted layer to
     * the last weighted layer that is not an output layer (an output layer's fan ratio is a one-off factor, not a
     * depth effect); NaN if they are the same layer.
     */
    public double forwardRatio() {
        return forwardRatio;
    }

    /** The first layer both ratios run over (the first weighted layer), if any. */
    public Optional<LayerSignal> firstRatioLayer() {
        return Optional.ofNullable(firstRatioLayer);
    }

    /** The last layer both ratios run over (the last weighted layer that is not an output layer), if any. */
    public Optional<LayerSignal> lastRatioLayer() {
        return Optional.ofNullable(lastRatioLayer);
    }

    /**
     * Where δ first turned non-finite in backprop order: the layer nearest the output whose δ holds a NaN or ±∞,
     * with {@link LayerSignal#preActivationMaxAbs()} its largest |z| (a finite max |z| of a few tens at a smooth
     * activation points to its derivative overflowing, not to the network); empty if every δ is finite.
     */
    public Optional<LayerSignal> firstNonFiniteDelta() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).delta().nonFiniteCount() > 0) {
                return Optional.of(layers.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code √P_first·RMS(δ_first) / (√P_ref·RMS(δ_ref))}, ref the last weighted non-output layer, P a layer's
     * {@link LayerSignal#positions()} (1 for dense layers and for convolutions of equal output size, where this is
     * {@code RMS(δ_first)/RMS(δ_ref)}); NaN if ref is the first.
     */
    public double backwardRatio() {
        return backwardRatio;
    }

    /** Number of examples in the batch. */
    public long examples() {
        return examples;
    }

    /** Mean loss over the batch (without regularization), under synthetic labels if {@link #syntheticLabels()}. */
    public double loss() {
        return loss;
    }

    /** Whether the backward pass used the synthetic loss of {@link SignalPropagation} (features only). */
    public boolean syntheticLabels() {
        return syntheticLabels;
    }

    /** The thresholds the report was judged with. */
    public SignalThresholds thresholds() {
        return thresholds;
    }

    List<Verdict> verdictsOf(LayerSignal l) {
        List<Verdict> v = new ArrayList<>();
        for (Map.Entry<Verdict, List<LayerSignal>> e : verdictLayers.entrySet()) {
            if (e.getValue().contains(l)) {
                v.add(e.getKey());
            }
        }
        return v;
    }

    /** An aligned, human-readable table plus the ratios and verdicts. */
    public String toText() {
        String[] head = {
            "#", "name", "type", "act", "z rms", "a rms", "dead", "sat", "δ rms", "W rms", "gW rms", "gW/W", "fwd",
            "bwd", "cos", "cos c", "χ", "χ pred", "nonfin"
        };
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (LayerSignal l : layers) {
            rows.add(new String[] {
                Integer.toString(l.index()),
                l.name(),
                l.type(),
                l.activationFunction(),
                g(l.preActivation().rms()),
                g(l.activation().rms()),
                f(l.deadFraction()),
                f(l.saturatedFraction()),
                g(l.delta().rms()),
                g(l.weightRms()),
                g(l.gradientWeightRms()),
                g(l.updateRatio()),
                g(l.forwardRatio()),
                g(l.backwardRatio()),
                f(l.cosineRaw()),
                f(l.cosineCentred()),
                g(l.measuredChi()),
                g(l.predictedChi()),
                Long.toString(l.nanCount() + l.infCount())
            });
        }
        StringBuilder sb = new StringBuilder(TextTable.aligned(rows, i -> !(i == 1 || i == 2 || i == 3)));
        sb.append(String.format(
                Locale.ROOT,
                "examples %d, loss %s%s\n",
                examples,
                g(loss),
                syntheticLabels ? " (synthetic labels)" : ""));
        sb.append(String.format(
                Locale.ROOT,
                "forward ratio RMS(z_last)/RMS(z_first) = %s, backward ratio "
                        + "√P·RMS(δ) first/last = %s (P the positions a weight is applied at), both over layers %s .."
                        + " %s (output layer excluded)\n",
                g(forwardRatio),
                g(backwardRatio),
                firstRatioLayer == null ? "-" : firstRatioLayer.name(),
                lastRatioLayer == null ? "-" : lastRatioLayer.name()));
        firstNonFiniteDelta()
                .ifPresent(l -> sb.append(String.format(
                        Locale.ROOT,
                        "δ first non-finite (in backprop " + "order) at layer %s, where max |z| = %s\n",
                        l.name(),
                        g(l.preActivationMaxAbs()))));
        sb.append("verdicts: ");
        boolean firstV = true;
        for (Map.Entry<Verdict, List<LayerSignal>> e : verdictLayers.entrySet()) {
            sb.append(firstV ? "" : ", ").append(e.getKey());
            firstV = false;
            if (!e.getValue().isEmpty()) {
                sb.append(" ").append(namesOf(e.getValue()));
            }
        }
        return sb.append('\n').toString();
    }

    private static List<String> namesOf(List<LayerSignal> ls) {
        List<String> n = new ArrayList<>();
        for (LayerSignal l : ls) {
            n.add(l.name());
        }
        return n;
    }

    private static String g(double v) {
        return Double.isFinite(v)
                ? String.format(Locale.ROOT, "%.3g", v)
                : (Double.isNaN(v) ? "-" : (v > 0 ? "inf" : "-inf"));
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** {@link #CSV_HEADER} then one row per layer, '\n'-terminated. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        appendCsvRows(sb, "");
        return sb.toString();
    }

    /**
     * Appends the {@link #toCsv()} rows without the header, each starting with {@code prefix}: for files that put
     * several reports in one table behind columns of their own (e.g. {@code "xavier,"} under a header
     * {@code "init," + CSV_HEADER}). The prefix is written as given, so it must already be CSV
     * ({@link dev.heinit.internal.text.TextTable#csvField} quotes a field) and end with a comma.
     *
     * @throws IllegalArgumentException if a non-empty prefix does not end with a comma
     */
    public void appendCsvRows(StringBuilder sb, String prefix) {
        if (!prefix.isEmpty() && !prefix.endsWith(",")) {
            throw new IllegalArgumentException("prefix must be empty or end with ',', got '" + prefix + "'");
        }
        SignalReportCsv.appendRows(layers, sb, prefix);
    }

    /** The report as one JSON object (field list in the class comment); non-finite numbers as null. */
    public String toJson() {
        return SignalReportJson.write(this);
    }

    @Override
    public String toString() {
        return toText();
    }
}
