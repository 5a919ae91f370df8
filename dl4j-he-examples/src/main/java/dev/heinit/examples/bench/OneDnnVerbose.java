package dev.heinit.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sums oneDNN's verbose execution lines ({@code DNNL_VERBOSE=1}, oneDNN 2.x:
 * {@code dnnl_verbose,exec,cpu,KIND,IMPL,PROP,MEMORY DESCRIPTORS,ATTR,AUX,PROBLEM,MS}) into rows by primitive kind,
 * propagation kind, layouts and problem size: what the convolution calls spend on compute versus layout reorders.
 */
public final class OneDnnVerbose {

    /** One group of primitive executions: total milliseconds and count. */
    public record Group(String kind, String what, String problem, double millis, int count) {}

    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private double total;

    /** Adds one output line; lines that are not oneDNN execution records are ignored. */
    public void add(String line) {
        if (!line.startsWith("dnnl_verbose,exec,") && !line.startsWith("onednn_verbose,exec,")) {
            return;
        }
        String[] f = line.split(",", -1);
        if (f.length < 11) {
            return;
        }
        double ms;
        try {
            ms = Double.parseDouble(f[f.length - 1].trim());
        } catch (NumberFormatException e) {
            return;
        }
        String kind = f[3];
        String what = "reorder".equals(kind) ? layouts(f[6]) : f[5] + " " + f[4];
        String key = kind + "\u0000" + what + "\u0000" + f[f.length - 2];
        double[] s = sums.computeIfAbsent(key, k -> new double[2]);
        s[0] += ms;
        s[1]++;
        total += ms;
    }

    /** "abcd -> acdb" from a reorder's memory descriptors. */
    private static String layouts(String mds) {
        List<String> l = new ArrayList<>();
        for (String md : mds.trim().split(" ")) {
            String[] p = md.split(":");
            if (p.length >= 4) {
                l.add(p[3] + (p[1].contains("p") ? " (padded)" : ""));
            }
        }
        return String.join(" -> ", l);
    }

    /** Total milliseconds of all executions added. */
    public double totalMillis() {
        return total;
    }

    /** Groups, largest total time first. */
    public List<Group> groups() {
        List<Group> g = new ArrayList<>();
        sums.forEach((k, s) -> {
            String[] p = k.split("\u0000", 3);
            g.add(new Group(p[0], p[1], p[2], s[0], (int) s[1]));
        });
        g.sort((a, b) -> Double.compare(b.millis(), a.millis()));
        return g;
    }

    /** Milliseconds by kind: "convolution" and "reorder" (and any other kind seen). */
    public Map<String, Double> byKind() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Group g : groups()) {
            m.merge(g.kind(), g.millis(), Double::sum);
        }
        return m;
    }

    /** A markdown table of the {@code top} largest groups, times per training iteration. */
    public String table(int top, int iterations) {
        StringBuilder b = new StringBuilder(
                "| primitive | pass / layouts | problem | calls per iteration | ms per iteration | share |\n"
                        + "|---|---|---|---:|---:|---:|\n");
        for (Group g : groups().subList(0, Math.min(top, groups().size()))) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.1f | %.2f | %.1f %% |%n",
                    g.kind(),
                    g.what(),
                    g.problem(),
                    (double) g.count() / iterations,
                    g.millis() / iterations,
                    100 * g.millis() / total));
        }
        return b.toString();
    }
}
