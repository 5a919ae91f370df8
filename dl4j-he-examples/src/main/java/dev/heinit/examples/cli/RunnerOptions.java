package dev.heinit.examples.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.report.Failures;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.train.Runner;
import dev.heinit.examples.train.RunnerKind;
import dev.heinit.examples.train.Runners;

/** {@code --runner} and {@code --spark-master} of {@code compare} and {@code validate}: what executes the runs. */
public final class RunnerOptions {

    /** Said when {@code --runner spark} is asked for without the Spark runner on the class path. */
    static final String NO_SPARK = "--runner spark needs the Spark runner (module dl4j-he-spark) on the class path: "
            + "start the program with dl4j-he-spark/dl4j-he-spark.sh (it adds dl4j-he-spark/target/"
            + "dl4j-he-spark-<version>.jar and Spark's jars), or with spark-submit as docs/spark.md "
            + "shows";

    /** {@code compare}/{@code validate} help: exit codes (constants, for picocli's {@code exitCodeList}). */
    static final String EXIT_HEADING = "%nExit codes:%n";

    static final String EXIT_0 = "0:every run produced a result (a diverged run is a result)";
    static final String EXIT_1 = "1:an error ended the command";
    static final String EXIT_2 = "2:a bad option or value";
    static final String EXIT_3 = Failures.EXIT_CODE
            + ":a run failed without a result (its error, or Spark gave up on its task); the summary's first "
            + "lines name each failed run and why";

    @Option(
            names = "--runner",
            converter = KindConverter.class,
            description =
                    "local (this JVM, one run after the other) | process (child JVMs, --parallel at once) | "
                            + "spark (one Spark task per run; needs dl4j-he-spark). Default: process, or local with --parallel 0")
    RunnerKind runner;

    @Option(
            names = "--spark-master",
            paramLabel = "URL",
            description = "Spark master for --runner spark, e.g. local[2], spark://host:7077, yarn (default: "
                    + "spark-submit's --master, else local[*]: Spark embedded in this program)")
    String sparkMaster;

    /**
     * The runner these options and {@code --parallel} ask for.
     *
     * @param parallel the command's {@code --parallel} (null: not given)
     * @param data     data for in-process runs
     * @throws CommandLine.ParameterException (exit code 2) for contradicting options or a missing Spark runner
     */
    Runner create(CommandLine cl, Integer parallel, Supplier<ImageData> data) {
        RunnerKind kind =
                runner != null ? runner : parallel != null && parallel == 0 ? RunnerKind.LOCAL : RunnerKind.PROCESS;
        TrainOptions.check(
                cl,
                sparkMaster == null || kind == RunnerKind.SPARK,
                "--spark-master needs --runner spark, got --runner " + kind.cliName());
        TrainOptions.check(cl, parallel == null || parallel >= 0, "--parallel must be >= 0, got " + parallel);
        switch (kind) {
            case LOCAL -> {
                TrainOptions.check(
                        cl,
                        parallel == null || parallel == 0,
                        "--runner local runs one run at a time; --parallel " + parallel + " needs --runner process");
                return Runners.sequential(data);
            }
            case PROCESS -> {
                int par = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
                TrainOptions.check(cl, par >= 1, "--runner process needs --parallel >= 1, got " + par);
                return Runners.processes(par);
            }
            default -> {
                TrainOptions.check(
                        cl,
                        parallel == null,
                        "--runner spark runs as many runs at once as the Spark "
                                + "master has cores; use --spark-master local[N] instead of --parallel " + parallel);
                Runner.Provider p = Runners.provider(RunnerKind.SPARK)
                        .orElseThrow(() -> new CommandLine.ParameterException(cl, NO_SPARK));
                return p.create(sparkMaster);
            }
        }
    }

    /**
     * The command's exit code for these results: 0, or {@value Failures#EXIT_CODE} when a run failed to produce
     * a result, which is then said on the console.
     */
    static int exitCode(List<RunResult> results, PrintStream console) {
        List<RunResult> failed = Failures.failed(results);
        if (failed.isEmpty()) {
            return 0;
        }
        console.println(failed.size() + " of " + results.size() + " runs failed without a result: exit code "
                + Failures.EXIT_CODE);
        return Failures.EXIT_CODE;
    }

    /** Whether runs execute in this JVM (and need the data loaded here). */
    boolean inProcess(Integer parallel) {
        return runner == RunnerKind.LOCAL || runner == null && parallel != null && parallel == 0;
    }

    /** Parses --runner. */
    static final class KindConverter implements CommandLine.ITypeConverter<RunnerKind> {
        @Override
        public RunnerKind convert(String value) {
            try {
                return RunnerKind.byName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
