package dev.heinit.examples.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The phases of one training iteration as {@code bench --profile}'s workers report them (lines
 * {@code "@@PHASE <ms per iteration> <phase>"}, see {@link PhaseTimer}), for the stock and the fast path side by
 * side.
 */
public final class PhaseProfile {

    private PhaseProfile() {}

    /** Milliseconds per iteration by phase, from a worker's lines (other lines ignored). */
    public static Map<String, Double> parse(List<String> lines, String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith(prefix) && !l.startsWith(prefix + "iterations ")) {
                String[] f = l.substring(prefix.length()).split(" ", 2);
                m.put(f[1], Double.parseDouble(f[0]));
            }
        }
        return m;
    }

    /** The iteration count a worker reports (warm-up included), or 0. */
    public static int iterations(List<String> lines, String prefix) {
        for (String l : lines) {
            if (l.startsWith(prefix + "iterations ")) {
                return Integer.parseInt(
                        l.substring((prefix + "iterations ").length()).trim());
            }
        }
        return 0;
    }

    /** Markdown table: phase, stock ms, share, fast ms, share (shares of the sum of the listed phases). */
    public static String table(Map<String, Double> stock, Map<String, Double> fast) {
        double st = stock.values().stream().mapToDouble(Double::doubleValue).sum();
        double ft = fast.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder b = new StringBuilder(
                "| phase | stock ms/iteration | share | fast ms/iteration | share |\n" + "|---|---:|---:|---:|---:|\n");
        for (String k : fast.keySet()) {
            double s = stock.getOrDefault(k, Double.NaN);
            double f = fast.get(k);
            b.append(String.format(
                    Locale.ROOT, "| %s | %.2f | %.0f %% | %.2f | %.0f %% |%n", k, s, 100 * s / st, f, 100 * f / ft));
        }
        b.append(String.format(Locale.ROOT, "| total | %.2f | | %.2f | |%n", st, ft));
        return b.toString();
    }
}
