package dev.heinit.examples.bench;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.heinit.HeInit;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;
import dev.heinit.examples.train.Trainer;

/** Hidden: one timed training loop in a child process of {@code bench}; prints examples, wall s, CPU s, status. */
@Command(name = "worker", hidden = true)
final class BenchWorker implements Callable<Integer> {

    static final String PREFIX = "@@BENCH ";

    @Option(names = "--net", required = true)
    BenchNet net;

    @Option(names = "--fast", arity = "1", required = true)
    boolean fast;

    @Option(names = "--seconds", required = true)
    double seconds;

    @Option(names = "--batch", required = true)
    int batch;

    @Override
    public Integer call() {
        FastPath.useHelpers(fast);
        FastPath.Status status = FastPath.check();
        MultiLayerNetwork n = new MultiLayerNetwork(Models.plainCnn(
                net.depth,
                net.width,
                ImageShape.MNIST,
                HeInit.normal(),
                new TrainSetup(new Nesterovs(1e-3, 0.9), 1, FastPath.cacheMode(fast)),
                net.down));
        n.init();
        Nd4j.getRandom().setSeed(7);
        DataSet[] batches = new DataSet[4];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = new DataSet(
                    Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28),
                    Nd4j.eye(10)
                            .castTo(DataType.FLOAT)
                            .getRows(Nd4j.getRandom().nextInt(10))
                            .repeat(0, batch));
        }
        // warm-up: JIT, workspaces and oneDNN primitive caches
        long w0 = System.nanoTime();
        int warm = 0;
        while (warm < 3 || (System.nanoTime() - w0) < 1.5e9 && warm < 20) {
            n.fit(batches[warm++ % batches.length]);
        }
        long cpu0 = Trainer.cpuNanos();
        long t0 = System.nanoTime();
        long examples = 0;
        int it = 0;
        while (it < 3 || (System.nanoTime() - t0) < seconds * 1e9) {
            n.fit(batches[it++ % batches.length]);
            examples += batch;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (Trainer.cpuNanos() - cpu0) / 1e9;
        System.out.println(
                PREFIX + String.format(Locale.ROOT, "%d %.4f %.4f %s", examples, wall, cpu, status.describe()));
        System.out.flush();
        return 0;
    }
}
