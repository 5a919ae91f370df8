package dev.heinit.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import dev.heinit.examples.data.InputMode;
import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.report.RunResult;

/**
 * Everything that defines one training run of {@code compare}.
 *
 * @param init          initialization scheme
 * @param activation    nonlinearity of every hidden layer
 * @param depth         weight layers (convolutions + output)
 * @param seed          seed of the weights, the data order and ND4J's RNG
 * @param arch          plain or residual
 * @param width         channels per convolution
 * @param epochs        passes over the training set
 * @param batch         minibatch size
 * @param lr            learning rate
 * @param updater       "nesterov" (momentum 0.9) or "adam"
 * @param fast          oneDNN fast path (helpers on, cacheMode DEVICE) or stock DL4J
 * @param logEvery      iterations between metrics rows (0: so that an epoch has ≥ 20 rows)
 * @param trainExamples use only the first N training examples (0: all)
 * @param testExamples  use only the first N test examples (0: all)
 * @param data          data directory, or null for the bundled MNIST-10k
 * @param input         raw pixels or standardized with the training set's statistics
 * @param signalEvery   iterations between SignalListener samples (0: no listener)
 * @param signalDir     directory for the listener's CSV, or null when {@code signalEvery} is 0
 * @param probe         whether the run's prognosis is probed before its first step
 */
public record RunSpec(
        InitScheme init,
        HiddenActivation activation,
        int depth,
        long seed,
        Arch arch,
        int width,
        int epochs,
        int batch,
        double lr,
        String updater,
        boolean fast,
        int logEvery,
        int trainExamples,
        int testExamples,
        String data,
        InputMode input,
        int signalEvery,
        String signalDir,
        boolean probe) {

    /** The optimizer this spec names. */
    public IUpdater iupdater() {
        return switch (updater) {
            case "nesterov" -> new Nesterovs(lr, 0.9);
            case "adam" -> new Adam(lr);
            default -> throw new IllegalArgumentException("updater must be nesterov or adam, got " + updater);
        };
    }

    /**
     * File name of this run's SignalListener CSV, e.g. "signal-he-d30-s1.csv" (ReLU, plain) or
     * "signal-he-silu-d30-s1.csv", "signal-he-res-d110-s1.csv".
     */
    public String signalFile() {
        String act = activation.equals(HiddenActivation.RELU)
                ? ""
                : "-" + activation.cliName().replace(":", "");
        return "signal-" + init.cliName().replace('+', '_') + act + (arch == Arch.PLAIN ? "" : "-" + arch.tag()) + "-d"
                + depth + "-s" + seed + ".csv";
    }

    /** Short label, unique within an invocation, e.g. "he relu d30 s1" or "lsuv relu res d110 s1". */
    public String label() {
        return RunResult.label(init, activation, arch, depth, seed);
    }

    /** Command-line arguments of the hidden {@code worker} command that reproduce this spec in a child process. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of(
                "--init",
                init.cliName(),
                "--activation",
                activation.cliName(),
                "--input",
                input.cliName(),
                "--depth",
                Integer.toString(depth),
                "--seed",
                Long.toString(seed),
                "--arch",
                arch.cliName(),
                "--width",
                Integer.toString(width),
                "--epochs",
                Integer.toString(epochs),
                "--batch",
                Integer.toString(batch),
                "--lr",
                String.format(Locale.ROOT, "%s", lr),
                "--updater",
                updater,
                "--fast",
                Boolean.toString(fast),
                "--log-every",
                Integer.toString(logEvery),
                "--train-examples",
                Integer.toString(trainExamples),
                "--test-examples",
                Integer.toString(testExamples)));
        if (data != null) {
            a.add("--data");
            a.add(data);
        }
        if (signalEvery > 0) {
            a.add("--signal-every");
            a.add(Integer.toString(signalEvery));
            a.add("--signal-dir");
            a.add(signalDir);
        }
        if (!probe) {
            a.add("--no-probe");
        }
        return a;
    }
}
