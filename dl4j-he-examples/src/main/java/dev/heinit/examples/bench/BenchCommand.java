package dev.heinit.examples.bench;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code bench}: training throughput (stock vs fast, one run per core vs all cores) and {@code bench init}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Training and initialization throughput.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
