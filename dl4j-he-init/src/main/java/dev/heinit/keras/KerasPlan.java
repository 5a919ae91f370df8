package dev.heinit.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.heinit.internal.dl4j.WeightSlot;
import dev.heinit.internal.text.TextTable;

/**
 * What {@link KerasReinit} did, per weight and bias: Keras's initializer and fans, the init DL4J's import gave and
 * the std of one draw of it, Keras's std by formula, the ratio DL4J / Keras, and the change made. Immutable.
 */
public final class KerasPlan {

    /** What happened to one weight or bias. */
    public enum Change {
        /** The slot now draws Keras's init with Keras's fans. */
        REINITIALIZED,
        /** Left as imported (the reason is in the notes). */
        UNCHANGED,
        /** Could not be mapped; left as imported. */
        UNMAPPED
    }

    /** One row of the plan. */
    public static final class Row {
        private final WeightSlot weight;
        private final String keras;
        private final String dl4jInit;
        private final double dl4jStd;
        private final double kerasStd;
        private final Change change;
        private final String notes;

        /** @param weight the weight, drawn with Keras's fans (NaN if none) */
        Row(
                WeightSlot weight,
                String keras,
                String dl4jInit,
                double dl4jStd,
                double kerasStd,
                Change change,
                String notes) {
            this.weight = weight;
            this.keras = keras == null ? "" : keras;
            this.dl4jInit = dl4jInit == null ? "" : dl4jInit;
            this.dl4jStd = dl4jStd;
            this.kerasStd = kerasStd;
            this.change = change;
            this.notes = notes == null ? "" : notes;
        }

        /**
         * The weight the row is about, as its layer's rule handed it out, drawn with Keras's fans (a bias: key "b", no
         * shape). Its type is internal; the accessors below are the stable API.
         */
        public WeightSlot weight() {
            return weight;
        }

        /** Layer name. */
        public String layer() {
            return weight.layer();
        }

        /** DL4J layer type. */
        public String type() {
            return weight.type();
        }

        /** DL4J parameter key (W, RW, pW, fW, …, b) or "-". */
        public String param() {
            return weight.key();
        }

        /** The DL4J weight shape (empty if none). */
        public long[] shape() {
            return weight.shape();
        }

        /** Keras's initializer, as configured. */
        public String keras() {
            return keras;
        }

        /** Keras's fan_in of the weight (NaN if none). */
        public double fanIn() {
            return weight.fanIn();
        }

        /** Keras's fan_out of the weight (NaN if none). */
        public double fanOut() {
            return weight.fanOut();
        }

        /** The init DL4J's import gave. */
        public String dl4jInit() {
            return dl4jInit;
        }

        /** Std of one draw of DL4J's imported init with the fans DL4J passes (NaN if not sampled). */
        public double dl4jStd() {
            return dl4jStd;
        }

        /** Std Keras's formula gives at Keras's fans (NaN if not known). */
        public double kerasStd() {
            return kerasStd;
        }

        /** {@code dl4jStd / kerasStd}. */
        public double ratio() {
            return dl4jStd / kerasStd;
        }

        /** What was done. */
        public Change change() {
            return change;
        }

        /** Why, or anything else to know. */
        public String notes() {
            return notes;
        }

        String[] cells() {
            return new String[] {
                layer(),
                type(),
                param(),
                weight.shapeText(),
                keras,
                fans(fanIn(), fanOut()),
                dl4jInit,
                num(dl4jStd),
                num(kerasStd),
                num(ratio()),
                change.name(),
                notes
            };
        }

        @Override
        public String toString() {
            return String.join(" | ", cells());
        }
    }

    private final List<Row> rows;
    private final KerasDialect dialect;

    KerasPlan(List<Row> rows, KerasDialect dialect) {
        this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
        this.dialect = dialect;
    }

    /** Every row, in layer order. */
    public List<Row> rows() {
        return rows;
    }

    /** The rows with this change. */
    public List<Row> rows(Change change) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.change == change) {
                out.add(r);
            }
        }
        return out;
    }

    /** The Keras dialect the initializers were read in. */
    public KerasDialect dialect() {
        return dialect;
    }

    /** Aligned table. */
    public String toText() {
        List<String[]> all = new ArrayList<>();
        all.add(new String[] {
            "layer",
            "type",
            "param",
            "shape",
            "keras",
            "keras fans",
            "dl4j init",
            "dl4j std",
            "keras std",
            "ratio",
            "change",
            "notes"
        });
        for (Row r : rows) {
            all.add(r.cells());
        }
        return TextTable.aligned(all, c -> c >= 7 && c <= 9);
    }

    /** RFC 4180 CSV with a header line, numbers in {@code Locale.ROOT}. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("layer,type,param,shape,keras,keras_fan_in,keras_fan_out,dl4j_init,"
                + "dl4j_std,keras_std,ratio,change,notes\n");
        for (Row r : rows) {
            sb.append(TextTable.csvRow(
                    r.layer(),
                    r.type(),
                    r.param(),
                    r.weight.shapeText(),
                    r.keras,
                    num(r.fanIn()),
                    num(r.fanOut()),
                    r.dl4jInit,
                    num(r.dl4jStd),
                    num(r.kerasStd),
                    num(r.ratio()),
                    r.change.name(),
                    r.notes));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    static String fans(double in, double out) {
        return TextTable.fans(in, out, KerasPlan::num);
    }

    static String num(double v) {
        return Double.isInfinite(v) ? "" : TextTable.number(v, 4);
    }
}
