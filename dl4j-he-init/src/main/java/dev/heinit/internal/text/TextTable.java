package dev.heinit.internal.text;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.IntPredicate;

/**
 * Aligned text tables and CSV fields for the library's reports.
 *
 * <p>Column {@code c} is as wide as its widest cell; cells are separated by two spaces, padded on the right
 * (left-aligned) or on the left ({@code rightAligned.test(c)}, for numbers); trailing blanks are dropped and
 * every line ends in {@code '\n'}, whatever the platform. CSV fields follow RFC 4180: a field holding a comma,
 * a quote or a line break is quoted, with quotes doubled. Number cells are written in {@code Locale.ROOT}.
 */
public final class TextTable {

    private TextTable() {}

    /** The rows (the first usually a header) as an aligned table. */
    public static String aligned(List<String[]> rows, IntPredicate rightAligned) {
        int columns = 0;
        for (String[] r : rows) {
            columns = Math.max(columns, r.length);
        }
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(rightAligned.test(c) ? pad + r[c] : r[c] + pad);
                if (c + 1 < r.length) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** One CSV field, quoted only when it must be. */
    public static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** One CSV line of fields, '\n'-terminated. */
    public static String csvRow(String... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csvField(fields[i]));
        }
        return sb.append('\n').toString();
    }

    /**
     * A number cell: empty for NaN, an integer for a whole number below 10¹² in magnitude, otherwise
     * {@code %.<significant>g} in {@code Locale.ROOT} (an infinity prints as {@code Infinity}).
     *
     * @throws IllegalArgumentException if significant is below 1
     */
    public static String number(double v, int significant) {
        if (significant < 1) {
            throw new IllegalArgumentException("significant digits must be at least 1, got " + significant);
        }
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%." + significant + "g", v);
    }

    /** Fans as one {@code in/out} cell, each written by {@code number}; empty when both are NaN. */
    public static String fans(double in, double out, DoubleFunction<String> number) {
        return Double.isNaN(in) && Double.isNaN(out) ? "" : number.apply(in) + "/" + number.apply(out);
    }
}
