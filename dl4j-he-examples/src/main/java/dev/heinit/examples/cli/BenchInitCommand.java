package dev.heinit.examples.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.HeInit;

/**
 * {@code bench init}: time to fill an n×n FLOAT weight view, HeInit's samplers against the DL4J built-ins a user
 * would otherwise pick (normal vs {@code RELU}, uniform vs {@code RELU_UNIFORM}, truncated normal vs
 * {@code VAR_SCALING_NORMAL_FAN_IN}), interleaved pair by pair so that both sides see the same machine state.
 * Reports the median over repetitions, in values per second, and the ratio HeInit / DL4J.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Weight-initialization throughput: HeInit normal/uniform/truncatedNormal vs DL4J RELU/"
                + "RELU_UNIFORM/VAR_SCALING_NORMAL_FAN_IN on an n x n FLOAT view.")
final class BenchInitCommand implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "4096", description = "n of the n x n view (default: ${DEFAULT-VALUE})")
    int size;

    @Option(
            names = "--reps",
            defaultValue = "7",
            description = "timed repetitions per initializer (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "untimed repetitions first (default: ${DEFAULT-VALUE})")
    int warmup;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A HeInit sampler and the DL4J built-in it replaces. */
    record Pair(String name, IWeightInit he, String dl4jName, IWeightInit dl4j) {}

    static List<Pair> pairs() {
        return List.of(
                new Pair(
                        "HeInit.normal()", HeInit.normal(), "WeightInit.RELU", WeightInit.RELU.getWeightInitFunction()),
                new Pair(
                        "HeInit.uniform()",
                        HeInit.uniform(),
                        "WeightInit.RELU_UNIFORM",
                        WeightInit.RELU_UNIFORM.getWeightInitFunction()),
                new Pair(
                        "HeInit.truncatedNormal()",
                        HeInit.truncatedNormal(),
                        "WeightInit.VAR_SCALING_NORMAL_FAN_IN",
                        WeightInit.VAR_SCALING_NORMAL_FAN_IN.getWeightInitFunction()));
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (size < 1 || size > 32768) {
            throw new CommandLine.ParameterException(cl, "--size must be in [1, 32768], got " + size);
        }
        if (reps < 1) {
            throw new CommandLine.ParameterException(cl, "--reps must be >= 1, got " + reps);
        }
        if (warmup < 0) {
            throw new CommandLine.ParameterException(cl, "--warmup must be >= 0, got " + warmup);
        }
        PrintWriter out = cl.getOut();
        long n = (long) size * size;
        long[] shape = {size, size};
        INDArray view = Nd4j.createUninitialized(DataType.FLOAT, n);
        out.printf(
                Locale.ROOT,
                "filling a %d x %d FLOAT view (%d values), fan_in = fan_out = %d; %d warm-up + %d timed "
                        + "repetitions, median; OMP_NUM_THREADS=%s%n",
                size,
                size,
                n,
                size,
                warmup,
                reps,
                System.getenv("OMP_NUM_THREADS"));
        out.println("| HeInit | values/s | DL4J | values/s | ratio HeInit/DL4J |");
        out.println("|---|---:|---|---:|---:|");
        for (Pair p : pairs()) {
            double[] th = new double[reps];
            double[] td = new double[reps];
            for (int r = -warmup; r < reps; r++) {
                double a = time(p.he(), shape, view, size);
                double b = time(p.dl4j(), shape, view, size);
                if (r >= 0) {
                    th[r] = a;
                    td[r] = b;
                }
            }
            double vh = n / median(th);
            double vd = n / median(td);
            out.printf(Locale.ROOT, "| %s | %.3g | %s | %.3g | %.2fx |%n", p.name(), vh, p.dl4jName(), vd, vh / vd);
            out.flush();
        }
        return 0;
    }

    private static double time(IWeightInit init, long[] shape, INDArray view, int fan) {
        long t = System.nanoTime();
        init.init(fan, fan, shape, 'f', view);
        Nd4j.getExecutioner().commit();
        return (System.nanoTime() - t) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
