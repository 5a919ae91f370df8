package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.FanMode;
import dev.heinit.HeInit;
import dev.heinit.Sampler;
import dev.heinit.config.HeConfigurer;
import dev.heinit.config.InitPlan;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.fan.FanConvention;

/**
 * {@code plan}: the table {@link HeConfigurer} applies to a built-in model — per weight parameter its shape, the fans
 * DL4J passes, the true fans in all three conventions, the feeding nonlinearity, the gain and the std
 * {@code gain/√fan} — without training anything.
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description =
                "Print the per-layer He init plan (true fans, feeding nonlinearity, gain, std) of a built-in model.")
public final class PlanCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            defaultValue = "cnn",
            description = "cnn (the compare command's plain CNN) | residual (its ComputationGraph variant) | lstm "
                    + "(2 LSTM layers + softmax) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--depth",
            defaultValue = "30",
            description = "cnn/residual: weight layers (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(
            names = "--width",
            defaultValue = "16",
            description = "cnn/residual: channels; lstm: units (default: ${DEFAULT-VALUE})")
    int width;

    @Option(
            names = "--mode",
            defaultValue = "fan_in",
            description = "fan_in | fan_out | fan_avg (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(
            names = "--convention",
            defaultValue = "padding_aware",
            description = "stride_ignored | stride_exact | padding_aware (default: ${DEFAULT-VALUE})")
    String convention;

    @Option(
            names = "--sampler",
            defaultValue = "normal",
            description = "normal | uniform | truncated_normal (default: ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--csv", description = "also write the plan as CSV to this file")
    Path csv;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        TrainOptions.check(
                cl,
                Arrays.asList("cnn", "residual", "lstm").contains(model),
                "--model must be cnn, residual or lstm, got '" + model + "'");
        TrainOptions.check(cl, depth >= 2, "--depth must be >= 2, got " + depth);
        TrainOptions.check(cl, width >= 1, "--width must be >= 1, got " + width);
        FanMode m = parseEnum(cl, FanMode.class, "--mode", mode);
        FanConvention c = parseEnum(cl, FanConvention.class, "--convention", convention);
        Sampler s = parseEnum(cl, Sampler.class, "--sampler", sampler);
        HeConfigurer.Builder b = HeConfigurer.builder().mode(m).fanConvention(c).sampler(s);
        TrainSetup setup = new TrainSetup(new Sgd(0.1), 1, CacheMode.NONE);
        ImageShape mnist = ImageShape.MNIST;
        InputType image = InputType.convolutional(mnist.height(), mnist.width(), mnist.channels());
        InitPlan plan;
        String title;
        switch (model) {
            case "cnn":
                plan = b.inputType(image).plan(Models.plainCnn(depth, width, mnist, HeInit.normal(), setup));
                title = "plain CNN, " + depth + " weight layers, " + width + " channels, MNIST 28x28 input";
                break;
            case "residual":
                plan = b.inputType(image).plan(Models.residualCnn(depth, width, mnist, HeInit.normal(), setup));
                title = "residual CNN (ComputationGraph), " + depth + " weight layers, " + width + " channels";
                break;
            default:
                plan = b.inputType(InputType.recurrent(28))
                        .plan(Models.lstmNet(28, width, 2, 10, HeInit.normal(), setup));
                title = "LSTM net: 2 x " + width + " tanh units on 28 inputs per step, softmax over 10 classes";
        }
        PrintWriter out = cl.getOut();
        out.printf(Locale.ROOT, "He init plan: %s; %s, %s, %s%n", title, m, c, s);
        out.print(plan.toText());
        if (csv != null) {
            Files.writeString(csv, plan.toCsv(), StandardCharsets.UTF_8);
            out.println("wrote " + csv);
        }
        out.flush();
        return 0;
    }

    /** Case-insensitive enum lookup; a bad value is a usage error naming the valid ones. */
    static <E extends Enum<E>> E parseEnum(CommandLine cl, Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return e;
            }
        }
        throw new CommandLine.ParameterException(
                cl,
                option + " must be one of "
                        + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + value + "'");
    }
}
