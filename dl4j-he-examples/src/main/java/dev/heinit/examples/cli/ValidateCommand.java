package dev.heinit.examples.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.data.InputMode;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.report.Summary;
import dev.heinit.examples.report.ValidationCell;
import dev.heinit.examples.report.ValidationReport;
import dev.heinit.examples.train.Compare;
import dev.heinit.examples.train.ConsoleDisplay;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Runner;
import dev.heinit.examples.train.ValidationMatrix;

/**
 * {@code validate}: trains a fixed matrix — the plain deep CNN under relu, leaky 0.2, GELU, SiLU and tanh with the
 * inits users have today next to the library's, and the 110-layer residual ReLU net — measuring each network's
 * signal at initialization before it trains, and writes validation.md, metrics.csv and per-network charts. The point:
 * the signal at init (forward/backward ratios, verdicts, the order/chaos statistic) predicts who trains.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Train the validation matrix (plain depth 30 x {relu, leaky:0.2, gelu, silu, tanh} x inits; "
                + "residual depth 110 relu x inits) and write validation.md, metrics.csv and per-network charts.",
        exitCodeListHeading = RunnerOptions.EXIT_HEADING,
        exitCodeList = {RunnerOptions.EXIT_0, RunnerOptions.EXIT_1, RunnerOptions.EXIT_2, RunnerOptions.EXIT_3})
public final class ValidateCommand implements Callable<Integer> {

    /** Default epochs of the plain runs; --quick: {@value #QUICK_EPOCHS}. */
    static final int EPOCHS = 10;
    /** Default epochs of the residual runs; --quick: {@value #QUICK_RESIDUAL_EPOCHS}. */
    static final int RESIDUAL_EPOCHS = 5;

    static final int QUICK_EPOCHS = 3;
    static final int QUICK_RESIDUAL_EPOCHS = 2;

    @Option(
            names = "--epochs",
            description = "epochs of the plain runs (default: " + EPOCHS + ", --quick: " + QUICK_EPOCHS + ")")
    Integer epochs;

    @Option(
            names = "--residual-epochs",
            description = "epochs of the residual runs (default: " + RESIDUAL_EPOCHS + ", --quick: "
                    + QUICK_RESIDUAL_EPOCHS + ")")
    Integer residualEpochs;

    @Option(
            names = "--seeds",
            split = ",",
            defaultValue = "1",
            description = "seeds, e.g. 1,2,3 (default: ${DEFAULT-VALUE})")
    List<Long> seeds;

    @Mixin
    RunOptions run;

    @Mixin
    RunnerOptions runners;

    @Option(
            names = "--quick",
            description = "a first look: inits he, he-relu, he-critical, lsuv on the plain net, he and "
                    + "lsuv on the residual one, fewer epochs (3 and 2)")
    boolean quick;

    @Option(
            names = "--depth",
            defaultValue = "30",
            description = "weight layers of the plain net (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(
            names = "--residual-depth",
            defaultValue = "110",
            description = "weight layers of the residual net (default: ${DEFAULT-VALUE})")
    int residualDepth;

    @Option(
            names = "--width",
            defaultValue = "16",
            description = "channels per convolution (default: ${DEFAULT-VALUE})")
    int width;

    @Option(
            names = "--lr",
            defaultValue = TrainOptions.DEFAULT_LR,
            description = "learning rate, Nesterov momentum 0.9 " + "(default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--train-examples",
            defaultValue = "0",
            description = "use only the first N training examples (0: all)")
    int trainExamples;

    @Option(names = "--test-examples", defaultValue = "0", description = "use only the first N test examples (0: all)")
    int testExamples;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        int plainEpochs = epochs != null ? epochs : quick ? QUICK_EPOCHS : EPOCHS;
        int resEpochs = residualEpochs != null ? residualEpochs : quick ? QUICK_RESIDUAL_EPOCHS : RESIDUAL_EPOCHS;
        TrainOptions.check(cl, plainEpochs >= 1, "--epochs must be >= 1, got " + plainEpochs);
        TrainOptions.check(cl, resEpochs >= 1, "--residual-epochs must be >= 1, got " + resEpochs);
        TrainOptions.check(cl, depth >= 2, "--depth must be >= 2, got " + depth);
        TrainOptions.check(cl, residualDepth >= 2, "--residual-depth must be >= 2, got " + residualDepth);
        // metrics.csv has no architecture column: the two nets are told apart by depth
        TrainOptions.check(
                cl, residualDepth != depth, "--residual-depth must differ from --depth, got " + depth + " for both");
        TrainOptions.check(cl, width >= 1, "--width must be >= 1, got " + width);
        TrainOptions.check(cl, lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
        TrainOptions.check(cl, batch >= 1, "--batch must be >= 1, got " + batch);
        TrainOptions.check(cl, trainExamples >= 0, "--train-examples must be >= 0, got " + trainExamples);
        TrainOptions.check(cl, testExamples >= 0, "--test-examples must be >= 0, got " + testExamples);
        TrainOptions.check(
                cl,
                !seeds.isEmpty() && seeds.stream().distinct().count() == seeds.size(),
                "--seeds must list distinct seeds, got " + seeds);
        ImageData[] loaded = new ImageData[1];
        Runner runner = runners.create(cl, run.parallel, () -> loaded[0]);
        Path dir = run.outDir("validate");

        PrintStream console = System.out;
        FastPath.Status status = RunSetup.fastPath(run.stock, console);
        boolean fast = status.active();

        List<ValidationCell> cells = ValidationMatrix.cells(quick, depth, residualDepth, plainEpochs, resEpochs);
        Map<ValidationCell, String> notApplicable = new LinkedHashMap<>();
        List<RunSpec> specs = new ArrayList<>();
        for (ValidationCell c : ValidationMatrix.runOrder(cells)) {
            Optional<String> why = c.init().notApplicable(c.activation());
            if (why.isPresent()) {
                notApplicable.put(c, why.get());
                console.println("not applicable, skipped: " + c.init().cliName() + " on " + c.net() + ": " + why.get());
                continue;
            }
            for (long s : seeds) {
                specs.add(new RunSpec(
                        c.init(),
                        c.activation(),
                        c.depth(),
                        s,
                        c.arch(),
                        width,
                        c.epochs(),
                        batch,
                        lr,
                        "nesterov",
                        fast,
                        0,
                        trainExamples,
                        testExamples,
                        null,
                        InputMode.RAW,
                        0,
                        null,
                        true));
            }
        }
        ImageData data = Datasets.bundledMnist().limit(trainExamples, testExamples);
        loaded[0] = data;
        List<String> header =
                RunSetup.header(cl, runner.describe(), status, RunSetup.dataLine(data) + "; input raw (pixels/255)");
        header.add(String.format(
                Locale.ROOT,
                "Nets: plain CNN of depth %d (weight layers: conv + output) and residual "
                        + "CNN of depth %d (identity-shortcut blocks act(x + conv(act(conv(x)))), no batch norm), %d "
                        + "channels, 3x3 same padding, convs 2-4 stride 2 (28->14->7->4), zero biases; Nesterov 0.9, "
                        + "lr %s, batch %d; %d epoch(s) plain, %d residual",
                depth,
                residualDepth,
                width,
                lr,
                batch,
                plainEpochs,
                resEpochs));
        header.add("Activations: "
                + ValidationMatrix.PLAIN_ACTIVATIONS.stream()
                        .map(HiddenActivation::description)
                        .toList());
        header.add("Inits: "
                + cells.stream()
                        .map(ValidationCell::init)
                        .distinct()
                        .map(s -> s.cliName() + " = " + s.description())
                        .toList());
        header.add("Seeds: " + seeds + "; " + specs.size() + " runs" + (quick ? " (--quick)" : ""));
        console.println("output: " + dir.toAbsolutePath() + "; " + specs.size() + " runs");
        List<RunResult> results = Compare.run(
                specs,
                runner,
                dir,
                new ValidationReport(cells, notApplicable, seeds, header),
                ConsoleDisplay.isTerminal(),
                console);
        console.println();
        for (RunResult r : results) {
            console.println(String.format(Locale.ROOT, "%-28s %s", r.label(), Summary.outcome(r)));
        }
        console.println("wrote " + dir.resolve(ValidationReport.FILE) + ", metrics.csv and the charts");
        return RunnerOptions.exitCode(results, console);
    }
}
