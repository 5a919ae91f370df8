package dev.heinit.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.heinit.prognosis.Prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks on the reports' prognosis sections: every run's row, and validate's confusion table and agreement. */
final class PrognosisCells {

    private PrognosisCells() {}

    /** The rows of "## Prognosis and early warnings" by run label, cells trimmed (label first). */
    static Map<String, List<String>> runs(String md) {
        List<String> lines = section(md, "## Prognosis and early warnings");
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String l : lines.subList(2, lines.size())) {
            List<String> c = Arrays.stream(l.split("\\|")).map(String::trim).toList();
            m.put(c.get(1), c.subList(1, c.size()));
        }
        return m;
    }

    /** The table lines right after {@code heading} (header and separator included). */
    private static List<String> section(String md, String heading) {
        List<String> all = md.lines().toList();
        int h = all.indexOf(heading);
        assertTrue(h >= 0, "no '" + heading + "' in " + md);
        return all.subList(h + 2, all.size()).stream()
                .takeWhile(l -> l.startsWith("|"))
                .toList();
    }

    /**
     * A run's row: a measured prediction of the library's enum, the outcome the issue defines from the row's own
     * best accuracy (or DIVERGES if {@code diverged}), a positive finite probe CPU time.
     */
    static void checkRun(List<String> c, boolean diverged) {
        String row = String.join(" | ", c);
        assertTrue(
                Arrays.stream(Prediction.values()).anyMatch(p -> p.name().equals(c.get(1))),
                "prediction not one of " + Arrays.toString(Prediction.values()) + ": " + row);
        String expected;
        if (diverged) {
            expected = "DIVERGES";
        } else {
            double best = Double.parseDouble(c.get(3).replace("%", "").trim());
            expected = best >= 85 ? "TRAINS" : "STALLS";
        }
        assertEquals(expected, c.get(2), "outcome: " + row);
        SignalCells.positiveFinite(c.get(4), row);
        assertTrue(c.get(5).endsWith(" %"), "probe / run CPU as a percentage: " + row);
        SignalCells.positiveFinite(c.get(5).replace("%", "").trim(), row);
        assertTrue(!c.get(6).isEmpty(), "the sentence: " + row);
        assertTrue(!c.get(7).isEmpty(), "early warnings ('none' if none): " + row);
    }

    /**
     * validate's confusion table agrees with the run rows: one count per run with an outcome in its (prediction,
     * outcome) cell, totals summing to {@code runs}, "Agreement: k / n" its diagonal, one listed miss per off-diagonal
     * run.
     */
    static void checkConfusion(String md, Map<String, List<String>> runs) {
        List<String> t = section(md, "## Does the prognosis predict the outcome?");
        List<String> outcomes =
                Arrays.stream(t.get(0).split("\\|")).map(String::trim).toList().subList(2, 5);
        assertEquals(List.of("TRAINS", "STALLS", "DIVERGES"), outcomes, t.get(0));
        int n = 0;
        int k = 0;
        for (String l : t.subList(2, t.size())) {
            List<String> c = Arrays.stream(l.split("\\|")).map(String::trim).toList();
            String prediction = c.get(1);
            int total = 0;
            for (int j = 0; j < 3; j++) {
                int count = Integer.parseInt(c.get(2 + j));
                String o = outcomes.get(j);
                long expected = runs.values().stream()
                        .filter(r -> r.get(1).equals(prediction) && r.get(2).equals(o))
                        .count();
                assertEquals(expected, count, "cell " + prediction + " × " + o + " in " + t);
                total += count;
                if (prediction.equals(o)) {
                    k += count;
                }
            }
            assertEquals(total, Integer.parseInt(c.get(5)), l);
            n += total;
        }
        assertEquals(runs.size(), n, "the table counts every run: " + t);
        Matcher a = Pattern.compile("Agreement: \\*\\*(\\d+) / (\\d+)\\*\\*").matcher(md);
        assertTrue(a.find(), md);
        assertEquals(k, Integer.parseInt(a.group(1)), a.group());
        assertEquals(n, Integer.parseInt(a.group(2)), a.group());
        assertTrue(md.contains("### Misses (" + (n - k) + ")"), md);
        for (var e : runs.entrySet()) {
            boolean miss = !e.getValue().get(1).equals(e.getValue().get(2));
            assertEquals(miss, md.contains("- " + e.getKey() + ": predicted "), "listed as a miss: " + e.getKey());
        }
    }
}
