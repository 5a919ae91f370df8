package dev.heinit.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.data.InputMode;
import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.train.RunSpec;

/** Training options shared by {@code compare} and its child-process {@code worker}. */
public final class TrainOptions {

    /**
     * Default learning rate of {@code compare}. Seed sweep on the default net (depth 30, Nesterov 0.9, batch 64):
     * at 0.002 He reached 94.7–95.3 % after 15 epochs in 4/4 seeds (≥ 90 % from epoch 7); at 0.005 one seed of
     * two collapsed to chance after epoch 1.
     */
    public static final String DEFAULT_LR = "0.002";
    /** Default epochs of {@code compare} (about 5 s each per run on one core with the fast path). */
    public static final String DEFAULT_EPOCHS = "15";

    @Option(
            names = "--arch",
            defaultValue = "plain",
            description =
                    "plain | residual (no normalization) | resnet (batch norm, depth 6n+2) (default: ${DEFAULT-VALUE})",
            converter = ArchConverter.class)
    Arch arch;

    @Option(
            names = "--activation",
            defaultValue = "relu",
            converter = ActivationConverter.class,
            description = "nonlinearity of every hidden layer: relu | leaky:A (0 <= A < 1) | gelu | silu | tanh | elu "
                    + "| selu (default: ${DEFAULT-VALUE})")
    HiddenActivation activation;

    @Option(
            names = "--input",
            defaultValue = "raw",
            converter = InputConverter.class,
            description = "raw (pixels/255) | standardize (the training set's mean and std, applied to both sets) "
                    + "(default: ${DEFAULT-VALUE})")
    InputMode input;

    @Option(
            names = "--width",
            defaultValue = "16",
            description = "channels per convolution (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--epochs", defaultValue = DEFAULT_EPOCHS, description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = DEFAULT_LR, description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(
            names = "--updater",
            defaultValue = "nesterov",
            description = "nesterov (momentum 0.9) | adam (default: ${DEFAULT-VALUE})")
    String updater;

    @Option(
            names = "--data",
            description = "directory with MNIST IDX files (gz or plain) or CIFAR-10 binary batches "
                    + "(default: the bundled MNIST-10k)")
    Path data;

    @Option(
            names = "--log-every",
            defaultValue = "0",
            description = "iterations between metrics rows (default 0: at least 20 rows per epoch)")
    int logEvery;

    @Option(
            names = "--train-examples",
            defaultValue = "0",
            description = "use only the first N training examples (0: all)")
    int trainExamples;

    @Option(names = "--test-examples", defaultValue = "0", description = "use only the first N test examples (0: all)")
    int testExamples;

    @Option(
            names = "--signal-every",
            defaultValue = "0",
            description = "attach dl4j-he's SignalListener: per-layer signal statistics of the training batch every N "
                    + "iterations, to signal-<init>-d<depth>-s<seed>.csv in the output directory (0: off)")
    int signalEvery;

    @Option(
            names = "--no-probe",
            description = "skip the prognosis before each run (a short training probe on a copy of the network, "
                    + "about 3 %% of a 10-epoch run's CPU; expensive at depth 1,000: two forward walks layer by layer)")
    boolean noProbe;

    /** Throws a picocli ParameterException (exit code 2) for the first bad value. */
    void validate(CommandLine cl) {
        check(cl, width >= 1, "--width must be >= 1, got " + width);
        check(cl, epochs >= 1, "--epochs must be >= 1, got " + epochs);
        check(cl, batch >= 1, "--batch must be >= 1, got " + batch);
        check(cl, lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
        check(
                cl,
                updater.equals("nesterov") || updater.equals("adam"),
                "--updater must be nesterov or adam, got '" + updater + "'");
        check(cl, logEvery >= 0, "--log-every must be >= 0, got " + logEvery);
        check(cl, trainExamples >= 0, "--train-examples must be >= 0, got " + trainExamples);
        check(cl, testExamples >= 0, "--test-examples must be >= 0, got " + testExamples);
        check(cl, signalEvery >= 0, "--signal-every must be >= 0, got " + signalEvery);
        check(cl, data == null || Files.isDirectory(data), "--data " + data + " is not a directory");
    }

    static void check(CommandLine cl, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cl, message);
        }
    }

    /** Loads the data these options name. */
    ImageData load() {
        return data == null ? Datasets.bundledMnist() : Datasets.load(data);
    }

    /** Parses --activation. */
    static final class ActivationConverter implements CommandLine.ITypeConverter<HiddenActivation> {
        @Override
        public HiddenActivation convert(String value) {
            try {
                return HiddenActivation.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses --input. */
    static final class InputConverter implements CommandLine.ITypeConverter<InputMode> {
        @Override
        public InputMode convert(String value) {
            try {
                return InputMode.byName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * The run these options describe for one init, depth and seed (the data folder made absolute, so that child
     * processes and Spark tasks started elsewhere find it).
     */
    RunSpec spec(InitScheme init, int depth, long seed, boolean fast, int logEvery, int signalEvery, String signalDir) {
        return new RunSpec(
                init,
                activation,
                depth,
                seed,
                arch,
                width,
                epochs,
                batch,
                lr,
                updater,
                fast,
                logEvery,
                trainExamples,
                testExamples,
                data == null ? null : data.toAbsolutePath().toString(),
                input,
                signalEvery,
                signalDir,
                !noProbe);
    }

    /** Parses --arch. */
    static final class ArchConverter implements CommandLine.ITypeConverter<Arch> {
        @Override
        public Arch convert(String value) {
            for (Arch a : Arch.values()) {
                if (a.cliName().equalsIgnoreCase(value)) {
                    return a;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "--arch must be one of " + Arch.validNames() + ", got '" + value + "'");
        }
    }
}
