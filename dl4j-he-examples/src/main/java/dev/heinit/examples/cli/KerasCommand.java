package dev.heinit.examples.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.heinit.keras.KerasDialect;
import dev.heinit.keras.KerasPlan;
import dev.heinit.keras.KerasReinit;

/**
 * {@code keras MODEL.json|MODEL.h5 [--reinit OUT.zip] [--csv F]}: imports the model's configuration through DL4J's
 * {@code KerasModelImport} (weights are not read), re-initializes it with Keras's exact initializers and fans
 * ({@link KerasReinit#reinitialize}), and prints per weight Keras's initializer, the init DL4J's import gave
 * and its measured std, Keras's std, their ratio and what changed. {@code --reinit} writes the re-initialized,
 * freshly initialized DL4J model ({@code ModelSerializer}). A missing, unreadable or unsupported file exits 2.
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
            description = "Keras model: JSON (model.to_json()) or .h5 (model.save)")
    Path model;

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
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            throw new CommandLine.ParameterException(cl, "cannot read Keras model file " + model);
        }
        String json = modelJson(cl);
        Path jsonFile = model;
        boolean sequential = "Sequential".equals(className(cl, json));
        PrintWriter out = cl.getOut();
        KerasPlan plan;
        Object network;
        try {
            if (isH5()) {
                jsonFile = Files.createTempFile("keras-model", ".json");
                Files.write(jsonFile, json.getBytes(StandardCharsets.UTF_8));
            }
            if (sequential) {
                MultiLayerConfiguration conf =
                        KerasModelImport.importKerasSequentialConfiguration(jsonFile.toString(), false);
                KerasReinit.Result<MultiLayerConfiguration> r = KerasReinit.reinitialize(conf, json, d);
                plan = r.plan();
                network = reinit == null ? null : new MultiLayerNetwork(r.configuration());
            } else {
                ComputationGraphConfiguration conf =
                        KerasModelImport.importKerasModelConfiguration(jsonFile.toString(), false);
                KerasReinit.Result<ComputationGraphConfiguration> r = KerasReinit.reinitialize(conf, json, d);
                plan = r.plan();
                network = reinit == null ? null : new ComputationGraph(r.configuration());
            }
        } catch (Exception e) {
            // DL4J's import throws checked Invalid/UnsupportedKerasConfigurationException and, on configs it
            // mis-reads, ClassCastException or IllegalStateException: all mean "this file cannot be used".
            throw new CommandLine.ParameterException(
                    cl,
                    "cannot import Keras model " + model + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (!jsonFile.equals(model)) {
                Files.deleteIfExists(jsonFile);
            }
        }
        out.printf(
                Locale.ROOT,
                "Keras model %s (%s, read as %s): %d weights re-initialized, %d unmapped%n",
                model,
                sequential ? "Sequential" : "functional",
                plan.dialect(),
                plan.rows(KerasPlan.Change.REINITIALIZED).size(),
                plan.rows(KerasPlan.Change.UNMAPPED).size());
        out.print(plan.toText());
        out.println("dl4j std: DL4J's imported init drawn with the fans DL4J passes; keras std: Keras's formula at"
                + " Keras's fans; ratio = dl4j / keras.");
        if (csv != null) {
            Files.write(csv, plan.toCsv().getBytes(StandardCharsets.UTF_8));
        }
        if (network != null) {
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
            File f = reinit.toFile();
            if (network instanceof MultiLayerNetwork) {
                ((MultiLayerNetwork) network).init();
                ModelSerializer.writeModel((MultiLayerNetwork) network, f, false);
            } else {
                ((ComputationGraph) network).init();
                ModelSerializer.writeModel((ComputationGraph) network, f, false);
            }
            out.println("wrote " + reinit);
        }
        out.flush();
        return 0;
    }

    private boolean isH5() {
        String n = model.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".keras5");
    }

    private String modelJson(CommandLine cl) throws IOException {
        if (!isH5()) {
            return new String(Files.readAllBytes(model), StandardCharsets.UTF_8);
        }
        try (Hdf5Archive a = new Hdf5Archive(model.toString())) {
            if (!a.hasAttribute("model_config")) {
                throw new CommandLine.ParameterException(
                        cl,
                        model + " has no model_config attribute: a weights-only"
                                + " .h5 (model.save_weights) holds no architecture; save the model with model.save or to_json");
            }
            return a.readAttributeAsJson("model_config");
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new CommandLine.ParameterException(
                    cl, "cannot read " + model + " as a Keras .h5 file: " + e.getMessage());
        }
    }

    private static String className(CommandLine cl, String json) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            JsonNode c = n == null ? null : n.get("class_name");
            if (c == null || !c.isTextual()) {
                throw new CommandLine.ParameterException(cl, "not a Keras model JSON: no top-level class_name");
            }
            return c.asText();
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cl, "not a Keras model JSON: " + e.getMessage());
        }
    }
}
