package dev.heinit.examples.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.heinit.examples.keras.KerasCorpus;
import dev.heinit.examples.keras.KerasImport;
import dev.heinit.examples.keras.KerasSource;
import dev.heinit.keras.KerasDialect;
import dev.heinit.keras.KerasPlan;

/**
 * {@code keras MODEL [--reinit OUT.zip] [--csv F]}: reads a Keras model — JSON ({@code model.to_json()}, Keras 1, 2
 * or 3), a Keras 2 {@code .h5} or a Keras 3 {@code .keras} file, recognized by content — translates Keras 3 to the
 * form DL4J reads, imports the configuration through DL4J's Keras import (weights are not read), re-initializes it
 * with Keras's exact initializers and fans ({@link dev.heinit.keras.KerasReinit#reinitialize}), and prints per weight Keras's
 * initializer, the init DL4J's import gave and its measured std, Keras's std, their ratio and what changed.
 * {@code --reinit} writes the re-initialized, freshly initialized DL4J model ({@code ModelSerializer}). A file that
 * cannot be used exits 2 with who refused it (this library's translation or re-initialization, or DL4J's import),
 * at which layer and on what. {@code keras --corpus DIR} does this for every model file under DIR, checks every
 * re-initialized weight against Keras's formula and prints one line per file and the counts (exit 1 if a check
 * fails).
 */
@Command(
        name = "keras",
        mixinStandardHelpOptions = true,
        description =
                "Compare DL4J's import of a Keras model's initializers with Keras's own, and re-initialize it exactly.")
public final class KerasCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "Keras model: JSON (to_json, Keras 1-3), .h5 (model.save) or .keras (Keras 3 model.save);"
                    + " with --corpus a directory")
    Path model;

    @Option(
            names = "--corpus",
            description = "MODEL is a directory: import, re-initialize and check every *.json, *.h5, *.hdf5 and"
                    + " *.keras under it, one line each")
    boolean corpus;

    @Option(
            names = "--formats",
            defaultValue = "json,h5,hdf5,keras",
            description = "with --corpus: the file extensions to read (default: ${DEFAULT-VALUE})")
    String formats;

    @Option(names = "--reinit", paramLabel = "OUT.zip", description = "write the re-initialized DL4J model here")
    Path reinit;

    @Option(names = "--csv", paramLabel = "F", description = "also write the table as CSV to this file")
    Path csv;

    @Option(
            names = "--dialect",
            description = "keras_1 | keras_2_0 | keras_2: how to read \"normal\" and Keras 1 "
                    + "names (default: from the model's keras_version)")
    String dialect;

    @Option(names = "--seed", defaultValue = "42", description = "ND4J seed for --reinit (default: ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        KerasDialect d = null;
        if (dialect != null) {
            try {
                d = KerasDialect.valueOf(dialect.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        cl,
                        "--dialect must be one of "
                                + Arrays.toString(KerasDialect.values()).toLowerCase(Locale.ROOT) + ", got '" + dialect
                                + "'");
            }
        }
        PrintWriter out = cl.getOut();
        if (corpus) {
            if (!Files.isDirectory(model)) {
                throw new CommandLine.ParameterException(cl, "--corpus needs a directory, got " + model);
            }
            List<String> ext = Arrays.asList(formats.toLowerCase(Locale.ROOT).split(","));
            KerasCorpus.Summary s = KerasCorpus.run(model, ext, out, seed);
            return s.failures.isEmpty() ? 0 : 1;
        }
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            throw new CommandLine.ParameterException(cl, "cannot read Keras model file " + model);
        }
        KerasSource source;
        KerasImport.Result r;
        try {
            source = KerasSource.read(model);
            r = KerasImport.run(source, d);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(cl, "cannot read Keras model " + model + ": " + e.getMessage());
        } catch (KerasImport.Failure e) {
            throw new CommandLine.ParameterException(cl, "cannot import Keras model " + model + ": " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new CommandLine.ParameterException(
                    cl,
                    "cannot import Keras model " + model + ": unexpected "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        KerasPlan plan = r.plan;
        if (r.translation.keras3()) {
            out.println("Keras 3 model"
                    + (source.kerasVersion() == null ? "" : " (keras_version " + source.kerasVersion() + ")")
                    + ": translated to the Keras 2 form DL4J reads"
                    + (source.format() == KerasSource.Format.KERAS_ZIP
                            ? "; the weights in the .keras file are not read"
                            : ""));
            r.translation.notes().forEach(n -> out.println("  " + n));
        }
        out.printf(
                Locale.ROOT,
                "Keras model %s (%s, read as %s): %d weights re-initialized, %d unmapped%n",
                model,
                r.sequential ? "Sequential" : "functional",
                plan.dialect(),
                plan.rows(KerasPlan.Change.REINITIALIZED).size(),
                plan.rows(KerasPlan.Change.UNMAPPED).size());
        out.print(plan.toText());
        out.println("dl4j std: DL4J's imported init drawn with the fans DL4J passes; keras std: Keras's formula at"
                + " Keras's fans; ratio = dl4j / keras.");
        if (csv != null) {
            Files.write(csv, plan.toCsv().getBytes(StandardCharsets.UTF_8));
        }
        if (reinit != null) {
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
            File f = reinit.toFile();
            try {
                if (r.sequential) {
                    MultiLayerNetwork net = new MultiLayerNetwork((MultiLayerConfiguration) r.configuration);
                    net.init();
                    ModelSerializer.writeModel(net, f, false);
                } else {
                    ComputationGraph net = new ComputationGraph((ComputationGraphConfiguration) r.configuration);
                    net.init();
                    ModelSerializer.writeModel(net, f, false);
                }
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(
                        cl,
                        "the re-initialized model was planned but DL4J could not initialize it: "
                                + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            out.println("wrote " + reinit);
        }
        out.flush();
        return 0;
    }
}
