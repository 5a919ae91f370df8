package dev.heinit.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.report.ProbeRecord;
import dev.heinit.examples.train.ProbeRun;
import dev.heinit.examples.train.RunSpec;

/**
 * {@code probe}: before a long run, whether each network of a {@code compare} invocation will train within its
 * budget ({@code --epochs}), and why not — the library's {@link dev.heinit.prognosis.TrainingProbe} on a copy of
 * the run's network, trained on the run's own first batches.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = "Predict whether each run of the same network/init options as compare will train within "
                + "--epochs (TRAINS | STALLS | DIVERGES | UNSURE), with the evidence and what to try; "
                + "a short training probe on a copy, within 5 %% of the run's steps.")
public final class ProbeCommand implements Callable<Integer> {

    @Mixin
    TrainOptions train;

    @Mixin
    RunGrid grid;

    @Option(names = "--json", description = "write the prognoses as a JSON array to this file")
    Path json;

    @Option(names = "--stock", description = "DL4J's stock CPU path (no oneDNN helpers, cacheMode NONE)")
    boolean stock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        train.validate(cl);
        TrainOptions.check(cl, !train.noProbe, "--no-probe is an option of compare; probe always probes");
        List<Integer> ds = grid.depths(cl);
        List<InitScheme> schemes = grid.schemes(cl);
        TrainOptions.check(
                cl,
                json == null
                        || json.toAbsolutePath().getParent() == null
                        || Files.isDirectory(json.toAbsolutePath().getParent()),
                "--json " + json + ": its directory does not exist");
        PrintStream console = System.out;
        FastPath.Status status = RunSetup.fastPath(stock, console);
        ImageData data = train.load();
        List<ProbeRecord> records = new ArrayList<>();
        for (int d : ds) {
            for (long s : grid.seeds()) {
                for (InitScheme sc : schemes) {
                    java.util.Optional<String> why = sc.notApplicable(train.activation);
                    if (why.isPresent()) {
                        console.println("not applicable, skipped: " + sc.cliName() + " with "
                                + train.activation.cliName() + ": " + why.get());
                        continue;
                    }
                    ProbeRecord r = ProbeRun.probe(specOf(sc, d, s, status.active()), data);
                    console.println(r.toText());
                    records.add(r);
                }
            }
        }
        if (json != null) {
            Files.writeString(json, ProbeRecord.toJson(records), StandardCharsets.UTF_8);
            console.println(String.format(Locale.ROOT, "wrote %s (%d prognoses)", json, records.size()));
        }
        return 0;
    }

    private RunSpec specOf(InitScheme sc, int d, long s, boolean fast) {
        return train.spec(sc, d, s, fast, 0, 0, null);
    }
}
