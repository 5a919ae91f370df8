package dev.heinit.examples;

import dev.heinit.examples.bench.BenchCommand;
import dev.heinit.examples.data.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the examples program: {@code signal}, {@code plan}, {@code lsuv}, {@code compare}, {@code bench}.
 *
 * <p>Exit codes: 0 success, 1 a run-time failure (e.g. a corrupt data file), 2 a bad option or value.
 */
@Command(name = "dl4j-he-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "He (Kaiming) initialization for Deeplearning4j: signal propagation, init plans, LSUV, comparative training, benchmarks.",
        subcommands = {SignalCommand.class, PlanCommand.class, LsuvCommand.class, CompareCommand.class, ValidateCommand.class, BenchCommand.class, WorkerCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the program and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the program and returns its exit code (for tests; never calls System.exit). */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return commandLine().execute(args);
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof DataFormatException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: signal, plan, lsuv, compare or bench");
    }

    /** Version line for --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{Versions.line()};
        }
    }
}
