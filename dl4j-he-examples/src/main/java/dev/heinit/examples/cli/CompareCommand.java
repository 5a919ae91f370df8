package dev.heinit.examples.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.CacheMode;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.data.InputMode;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.model.Net;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.report.RunReport;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.report.Summary;
import dev.heinit.examples.train.Compare;
import dev.heinit.examples.train.ConsoleDisplay;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Runner;

/**
 * {@code compare}: trains the same deep CNN under several initializations and reports which one trains
 * (He et al. 2015, "Delving deep into rectifiers", Fig. 3: a 30-layer plain ReLU net trains with their init and
 * stalls with Xavier's).
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "Train the same deep CNN with several initializations; write metrics.csv, loss.png, "
                + "accuracy.png and summary.md.",
        exitCodeListHeading = RunnerOptions.EXIT_HEADING,
        exitCodeList = {RunnerOptions.EXIT_0, RunnerOptions.EXIT_1, RunnerOptions.EXIT_2, RunnerOptions.EXIT_3})
public final class CompareCommand implements Callable<Integer> {

    @Mixin
    TrainOptions train;

    @Mixin
    RunGrid grid;

    @Mixin
    RunOptions run;

    @Mixin
    RunnerOptions runners;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        train.validate(cl);
        List<Integer> ds = grid.depths(cl);
        List<Long> ss = grid.seeds();
        List<InitScheme> schemes = grid.schemes(cl);
        ImageData[] loaded = new ImageData[1];
        Runner runner = runners.create(cl, run.parallel, () -> loaded[0] != null ? loaded[0] : train.load());
        Path dir = run.outDir("compare");

        PrintStream console = System.out;
        FastPath.Status status = RunSetup.fastPath(run.stock, console);
        boolean fast = status.active();

        List<String> notApplicable = new ArrayList<>();
        List<InitScheme> applicable = new ArrayList<>();
        for (InitScheme sc : schemes) {
            java.util.Optional<String> why = sc.notApplicable(train.activation);
            if (why.isPresent()) {
                notApplicable.add(sc.cliName() + " with " + train.activation.cliName() + ": " + why.get());
                console.println("not applicable, skipped: " + notApplicable.get(notApplicable.size() - 1));
            } else {
                applicable.add(sc);
            }
        }
        ImageData data = train.load();
        ImageShape shape = new ImageShape(data.channels(), data.height(), data.width(), data.classes());
        TrainSetup check = new TrainSetup(new Nesterovs(train.lr, 0.9), 1, CacheMode.NONE);
        for (int d : ds) {
            for (InitScheme sc : applicable) {
                try {
                    Net.configuration(train.arch, d, train.width, shape, sc, train.activation, check);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(
                            cl,
                            "init '" + sc.cliName() + "' on --arch " + train.arch.cliName() + " depth " + d + ": "
                                    + e.getMessage());
                }
            }
        }
        List<RunSpec> specs = new ArrayList<>();
        for (int d : ds) {
            for (long s : ss) {
                for (InitScheme sc : applicable) {
                    specs.add(train.spec(
                            sc,
                            d,
                            s,
                            fast,
                            train.logEvery,
                            train.signalEvery,
                            dir.toAbsolutePath().toString()));
                }
            }
        }
        loaded[0] = data.limit(train.trainExamples, train.testExamples);
        String dataLine = RunSetup.dataLine(loaded[0]);
        if (!runners.inProcess(run.parallel)) {
            loaded[0] = null; // children and Spark tasks load their own copy
        }
        List<String> header = RunSetup.header(cl, runner.describe(), status, dataLine);
        header.set(
                header.size() - 1,
                "Data: " + dataLine + "; input " + train.input.cliName()
                        + (train.input == InputMode.RAW
                                ? " (pixels/255)"
                                : " (the training set's mean and std per channel, applied to both sets)"));
        header.add(String.format(
                Locale.ROOT,
                "Model: %s CNN, depth(s) %s (weight layers: conv + output), %d channels, "
                        + "3x3 same padding, convs 2-4 stride 2 (28->14->7->4), zero biases; %s lr %s, batch %d, %d epoch(s)",
                train.arch.cliName(),
                ds,
                train.width,
                train.updater,
                train.lr,
                train.batch,
                train.epochs));
        header.add("Activation of every hidden layer: " + train.activation.description());
        header.add("Inits: "
                + schemes.stream()
                        .map(s -> s.cliName() + " = " + s.description())
                        .toList());
        header.add("Seeds: " + ss);
        String title = train.arch.cliName() + " " + train.activation.cliName() + " CNN, depth "
                + (ds.size() == 1 ? ds.get(0).toString() : ds.toString()) + ", lr " + train.lr
                + (train.input == InputMode.RAW ? "" : ", input " + train.input.cliName());
        console.println("output: " + dir.toAbsolutePath());
        List<RunResult> results = Compare.run(
                specs,
                runner,
                dir,
                RunReport.summaryAndCharts(header, notApplicable, title),
                ConsoleDisplay.isTerminal(),
                console);
        console.println();
        for (RunResult r : results) {
            console.println(String.format(Locale.ROOT, "%-22s %s", r.label(), Summary.outcome(r)));
        }
        console.println("wrote " + dir.resolve("metrics.csv") + ", loss.png, accuracy.png, summary.md");
        return RunnerOptions.exitCode(results, console);
    }
}
