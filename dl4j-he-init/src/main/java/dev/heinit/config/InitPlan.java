package dev.heinit.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import dev.heinit.internal.dl4j.WeightSlot;
import dev.heinit.internal.text.TextTable;

/**
 * The table {@link HeConfigurer} applies: one row per weight parameter (and one per layer or vertex it could not
 * model), with DL4J's fans, the true fans in the three {@link dev.heinit.fan.FanConvention}s, the nonlinearity
 * feeding the layer, the gain and {@code std = gain/√fan}. Printable as aligned text ({@link #toText()}) and CSV
 * ({@link #toCsv()}, numbers in {@code Locale.ROOT}). Immutable.
 */
public final class InitPlan {

    /** What the pass did with a row. */
    public enum Status {
        /** The parameter got a {@link TrueFanInit}. */
        CONFIGURED,
        /** Not a fan-scaled weight: its own init is kept. */
        KEPT,
        /** A layer or vertex whose weights DL4J never passes to a custom init: unchanged. */
        UNSUPPORTED,
        /** A vertex whose effect on the second moment is assumed, as the note says. */
        ASSUMPTION
    }

    /** One row of the plan. */
    public static final class Row {
        private final WeightSlot weight;
        private final String fansIgnored;
        private final String fansExact;
        private final String fansPadding;
        private final String feeding;
        private final double gain;
        private final double std;
        private final Status status;
        private final String notes;
        private final double sigmaW;
        private final double sigmaB;
        private final double fixedPoint;
        private final double chi;
        private final Fixup.Role residualRole;
        private final double residualFactor;

        private Row(RowBuilder b) {
            this.weight = b.weight;
            this.fansIgnored = b.fansIgnored;
            this.fansExact = b.fansExact;
            this.fansPadding = b.fansPadding;
            this.feeding = b.feeding;
            this.gain = b.gain;
            this.std = b.std;
            this.status = b.status;
            this.notes = b.notes == null ? "" : b.notes;
            this.sigmaW = b.sigmaW;
            this.sigmaB = b.sigmaB;
            this.fixedPoint = b.fixedPoint;
            this.chi = b.chi;
            this.residualRole = null;
            this.residualFactor = Double.NaN;
        }

        /** {@code r} after Fixup's {@code f}: std and gain ×factor (0 for a zeroed layer), the role in the notes. */
        private Row(Row r, Fixup.Row f) {
            this.weight = r.weight;
            this.fansIgnored = r.fansIgnored;
            this.fansExact = r.fansExact;
            this.fansPadding = r.fansPadding;
            this.feeding = r.feeding;
            this.gain = r.gain * f.factor();
            this.std = r.std * f.factor();
            this.status = r.status;
            this.notes = Feed.join(
                    r.notes,
                    String.format(
                            Locale.ROOT,
                            "Fixup %s: std ×%.6g (L^(−1/(2m−2)), L %d, m %d%s)",
                            f.role(),
                            f.factor(),
                            f.l(),
                            f.m(),
                            f.branch().isEmpty() ? "" : ", branch ending at '" + f.branch() + "'"));
            this.sigmaW = r.sigmaW;
            this.sigmaB = r.sigmaB;
            this.fixedPoint = r.fixedPoint;
            this.chi = r.chi;
            this.residualRole = f.role();
            this.residualFactor = f.factor();
        }

        /** Fixup's role for this weight ({@link HeConfigurer.Builder#residual}), or null if none. */
        public Fixup.Role residualRole() {
            return residualRole;
        }

        /** The factor Fixup multiplied this weight's std by (0: zeroed), or NaN if none; {@link #std()} includes it. */
        public double residualFactor() {
            return residualFactor;
        }

        static Row note(String layer, String type, Status status, String notes) {
            return new RowBuilder(WeightSlot.named(layer, type, "-"), status)
                    .notes(notes)
                    .build();
        }

        /**
         * The weight the row is about, as its layer's rule handed it out with the true fans chosen (a row about a
         * whole layer or vertex: key "-", no shape). Its type is internal; the accessors below are the stable API.
         */
        public WeightSlot weight() {
            return weight;
        }

        /** Layer or vertex name (the index for unnamed layers of a MultiLayerConfiguration). */
        public String layer() {
            return weight.layer();
        }

        /** Layer or vertex class, simple name. */
        public String type() {
            return weight.type();
        }

        /** Parameter key, or "-" for a row about a whole layer or vertex. */
        public String param() {
            return weight.key();
        }

        /** The weight shape DL4J passes to the init. */
        public long[] shape() {
            return weight.shape();
        }

        /** The fan_in DL4J passes. */
        public double dl4jFanIn() {
            return weight.dl4jFanIn();
        }

        /** The fan_out DL4J passes. */
        public double dl4jFanOut() {
            return weight.dl4jFanOut();
        }

        /** The true fan_in used (in the configured convention). */
        public double fanIn() {
            return weight.fanIn();
        }

        /** The true fan_out used (in the configured convention). */
        public double fanOut() {
            return weight.fanOut();
        }

        /**
         * The nonlinearity feeding this parameter's input (fan_in); {@code out: g'} for the derivative after the layer
         * (fan_out), {@code in: f; out: g'} for both (fan_avg), in the SECOND_MOMENT convention.
         */
        public String feeding() {
            return feeding;
        }

        /** The gain: {@code std·√fan} with fan per the mode. */
        public double gain() {
            return gain;
        }

        /** The standard deviation the weights are drawn with. */
        public double std() {
            return std;
        }

        /** What the pass did. */
        public Status status() {
            return status;
        }

        /** Notes: assumptions, why a parameter was kept or a layer unsupported. */
        public String notes() {
            return notes;
        }

        /**
         * σ_w of a critical configuration: weights N(0, σ_w²/fan_in); NaN outside one, or where the row is not
         * critical (a weight fed by a mixed signal, recurrent weights).
         */
        public double sigmaW() {
            return sigmaW;
        }

        /** σ_b of a critical configuration (biases N(0, σ_b²), drawn by {@link HeConfigurer#drawBiases}), else NaN. */
        public double sigmaB() {
            return sigmaB;
        }

        /**
         * q*, the pre-activation variance the critical point holds (for a first layer: the variance it is set to);
         * 0 in the small-signal limit, NaN for scale-invariant activations and outside a critical configuration.
         */
        public double fixedPoint() {
            return fixedPoint;
        }

        /** χ = σ_w²·E[f'(√q*·z)²] at the row's critical point (1 up to rounding); NaN where not applicable. */
        public double chi() {
            return chi;
        }

        /** The text table's cells, with the critical ones if this row carries them. */
        String[] cells() {
            return cells(!Double.isNaN(sigmaB));
        }

        String[] cells(boolean critical) {
            String[] base = {
                layer(),
                type(),
                param(),
                weight.shapeText(),
                fans(dl4jFanIn(), dl4jFanOut()),
                fans(fanIn(), fanOut()),
                fansIgnored,
                fansExact,
                fansPadding,
                feeding,
                num(gain),
                num(std),
                status.name(),
                notes
            };
            return critical
                    ? insertCritical(base, TEXT_STATUS, num(sigmaW), num(sigmaB), num(fixedPoint), num(chi))
                    : base;
        }

        @Override
        public String toString() {
            return String.join(" | ", cells());
        }
    }

    /** {@code base} with the critical cells inserted at {@code at} (after std, before status). */
    private static String[] insertCritical(String[] base, int at, String... critical) {
        String[] out = new String[base.length + critical.length];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(critical, 0, out, at, critical.length);
        System.arraycopy(base, at, out, at + critical.length, base.length - at);
        return out;
    }

    /** Builds a {@link Row}: every field typed, unset numbers NaN, unset text empty. */
    static final class RowBuilder {
        private final WeightSlot weight;
        private Status status;
        private String fansIgnored = "";
        private String fansExact = "";
        private String fansPadding = "";
        private String feeding = "";
        private double gain = Double.NaN;
        private double std = Double.NaN;
        private String notes = "";
        private double sigmaW = Double.NaN;
        private double sigmaB = Double.NaN;
        private double fixedPoint = Double.NaN;
        private double chi = Double.NaN;

        /** @param weight the weight (with the true fans used) or {@link WeightSlot#named} for a whole layer */
        RowBuilder(WeightSlot weight, Status status) {
            this.weight = weight;
            this.status = status;
        }

        /** The fans in the three conventions, as {@code in/out} cells (empty when not fan-scaled). */
        RowBuilder conventions(String ignored, String exact, String padding) {
            this.fansIgnored = ignored;
            this.fansExact = exact;
            this.fansPadding = padding;
            return this;
        }

        RowBuilder feeding(String feeding) {
            this.feeding = feeding == null ? "" : feeding;
            return this;
        }

        /** The standard deviation drawn with, and the gain {@code std·√fan} (fan per the mode). */
        RowBuilder std(double std, double fan) {
            this.std = std;
            this.gain = std * Math.sqrt(fan);
            return this;
        }

        /** σ_w, σ_b, q* and χ of a critical configuration's row (NaN where not applicable). */
        RowBuilder critical(double sigmaW, double sigmaB, double fixedPoint, double chi) {
            this.sigmaW = sigmaW;
            this.sigmaB = sigmaB;
            this.fixedPoint = fixedPoint;
            this.chi = chi;
            return this;
        }

        RowBuilder status(Status status) {
            this.status = status;
            return this;
        }

        RowBuilder notes(String notes) {
            this.notes = notes;
            return this;
        }

        Row build() {
            return new Row(this);
        }
    }

    private static final int TEXT_STATUS = 12; // index of the status cell in the text table

    private static final String[] HEADER = {
        "layer",
        "type",
        "param",
        "shape",
        "dl4j fans",
        "true fans",
        "stride-ignored",
        "stride-exact",
        "padding-aware",
        "feeding",
        "gain",
        "std",
        "status",
        "notes"
    };

    private final List<Row> rows;

    InitPlan(List<Row> rows) {
        this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** This plan with Fixup's rows applied to the weight rows ("W") of the layers they name. */
    InitPlan withResidual(List<Fixup.Row> fixup) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            Fixup.Row match = null;
            for (Fixup.Row f : fixup) {
                if (f.layer().equals(r.layer()) && "W".equals(r.param())) {
                    match = f;
                }
            }
            out.add(match == null ? r : new Row(r, match));
        }
        return new InitPlan(out);
    }

    /** The rows, in network order. */
    public List<Row> rows() {
        return rows;
    }

    /** The rows about parameter {@code param} of layer {@code layer}, or about the layer itself for "-". */
    public List<Row> rows(String layer, String param) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.layer().equals(layer) && (param == null || r.param().equals(param))) {
                out.add(r);
            }
        }
        return out;
    }

    /** The rows with this status. */
    public List<Row> rows(Status status) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.status == status) {
                out.add(r);
            }
        }
        return out;
    }

    /** True if this is the plan of a critical configuration: its rows carry σ_w, σ_b, q* and χ. */
    public boolean isCritical() {
        for (Row r : rows) {
            if (!Double.isNaN(r.sigmaB)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Aligned, human-readable table; fans are written {@code in/out}. A critical plan ({@link #isCritical()}) has the
     * columns σ_w, σ_b, q* and χ after std.
     */
    public String toText() {
        boolean critical = isCritical();
        List<String[]> all = new ArrayList<>();
        all.add(critical ? insertCritical(HEADER, TEXT_STATUS, "σ_w", "σ_b", "q*", "χ") : HEADER);
        for (Row r : rows) {
            all.add(r.cells(critical));
        }
        return TextTable.aligned(all, c -> false);
    }

    /**
     * RFC 4180 CSV with a header line; numbers in {@code Locale.ROOT}, fans as separate columns. A critical plan has
     * the columns {@code sigma_w,sigma_b,q_star,chi} after {@code std}.
     */
    public String toCsv() {
        boolean critical = isCritical();
        StringBuilder sb = new StringBuilder("layer,type,param,shape,dl4j_fan_in,dl4j_fan_out,fan_in,fan_out,"
                + "fans_stride_ignored,fans_stride_exact,fans_padding_aware,feeding,gain,std,"
                + (critical ? "sigma_w,sigma_b,q_star,chi," : "") + "status,notes\n");
        for (Row r : rows) {
            String[] c = {
                r.layer(),
                r.type(),
                r.param(),
                r.weight.shapeText(),
                num(r.dl4jFanIn()),
                num(r.dl4jFanOut()),
                num(r.fanIn()),
                num(r.fanOut()),
                r.fansIgnored,
                r.fansExact,
                r.fansPadding,
                r.feeding,
                num(r.gain),
                num(r.std),
                r.status.name(),
                r.notes
            };
            sb.append(TextTable.csvRow(
                    critical
                            ? insertCritical(
                                    c, c.length - 2, num(r.sigmaW), num(r.sigmaB), num(r.fixedPoint), num(r.chi))
                            : c));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    static String fans(double in, double out) {
        return TextTable.fans(in, out, InitPlan::num);
    }

    static String num(double v) {
        return TextTable.number(v, 6);
    }
}
