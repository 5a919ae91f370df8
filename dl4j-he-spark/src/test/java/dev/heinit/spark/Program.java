package dev.heinit.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.heinit.examples.Main;
import dev.heinit.examples.report.MetricsCsv;
import dev.heinit.examples.report.MetricsRow;

/** The examples program run in the test's JVM with stdout captured, and its metrics.csv read back. */
final class Program {

    private Program() {}

    /** Exit code and what the program printed. */
    record Outcome(int code, String out) {}

    /** Runs the program in this JVM with stdout captured (System.out is shared: one program at a time). */
    static synchronized Outcome run(List<String> args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out); // in the test's report too
        return new Outcome(code, out);
    }

    /** Rows by run ("he s1"), in iteration order, with the time columns (seconds, examples/s) zeroed. */
    static Map<String, List<MetricsRow>> byRun(Path csv) throws Exception {
        return MetricsCsv.read(csv).stream()
                .map(r -> new MetricsRow(
                        r.init(),
                        r.activation(),
                        r.depth(),
                        r.seed(),
                        r.epoch(),
                        r.iteration(),
                        r.trainLoss(),
                        r.testAccuracy(),
                        0,
                        0))
                .sorted(Comparator.comparingInt(MetricsRow::iteration))
                .collect(Collectors.groupingBy(r -> r.init() + " s" + r.seed(), TreeMap::new, Collectors.toList()));
    }

    /** The runs of metrics.csv in the order the file lists them, each once ("he s1", "xavier s1", ...). */
    static List<String> runOrder(Path csv) throws Exception {
        return MetricsCsv.read(csv).stream()
                .map(r -> r.init() + " s" + r.seed())
                .distinct()
                .toList();
    }
}
