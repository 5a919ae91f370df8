package dev.heinit.examples.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.report.RunResult;

/** The runners this program ships, and the lookup of the ones in other jars. */
public final class Runners {

    private Runners() {}

    /**
     * The runner {@code --parallel} has always chosen: 0 runs in this JVM, N ≥ 1 up to N child processes.
     *
     * @param data the data of in-process runs (called at most once)
     */
    public static Runner of(int parallel, Supplier<ImageData> data) {
        return parallel <= 0 ? sequential(data) : processes(parallel);
    }

    /** In this JVM, one run after the other; a run that throws ends the invocation (as it always has). */
    public static Runner sequential(Supplier<ImageData> data) {
        return new Runner() {
            @Override
            public void run(List<RunSpec> specs, RunListener listener, AtomicBoolean stop) {
                ImageData d = data.get();
                for (RunSpec s : specs) {
                    if (stop.get()) {
                        break;
                    }
                    Trainer.run(s, d, listener, stop);
                }
            }

            @Override
            public void cancel() {
                // the stop flag ends the current run after its iteration
            }

            @Override
            public String describe() {
                return "sequential, in one JVM (OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ")";
            }
        };
    }

    /** Up to {@code parallel} child JVMs at once, each with one native thread ({@link ChildRuns}). */
    public static Runner processes(int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
        }
        return new Runner() {
            @Override
            public void run(List<RunSpec> specs, RunListener listener, AtomicBoolean stop)
                    throws IOException, InterruptedException {
                ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, specs.size())));
                List<Future<RunResult>> fs = new ArrayList<>();
                for (RunSpec s : specs) {
                    fs.add(pool.submit(() -> ChildRuns.run(s, listener)));
                }
                pool.shutdown();
                for (Future<RunResult> f : fs) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        if (stop.get()) {
                            continue; // interrupted: children were stopped on purpose
                        }
                        throw new IOException("a child run failed: " + e.getCause(), e.getCause());
                    }
                }
            }

            @Override
            public void cancel() {
                ChildRuns.destroyAll();
            }

            @Override
            public String describe() {
                return "up to " + parallel + " runs at once, each a child process with OMP_NUM_THREADS=1";
            }
        };
    }

    /** The provider of {@code kind} on the class path, if any ({@link Runner.Provider}). */
    public static Optional<Runner.Provider> provider(RunnerKind kind) {
        for (Runner.Provider p : ServiceLoader.load(Runner.Provider.class, Runners.class.getClassLoader())) {
            if (p.kind() == kind) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The result of a run that threw instead of ending ({@link RunResult#failed}). */
    public static RunResult failed(RunSpec spec, String error) {
        return RunResult.failed(
                spec.label(), spec.init().cliName(), spec.activation().cliName(), spec.depth(), spec.seed(), error);
    }
}
