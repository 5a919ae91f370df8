package dev.heinit.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import dev.heinit.text.TextTable;

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
        private final String layer;
        private final String type;
        private final String param;
        private final long[] shape;
        private final double dl4jFanIn;
        private final double dl4jFanOut;
        private final double fanIn;
        private final double fanOut;
        private final String fansIgnored;
        private final String fansExact;
        private final String fansPadding;
        private final String feeding;
        private final double gain;
        private final double std;
        private final Status status;
        private final String notes;

        Row(
                String layer,
                String type,
                String param,
                long[] shape,
                double dl4jFanIn,
                double dl4jFanOut,
                double fanIn,
                double fanOut,
                String fansIgnored,
                String fansExact,
                String fansPadding,
                String feeding,
                double gain,
                double std,
                Status status,
                String notes) {
            this.layer = layer;
            this.type = type;
            this.param = param;
            this.shape = shape == null ? new long[0] : shape.clone();
            this.dl4jFanIn = dl4jFanIn;
            this.dl4jFanOut = dl4jFanOut;
            this.fanIn = fanIn;
            this.fanOut = fanOut;
            this.fansIgnored = fansIgnored;
            this.fansExact = fansExact;
            this.fansPadding = fansPadding;
            this.feeding = feeding;
            this.gain = gain;
            this.std = std;
            this.status = status;
            this.notes = notes == null ? "" : notes;
        }

        static Row note(String layer, String type, Status status, String notes) {
            return new Row(
                    layer,
                    type,
                    "-",
                    null,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    "",
                    "",
                    "",
                    "",
                    Double.NaN,
                    Double.NaN,
                    status,
                    notes);
        }

        /** Layer or vertex name (the index for unnamed layers of a MultiLayerConfiguration). */
        public String layer() {
            return layer;
        }

        /** Layer or vertex class, simple name. */
        public String type() {
            return type;
        }

        /** Parameter key, or "-" for a row about a whole layer or vertex. */
        public String param() {
            return param;
        }

        /** The weight shape DL4J passes to the init. */
        public long[] shape() {
            return shape.clone();
        }

        /** The fan_in DL4J passes. */
        public double dl4jFanIn() {
            return dl4jFanIn;
        }

        /** The fan_out DL4J passes. */
        public double dl4jFanOut() {
            return dl4jFanOut;
        }

        /** The true fan_in used (in the configured convention). */
        public double fanIn() {
            return fanIn;
        }

        /** The true fan_out used (in the configured convention). */
        public double fanOut() {
            return fanOut;
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

        String[] cells() {
            return new String[] {
                layer,
                type,
                param,
                shape.length == 0 ? "" : Arrays.toString(shape),
                fans(dl4jFanIn, dl4jFanOut),
                fans(fanIn, fanOut),
                fansIgnored,
                fansExact,
                fansPadding,
                feeding,
                num(gain),
                num(std),
                status.name(),
                notes
            };
        }

        @Override
        public String toString() {
            return String.join(" | ", cells());
        }
    }

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

    /** The rows, in network order. */
    public List<Row> rows() {
        return rows;
    }

    /** The rows about parameter {@code param} of layer {@code layer}, or about the layer itself for "-". */
    public List<Row> rows(String layer, String param) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.layer.equals(layer) && (param == null || r.param.equals(param))) {
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

    /** Aligned, human-readable table; fans are written {@code in/out}. */
    public String toText() {
        List<String[]> all = new ArrayList<>();
        all.add(HEADER);
        for (Row r : rows) {
            all.add(r.cells());
        }
        return TextTable.aligned(all, c -> false);
    }

    /** RFC 4180 CSV with a header line; numbers in {@code Locale.ROOT}, fans as separate columns. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("layer,type,param,shape,dl4j_fan_in,dl4j_fan_out,fan_in,fan_out,"
                + "fans_stride_ignored,fans_stride_exact,fans_padding_aware,feeding,gain,std,status,notes\n");
        for (Row r : rows) {
            sb.append(TextTable.csvRow(
                    r.layer,
                    r.type,
                    r.param,
                    r.shape.length == 0 ? "" : Arrays.toString(r.shape),
                    num(r.dl4jFanIn),
                    num(r.dl4jFanOut),
                    num(r.fanIn),
                    num(r.fanOut),
                    r.fansIgnored,
                    r.fansExact,
                    r.fansPadding,
                    r.feeding,
                    num(r.gain),
                    num(r.std),
                    r.status.name(),
                    r.notes));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    static String fans(double in, double out) {
        return Double.isNaN(in) && Double.isNaN(out) ? "" : num(in) + "/" + num(out);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
