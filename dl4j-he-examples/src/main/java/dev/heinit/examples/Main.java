package dev.heinit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import dev.heinit.examples.cli.BenchCommand;
import dev.heinit.examples.cli.CompareCommand;
import dev.heinit.examples.cli.KerasCommand;
import dev.heinit.examples.cli.LsuvCommand;
import dev.heinit.examples.cli.PlanCommand;
import dev.heinit.examples.cli.ProbeCommand;
import dev.heinit.examples.cli.SignalCommand;
import dev.heinit.examples.cli.ValidateCommand;
import dev.heinit.examples.cli.WorkerCommand;
import dev.heinit.examples.data.DataFormatException;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.runtime.Logging;
import dev.heinit.examples.runtime.Versions;

/**
 * Entry point of the examples program: {@code signal}, {@code plan}, {@code lsuv}, {@code compare}, {@code validate},
 * {@code keras}, {@code bench} (the commands are in {@code dev.heinit.examples.cli}).
 *
 * <p>Exit codes: 0 success, 1 a run-time failure (e.g. a corrupt data file), 2 a bad option or value or an unknown
 * command (also with {@code --help}).
 *
 * <p>The libraries' INFO logging and ND4J's backend build banner are off unless {@code --verbose} (an option of
 * every command) or an explicit logging configuration asks for them: see {@link Logging}.
 */
@Command(
        name = "dl4j-he-examples",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "He (Kaiming) initialization for Deeplearning4j: signal propagation, init plans, LSUV, comparative training, benchmarks.",
        subcommands = {
            SignalCommand.class,
            PlanCommand.class,
            LsuvCommand.class,
            CompareCommand.class,
            ValidateCommand.class,
            ProbeCommand.class,
            BenchCommand.class,
            WorkerCommand.class,
            KerasCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Read from the parse result (it may be given after any subcommand); the field only declares the option. */
    @Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "also show the libraries' INFO logging (ND4J, DL4J, JavaCPP) and ND4J's backend build "
                    + "banner; without it only their warnings and errors")
    boolean verbose;

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
        cl.setParameterExceptionHandler(Main::badInput);
        cl.setExecutionStrategy(parseResult -> {
            rejectUnmatched(parseResult);
            Logging.configure(verbose(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    /** Whether --verbose was given, before or after the subcommand names. */
    static boolean verbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * An unknown command or stray argument is an error even when --help is also given (picocli then skips its own
     * check and would print help with exit code 0).
     */
    private static void rejectUnmatched(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
    }

    /** Exit code 2: the message, picocli's suggestions if any, then the usage (with the list of commands). */
    private static int badInput(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println(cl.getColorScheme().errorText(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
        cl.usage(cl.getErr(), cl.getColorScheme());
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command: signal, plan, lsuv, compare, validate, probe, keras or bench");
    }

    /** --version: the versions, then the ND4J backend and device (loading the backend, as every command does). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String backend;
            try {
                backend = "backend " + FastPath.backend() + " on " + FastPath.device();
            } catch (RuntimeException | LinkageError e) {
                backend = "backend unavailable: " + e;
            }
            return new String[] {Versions.line(), backend};
        }
    }
}
