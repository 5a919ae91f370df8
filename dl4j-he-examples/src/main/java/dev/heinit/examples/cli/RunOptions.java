package dev.heinit.examples.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * How {@code compare} and {@code validate} execute their runs: parallelism, output folder, CPU path ({@code --parallel}
 * is checked with {@code --runner} by {@link RunnerOptions}).
 */
final class RunOptions {

    @Option(
            names = "--parallel",
            description = "runs at once, each a child process with one native thread "
                    + "(default: one per core); 0 runs them one after the other in this JVM")
    Integer parallel;

    @Option(names = "--out", description = "output directory (default: a fresh folder under ./runs)")
    Path out;

    @Option(names = "--stock", description = "DL4J's stock CPU path (no oneDNN helpers, cacheMode NONE)")
    boolean stock;

    /** --out, or a fresh {@code runs/<kind>-<time>} folder. */
    Path outDir(String kind) {
        return out != null ? out : RunSetup.freshRunDir(kind);
    }
}
