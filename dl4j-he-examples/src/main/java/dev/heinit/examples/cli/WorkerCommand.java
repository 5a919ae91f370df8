package dev.heinit.examples.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.train.ChildRuns;
import dev.heinit.examples.train.RunSpec;
import dev.heinit.examples.train.Trainer;

/** Hidden command: one training run in a child process of {@code compare --parallel N}, reporting on stdout. */
@Command(name = "worker", hidden = true, description = "internal: one run of compare, in a child process")
public final class WorkerCommand implements Callable<Integer> {

    @Mixin
    TrainOptions train;

    @Option(names = "--init", required = true)
    String init;

    @Option(names = "--depth", required = true)
    int depth;

    @Option(names = "--seed", required = true)
    long seed;

    @Option(names = "--signal-dir")
    String signalDir;

    @Option(names = "--fast", defaultValue = "true", arity = "1")
    boolean fast;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        AtomicBoolean stop = new AtomicBoolean();
        Trainer.run(runSpec(), train.load(), ChildRuns.protocolWriter(), stop);
        return 0;
    }

    /** The run these options describe (validated). */
    RunSpec runSpec() {
        train.validate(spec.commandLine());
        return train.spec(InitScheme.byName(init), depth, seed, fast, train.logEvery, train.signalEvery, signalDir);
    }

    /** Data of the run: the --data folder or the bundled MNIST-10k (before the run's limits and input mode). */
    ImageData data() {
        return train.load();
    }
}
