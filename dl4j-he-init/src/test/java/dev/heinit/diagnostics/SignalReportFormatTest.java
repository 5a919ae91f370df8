package dev.heinit.diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalReportFormatTest {

    private static Map<String, Set<String>> golden() throws IOException {
        try (InputStream in = SignalReportFormatTest.class.getResourceAsStream("/diagnostics/report-json-fields.txt")) {
            Map<String, Set<String>> m = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] kv = line.split(":", 2);
                m.put(
                        kv[0].trim(),
                        new LinkedHashSet<>(Arrays.asList(kv[1].trim().split(" +"))));
            }
            return m;
        }
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> s = new LinkedHashSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }

    private static SignalReport nanReport() {
        DataSet batch = TestNets.batch(8, 51);
        batch.getFeatures().putScalar(0, 0, Double.NaN);
        return SignalPropagation.measure(TestNets.mlp(4, 16, Activation.RELU, TestNets.he(), 0, 51), batch);
    }

    @Test
    void jsonHasTheDocumentedFieldsAndValidNumbers() throws IOException {
        Map<String, Set<String>> g = golden();
        SignalReport healthy = SignalPropagation.measure(
                TestNets.mlp(4, 16, Activation.RELU, TestNets.he(), 0, 50), TestNets.batch(8, 50));
        for (SignalReport r : List.of(healthy, nanReport())) {
            JsonNode root = new ObjectMapper().readTree(r.toJson()); // strict JSON: NaN must have become null
            assertEquals(g.get("report"), keys(root));
            assertEquals(SignalReport.JSON_FORMAT, root.get("format").asText());
            assertEquals(g.get("thresholds"), keys(root.get("thresholds")));
            assertEquals(r.layers().size(), root.get("layers").size());
            List<String> verdicts = new ArrayList<>();
            root.get("verdicts").forEach(v -> verdicts.add(v.asText()));
            assertEquals(r.verdicts().stream().map(Enum::name).collect(java.util.stream.Collectors.toList()), verdicts);
            for (int i = 0; i < r.layers().size(); i++) {
                JsonNode l = root.get("layers").get(i);
                assertEquals(g.get("layer"), keys(l));
                for (String s : new String[] {"preActivation", "activation", "delta"}) {
                    assertEquals(g.get("stats"), keys(l.get(s)));
                }
                LayerSignal ls = r.layer(i);
                assertEquals(ls.name(), l.get("name").asText());
                assertEquals(ls.nanCount(), l.get("nanCount").asLong());
                if (Double.isFinite(ls.weightRms())) {
                    assertEquals(ls.weightRms(), l.get("weightRms").asDouble());
                } else {
                    assertTrue(l.get("weightRms").isNull());
                }
            }
        }
        assertTrue(nanReport().toJson().contains("\"NON_FINITE\""));
    }

    @Test
    void csvAndTextAreRegular() throws IOException {
        SignalReport r = nanReport();
        String[] lines = r.toCsv().split("\n");
        assertEquals(SignalReport.CSV_HEADER, lines[0]);
        assertEquals(String.join(",", golden().get("csv")), lines[0]);
        assertEquals(r.layers().size() + 1, lines.length);
        int cols = lines[0].split(",").length;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            assertEquals(cols, f.length);
            assertEquals(r.layer(i - 1).index(), Integer.parseInt(f[0]));
            for (int c = 4; c < f.length; c++) {
                Double.parseDouble(f[c]); // Java's own form, locale-independent; NaN allowed
            }
        }
        String text = r.toText();
        String[] t = text.split("\n");
        for (int i = 1; i <= r.layers().size(); i++) {
            assertEquals(t[0].length(), t[i].length(), "aligned: row " + i);
            assertTrue(t[i].contains(r.layer(i - 1).name()));
        }
        assertTrue(text.contains("NON_FINITE"));
    }
}
