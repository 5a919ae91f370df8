package dev.heinit.spark;

import dev.heinit.examples.train.Runner;
import dev.heinit.examples.train.RunnerKind;

/** Makes {@code --runner spark} find {@link SparkRunner} through {@link java.util.ServiceLoader}. */
public final class SparkRunnerProvider implements Runner.Provider {

    @Override
    public RunnerKind kind() {
        return RunnerKind.SPARK;
    }

    @Override
    public Runner create(String master) {
        return new SparkRunner(master, java.util.Map.of(), System.out);
    }
}
