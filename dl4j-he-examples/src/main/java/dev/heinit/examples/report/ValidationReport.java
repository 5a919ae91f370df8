package dev.heinit.examples.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;

import static dev.heinit.examples.report.CellRuns.at;
import static dev.heinit.examples.report.CellRuns.epochEnds;
import static dev.heinit.examples.report.CellRuns.label;
import static dev.heinit.examples.report.CellRuns.last;
import static dev.heinit.examples.report.CellRuns.lastEpoch;
import static dev.heinit.examples.report.CellRuns.result;

/**
 * {@code validate}'s report, validation.md: the matrix of final test accuracies, the claims checked on these
 * runs, every run with its signal at initialization next to its test accuracy after epochs 1, 2, 5 and the last,
 * and per network an accuracy and a loss chart ({@code <arch>-<activation>-accuracy.png}, {@code ...-loss.png}).
 */
public final class ValidationReport implements RunReport {

    /** File name. */
    public static final String FILE = "validation.md";
    /** Epochs whose test accuracy gets a column (plus the last). */
    static final int[] EPOCH_COLUMNS = {1, 2, 5};

    private final List<ValidationCell> cells;
    private final Map<ValidationCell, String> notApplicable;
    private final List<Long> seeds;
    private final List<String> header;

    /**
     * @param cells         the matrix, in report order
     * @param notApplicable cells skipped, with the library's reason
     * @param seeds         seeds every applicable cell runs with
     * @param header        lines describing the invocation
     */
    public ValidationReport(
            List<ValidationCell> cells,
            Map<ValidationCell, String> notApplicable,
            List<Long> seeds,
            List<String> header) {
        this.cells = List.copyOf(cells);
        this.notApplicable = Map.copyOf(notApplicable);
        this.seeds = List.copyOf(seeds);
        this.header = List.copyOf(header);
    }

    @Override
    public void write(
            Path out,
            List<RunResult> results,
            Map<String, InitSignal> signals,
            RunNotes notes,
            List<MetricsRow> rows,
            List<FailedAttempt> retried,
            boolean interrupted)
            throws IOException {
        Files.writeString(
                out.resolve(FILE),
                markdown(results, signals, notes, rows, retried, interrupted),
                StandardCharsets.UTF_8);
        for (String net : nets()) {
            ValidationCell any =
                    cells.stream().filter(c -> c.net().equals(net)).findFirst().orElseThrow();
            List<MetricsRow> mine = rows.stream()
                    .filter(r -> r.depth() == any.depth()
                            && r.activation().equals(any.activation().cliName()))
                    .toList();
            Charts.write(
                    mine,
                    out,
                    any.arch().cliName() + " " + any.activation().cliName() + " CNN, depth " + any.depth(),
                    chartPrefix(any));
        }
    }

    /** File-name prefix of a net's charts, e.g. "plain-leaky0.2-". */
    static String chartPrefix(ValidationCell c) {
        return c.arch().cliName() + "-" + c.activation().cliName().replace(":", "") + "-";
    }

    /** The nets in report order: plain ones first (as the matrix lists them), then residual ones. */
    private List<String> nets() {
        return plainFirst().stream().map(ValidationCell::net).distinct().toList();
    }

    private List<ValidationCell> plainFirst() {
        List<ValidationCell> c = new ArrayList<>(
                cells.stream().filter(x -> x.arch() == Arch.PLAIN).toList());
        c.addAll(cells.stream().filter(x -> x.arch() != Arch.PLAIN).toList());
        return c;
    }

    String markdown(
            List<RunResult> results,
            Map<String, InitSignal> signals,
            RunNotes notes,
            List<MetricsRow> rows,
            List<FailedAttempt> retried,
            boolean interrupted) {
        StringBuilder b = new StringBuilder("# validate: does the signal at initialization predict who trains?\n\n");
        if (interrupted) {
            b.append(
                    "**Interrupted**: runs that had not finished are marked; metrics.csv holds every complete row.\n\n");
        }
        Failures.appendHead(b, results, retried);
        matrix(b, results, rows);
        checks(b, results, rows);
        PrognosisTable.appendConfusion(b, results, notes);
        PrognosisTable.appendRuns(b, results, notes);
        everyRun(b, results, signals, rows);
        b.append("\n## Charts\n\n");
        for (String net : nets()) {
            ValidationCell c =
                    cells.stream().filter(x -> x.net().equals(net)).findFirst().orElseThrow();
            String p = chartPrefix(c);
            b.append("### ")
                    .append(net)
                    .append("\n\n![test accuracy](")
                    .append(p)
                    .append(Charts.ACCURACY_PNG)
                    .append(")\n![training loss](")
                    .append(p)
                    .append(Charts.LOSS_PNG)
                    .append(")\n\n");
        }
        b.append("## How this was run\n\n");
        for (String h : header) {
            b.append("- ").append(h).append('\n');
        }
        Failures.appendRetried(b, retried);
        return b.toString();
    }

    private void matrix(StringBuilder b, List<RunResult> results, List<MetricsRow> rows) {
        Set<InitScheme> inits = new LinkedHashSet<>();
        plainFirst().forEach(c -> inits.add(c.init()));
        b.append("## Test accuracy after the last epoch")
                .append(seeds.size() > 1 ? " (seeds " + join(seeds) + ")" : "")
                .append("\n\n| net | epochs |");
        inits.forEach(i -> b.append(' ').append(i.cliName()).append(" |"));
        b.append("\n|---|---:|");
        inits.forEach(i -> b.append("---:|"));
        b.append('\n');
        for (String net : nets()) {
            ValidationCell any =
                    cells.stream().filter(c -> c.net().equals(net)).findFirst().orElseThrow();
            b.append("| ").append(net).append(" | ").append(any.epochs()).append(" |");
            for (InitScheme i : inits) {
                ValidationCell cell = cells.stream()
                        .filter(c -> c.net().equals(net) && c.init() == i)
                        .findFirst()
                        .orElse(null);
                b.append(' ')
                        .append(cell == null ? "" : cellText(cell, results, rows))
                        .append(" |");
            }
            b.append('\n');
        }
        b.append("\nn/a: the library rejects the init for that activation (reason under *Every run*); div.: the loss "
                + "became NaN/inf; (ep. N): interrupted after epoch N; not run: interrupted before it started.\n\n");
    }

    private String cellText(ValidationCell cell, List<RunResult> results, List<MetricsRow> rows) {
        if (notApplicable.containsKey(cell)) {
            return "n/a";
        }
        List<String> parts = new ArrayList<>();
        for (long s : seeds) {
            RunResult r = result(cell, s, results);
            if (r != null && r.diverged()) {
                parts.add("div.");
            } else {
                OptionalDouble a = last(cell, s, rows);
                int e = lastEpoch(cell, s, rows);
                String partial = a.isPresent() && e < cell.epochs() ? " (ep. " + e + ")" : "";
                parts.add(a.isPresent() ? pct(a.getAsDouble()) + partial : r == null ? "not run" : "–");
            }
        }
        return String.join(" / ", parts);
    }

    private void everyRun(
            StringBuilder b, List<RunResult> results, Map<String, InitSignal> signals, List<MetricsRow> rows) {
        b.append("## Every run: the signal at initialization, then test accuracy\n\n");
        b.append("| net | init | seed | forward ratio | backward ratio | RMS last hidden | cosine first → last | "
                + "centred cosine first → last | verdicts at init |");
        for (int e : EPOCH_COLUMNS) {
            b.append(" epoch ").append(e).append(" |");
        }
        b.append(" last | outcome |\n|---|---|---:|---:|---:|---:|---:|---:|---|");
        for (int e : EPOCH_COLUMNS) {
            b.append("---:|");
        }
        b.append("---:|---|\n");
        List<String> reasons = new ArrayList<>();
        for (ValidationCell c : plainFirst()) {
            String why = notApplicable.get(c);
            if (why != null) {
                b.append("| ")
                        .append(c.net())
                        .append(" | ")
                        .append(c.init().cliName())
                        .append(" | | | | | | | | n/a |");
                for (int i = 0; i < EPOCH_COLUMNS.length; i++) {
                    b.append(" |");
                }
                b.append(" | not applicable |\n");
                reasons.add(c.init().cliName() + " with " + c.activation().cliName() + ": " + why);
                continue;
            }
            for (long s : seeds) {
                InitSignal sig = signals.get(label(c, s));
                RunResult r = result(c, s, results);
                b.append("| ")
                        .append(c.net())
                        .append(" | ")
                        .append(c.init().cliName())
                        .append(" | ")
                        .append(s);
                if (sig == null) {
                    b.append(" | | | | | | |");
                } else {
                    b.append(" | ")
                            .append(InitSignal.g(sig.forwardRatio()))
                            .append(" | ")
                            .append(InitSignal.g(sig.backwardRatio()))
                            .append(" | ")
                            .append(InitSignal.g(sig.lastRms()))
                            .append(" | ")
                            .append(InitSignal.f2(sig.cosFirst()))
                            .append(" → ")
                            .append(InitSignal.f2(sig.cosLast()))
                            .append(" | ")
                            .append(InitSignal.f2(sig.centredFirst()))
                            .append(" → ")
                            .append(InitSignal.f2(sig.centredLast()))
                            .append(" | ")
                            .append(sig.verdicts())
                            .append(" |");
                }
                for (int e : EPOCH_COLUMNS) {
                    OptionalDouble a = at(c, s, e, rows);
                    b.append(' ')
                            .append(a.isPresent() ? pct(a.getAsDouble()) : "")
                            .append(" |");
                }
                OptionalDouble l = last(c, s, rows);
                int lastEpoch = lastEpoch(c, s, rows);
                b.append(' ')
                        .append(l.isPresent() ? pct(l.getAsDouble()) + " (" + lastEpoch + ")" : "")
                        .append(" | ")
                        .append(outcome(r))
                        .append(" |\n");
            }
        }
        b.append("\nSignal at init: measured by the library on ")
                .append(InitSignal.PROBE_EXAMPLES)
                .append(" training examples before the first step. Forward ratio RMS(z_last)/RMS(z_first) of the "
                        + "pre-activations over the weighted layers; backward ratio √P·RMS(δ_first)/(√P·RMS(δ_last hidden)) (P: positions per weight, H·W of a conv output), "
                        + "δ = ∂L/∂z (per element: the first layer's 28×28 maps spread the gradient over more units "
                        + "than the 4×4 ones, so even a healthy net has a ratio below 1); verdicts at the library's "
                        + "default thresholds (0.1, 10). Cosine: mean cosine similarity between two different examples' "
                        + "activations at the first and the last hidden layer (the library's ExampleCorrelation), raw "
                        + "and centred (batch mean removed): a raw value rising towards 1 with depth means the net maps "
                        + "every input alike (ordered), one that stays low means inputs stay apart or are pulled apart "
                        + "(chaotic). The centred value is about -1/(n-1) = -0.008 whenever the examples' centred norms "
                        + "are alike (the centred vectors sum to zero), so only departures from that say something. "
                        + "Test accuracy in %, the last column with its epoch.\n");
        for (String r : reasons) {
            b.append("\nNot applicable: ").append(r).append('\n');
        }
    }

    private static String outcome(RunResult r) {
        if (r == null) {
            return "not run";
        }
        if (r.diverged()) {
            return "diverged at iteration " + r.divergedAt();
        }
        return "interrupted".equals(r.fastPath()) ? "interrupted" : "finished";
    }

    /** The claims, each evaluated on these runs: PASS, FAIL or NOT RUN, with the numbers. */
    private void checks(StringBuilder b, List<RunResult> results, List<MetricsRow> rows) {
        b.append("## The claims, checked on these runs\n\n");
        List<String> library = List.of("he", "he-fanout", "he-critical", "he-auto", "lsuv", "lsuv-small", "he+lsuv");
        Arch plain = Arch.PLAIN;
        claim(
                b,
                "relu: `he` ≥ 90 % and `xavier` ≤ 20 % after the last epoch",
                all(plain, "relu", "he", rows, results, a -> a.last >= 0.90),
                all(plain, "relu", "xavier", rows, results, a -> a.last <= 0.20));
        claim(
                b,
                "leaky:0.2: `he` ≥ 90 % within 10 epochs",
                all(plain, "leaky:0.2", "he", rows, results, a -> a.bestWithin10 >= 0.90));
        claim(
                b,
                "silu: `he-relu` (what users have today) ≤ 20 % after epoch 5",
                all(plain, "silu", "he-relu", rows, results, a -> a.epoch5 <= 0.20));
        for (String act : List.of("silu", "gelu")) {
            List<String> found = new ArrayList<>();
            Boolean any = null;
            for (String init : library) {
                Boolean ok = majority(plain, act, init, rows, results, a -> a.bestWithin10 >= 0.85, found);
                any = or(any, ok);
            }
            b.append(String.format(
                    Locale.ROOT,
                    "- **%s** %s: some library init ≥ 85 %% within 10 epochs%s — %s%n",
                    verdict(any),
                    act,
                    seeds.size() > 1 ? " in a majority of seeds" : "",
                    String.join("; ", found)));
        }
        List<String> found = new ArrayList<>();
        Boolean res = null;
        for (String init : List.of("he-auto", "lsuv")) {
            Boolean ok = majority(Arch.RESIDUAL, "relu", init, rows, results, a -> a.bestWithin5 >= 0.90, found);
            res = or(res, ok);
        }
        b.append(String.format(
                Locale.ROOT,
                "- **%s** residual relu: `he-auto` or `lsuv` ≥ 90 %% within 5 epochs — %s%n",
                verdict(res),
                String.join("; ", found)));
        List<String> he = new ArrayList<>();
        majority(Arch.RESIDUAL, "relu", "he", rows, results, a -> true, he);
        b.append("- residual relu, plain `he` (reported, not judged): ")
                .append(he.isEmpty() ? "not run" : String.join("; ", he))
                .append("\n\n");
    }

    /** Three-valued or: null (not run) unless one of them ran. */
    private static Boolean or(Boolean a, Boolean b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a || b;
    }

    /** Three-valued and: null (not run) if either did not run. */
    private static Boolean and(Boolean a, Boolean b) {
        if (a == null || b == null) {
            return null;
        }
        return a && b;
    }

    private void claim(StringBuilder b, String text, Outcome... parts) {
        Boolean ok = Boolean.TRUE;
        List<String> says = new ArrayList<>();
        for (Outcome p : parts) {
            ok = and(ok, p.ok);
            says.add(p.text);
        }
        b.append("- **")
                .append(verdict(ok))
                .append("** ")
                .append(text)
                .append(" — ")
                .append(String.join("; ", says))
                .append('\n');
    }

    private static String verdict(Boolean ok) {
        return ok == null ? "NOT RUN" : ok ? "PASS" : "FAIL";
    }

    /** A claim's evaluation: null when not run. */
    private record Outcome(Boolean ok, String text) {}

    /** Accuracies of one run. */
    private record Acc(double last, double epoch5, double bestWithin10, double bestWithin5, boolean diverged) {}

    private Outcome all(
            Arch arch,
            String act,
            String init,
            List<MetricsRow> rows,
            List<RunResult> results,
            java.util.function.Predicate<Acc> test) {
        List<String> found = new ArrayList<>();
        Boolean ok = null;
        for (long s : seeds) {
            ValidationCell c = cell(arch, act, init);
            Acc a = c == null ? null : acc(c, s, rows, results);
            if (a == null) {
                continue;
            }
            found.add(describe(init, s, a));
            ok = and(ok == null ? Boolean.TRUE : ok, test.test(a));
        }
        return new Outcome(ok, found.isEmpty() ? init + " not run" : String.join(", ", found));
    }

    /** PASS when the test holds in more than half of the seeds that ran; null when none ran. */
    private Boolean majority(
            Arch arch,
            String act,
            String init,
            List<MetricsRow> rows,
            List<RunResult> results,
            java.util.function.Predicate<Acc> test,
            List<String> found) {
        ValidationCell c = cell(arch, act, init);
        if (c == null || notApplicable.containsKey(c)) {
            return null;
        }
        int ran = 0;
        int ok = 0;
        List<String> mine = new ArrayList<>();
        for (long s : seeds) {
            Acc a = acc(c, s, rows, results);
            if (a != null) {
                ran++;
                ok += test.test(a) ? 1 : 0;
                mine.add(describe(init, s, a));
            }
        }
        if (ran == 0) {
            return null;
        }
        found.add(String.join(", ", mine));
        return 2 * ok > ran;
    }

    private static String describe(String init, long seed, Acc a) {
        return String.format(
                Locale.ROOT,
                "%s s%d: best ≤ 5 ep. %s, ≤ 10 ep. %s, epoch 5 %s, last %s%s",
                init,
                seed,
                pct(a.bestWithin5),
                pct(a.bestWithin10),
                pct(a.epoch5),
                pct(a.last),
                a.diverged ? " (diverged)" : "");
    }

    private ValidationCell cell(Arch arch, String act, String init) {
        return cells.stream()
                .filter(c -> c.arch() == arch
                        && c.activation().equals(HiddenActivation.parse(act))
                        && c.init().cliName().equals(init))
                .findFirst()
                .orElse(null);
    }

    private Acc acc(ValidationCell c, long seed, List<MetricsRow> rows, List<RunResult> results) {
        if (notApplicable.containsKey(c)) {
            return null;
        }
        List<MetricsRow> ends = epochEnds(c, seed, rows);
        RunResult r = result(c, seed, results);
        if (ends.isEmpty() && r == null) {
            return null;
        }
        double last = ends.isEmpty() ? Double.NaN : ends.get(ends.size() - 1).testAccuracy();
        double e5 = at(c, seed, 5, rows).orElse(Double.NaN);
        double b10 = ends.stream()
                .filter(m -> m.epoch() <= 10)
                .mapToDouble(MetricsRow::testAccuracy)
                .max()
                .orElse(Double.NaN);
        double b5 = ends.stream()
                .filter(m -> m.epoch() <= 5)
                .mapToDouble(MetricsRow::testAccuracy)
                .max()
                .orElse(Double.NaN);
        return new Acc(last, e5, b10, b5, r != null && r.diverged());
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static String join(List<Long> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
