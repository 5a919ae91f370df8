package dev.heinit.examples.cli;

import java.util.List;

import picocli.CommandLine;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.train.RunSpec;

/**
 * A {@link RunSpec} as the hidden {@code worker} command's arguments ({@link RunSpec#toArgs()}) and back: how a run
 * travels to another JVM, a child process or a Spark executor, without a second encoding of its fields.
 */
public final class RunSpecArgs {

    private final RunSpec spec;
    private final WorkerCommand worker;

    private RunSpecArgs(RunSpec spec, WorkerCommand worker) {
        this.spec = spec;
        this.worker = worker;
    }

    /**
     * Parses arguments written by {@link RunSpec#toArgs()}.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    public static RunSpecArgs parse(List<String> args) {
        WorkerCommand w = new WorkerCommand();
        CommandLine cl = new CommandLine(w);
        try {
            cl.parseArgs(args.toArray(String[]::new));
            return new RunSpecArgs(w.runSpec(), w);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("not the arguments of a run: " + e.getMessage() + " in " + args, e);
        }
    }

    /** The run. */
    public RunSpec spec() {
        return spec;
    }

    /** Loads the run's data set (the --data folder or the bundled MNIST-10k); the run applies its limits and input. */
    public ImageData loadData() {
        return worker.data();
    }
}
