package dev.heinit.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.train.Compare;
import dev.heinit.examples.train.ConsoleDisplay;
import dev.heinit.examples.train.RunResult;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Summary;

/**
 * {@code compare}: trains the same deep CNN under several initializations and reports which one trains
 * (He et al. 2015, "Delving deep into rectifiers", Fig. 3: a 30-layer plain ReLU net trains with their init and
 * stalls with Xavier's).
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "Train the same deep CNN with several initializations; write metrics.csv, loss.png, "
                + "accuracy.png and summary.md.")
public final class CompareCommand implements Callable<Integer> {

    @Mixin
    TrainOptions train;

    @Option(
            names = "--depth",
            defaultValue = "30",
            description = "weight layers, conv + output (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--depths", split = ",", description = "several depths, e.g. 10,22,30 (overrides --depth)")
    List<Integer> depths;

    @Option(
            names = "--inits",
            split = ",",
            defaultValue = "he,xavier",
            description = "initializations (default: ${DEFAULT-VALUE}); valid: ${COMPLETION-CANDIDATES}",
            completionCandidates = InitNames.class)
    List<String> inits;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--seeds", split = ",", description = "several seeds, e.g. 1,2,3 (overrides --seed)")
    List<Long> seeds;

    @Option(
            names = "--parallel",
            description = "runs at once, each a child process with one native thread "
                    + "(default: one per core); 0 runs them one after the other in this JVM")
    Integer parallel;

    @Option(names = "--out", description = "output directory (default: a fresh folder under ./runs)")
    Path out;

    @Option(names = "--stock", description = "DL4J's stock CPU path (no oneDNN helpers, cacheMode NONE)")
    boolean stock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Candidate values for --inits help. */
    static final class InitNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        InitNames() {
            for (InitScheme s : InitScheme.values()) {
                add(s.cliName());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        train.validate(cl);
        List<Integer> ds = depths != null ? depths : List.of(depth);
        for (int d : ds) {
            TrainOptions.check(cl, d >= 2, "depth counts weight layers (conv + output) and must be >= 2, got " + d);
        }
        List<Long> ss = seeds != null ? seeds : List.of(seed);
        List<InitScheme> schemes = new ArrayList<>();
        for (String n : inits) {
            try {
                schemes.add(InitScheme.byName(n));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }
        int par = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        TrainOptions.check(cl, par >= 0, "--parallel must be >= 0, got " + par);
        Path dir = out != null ? out : freshRunDir();

        FastPath.useHelpers(!stock);
        FastPath.Status status = FastPath.check();
        boolean fast = status.active();
        PrintStream console = System.out;
        if (!stock && !fast) {
            System.err.println("WARNING: oneDNN fast path unavailable, training on DL4J's stock CPU path (about 10x "
                    + "slower): " + status.describe());
        }
        console.println("backend " + FastPath.backend() + " on " + FastPath.device());
        console.println(status.describe());

        List<RunSpec> specs = new ArrayList<>();
        for (int d : ds) {
            for (long s : ss) {
                for (InitScheme sc : schemes) {
                    specs.add(new RunSpec(
                            sc,
                            d,
                            s,
                            train.arch,
                            train.width,
                            train.epochs,
                            train.batch,
                            train.lr,
                            train.updater,
                            fast,
                            train.logEvery,
                            train.trainExamples,
                            train.testExamples,
                            train.data == null
                                    ? null
                                    : train.data.toAbsolutePath().toString(),
                            train.signalEvery,
                            dir.toAbsolutePath().toString()));
                }
            }
        }
        ImageData[] loaded = new ImageData[1];
        java.util.function.Supplier<ImageData> data = () -> loaded[0];
        loaded[0] = train.load().limit(train.trainExamples, train.testExamples);
        String dataLine = loaded[0].name() + ": " + loaded[0].train().numExamples() + " training, "
                + loaded[0].test().numExamples() + " test examples, " + loaded[0].channels() + "x" + loaded[0].height()
                + "x" + loaded[0].width();
        if (par > 0) {
            loaded[0] = null; // children load their own copy
        }
        List<String> header = new ArrayList<>();
        header.add("Command: `java -jar dl4j-he-examples.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs()) + "`");
        header.add("Versions: " + Versions.line());
        header.add("Backend: " + FastPath.backend() + " on " + FastPath.device() + "; " + status.describe());
        header.add("Execution: "
                + (par > 0
                        ? "up to " + par + " runs at once, each a child process with " + "OMP_NUM_THREADS=1"
                        : "sequential, in one JVM (OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ")"));
        header.add("Data: " + dataLine);
        header.add(String.format(
                Locale.ROOT,
                "Model: %s CNN, depth(s) %s (weight layers: conv + output), %d channels, "
                        + "3x3 same padding, convs 2-4 stride 2 (28->14->7->4); %s lr %s, batch %d, %d epoch(s)",
                train.arch.cliName(),
                ds,
                train.width,
                train.updater,
                train.lr,
                train.batch,
                train.epochs));
        header.add("Inits: "
                + schemes.stream()
                        .map(s -> s.cliName() + " = " + s.description())
                        .toList());
        header.add("Seeds: " + ss);
        String title = train.arch.cliName() + " CNN, depth "
                + (ds.size() == 1 ? ds.get(0).toString() : ds.toString()) + ", lr " + train.lr;
        console.println("output: " + dir.toAbsolutePath());
        ImageData finalData = loaded[0];
        List<RunResult> results = Compare.run(
                specs,
                par,
                dir,
                () -> finalData != null ? finalData : train.load(),
                header,
                title,
                ConsoleDisplay.isTerminal(),
                console);
        console.println();
        for (RunResult r : results) {
            console.println(String.format(Locale.ROOT, "%-18s %s", r.label(), Summary.outcome(r)));
        }
        console.println("wrote " + dir.resolve("metrics.csv") + ", loss.png, accuracy.png, summary.md");
        return 0;
    }

    private static Path freshRunDir() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path p = Path.of("runs", "compare-" + stamp);
        int k = 1;
        while (Files.exists(p)) {
            p = Path.of("runs", "compare-" + stamp + "-" + k++);
        }
        return p;
    }
}
