package dev.heinit.examples.keras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.config.Keras1LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.config.KerasLayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.config.KerasModelConfiguration;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import dev.heinit.keras.Keras3Json;
import dev.heinit.keras.KerasDialect;
import dev.heinit.keras.KerasPlan;
import dev.heinit.keras.KerasReinit;
import dev.heinit.keras.KerasTranslationException;

/**
 * A Keras model through three steps — translation to the Keras 2 form ({@link Keras3Json}), DL4J's configuration
 * import ({@code KerasModelBuilder}, as {@code KerasModelImport.import…Configuration} does, weights not read) and
 * {@link KerasReinit} — where a failure becomes a {@link Failure} that says which step refused, at which layer and
 * on what construct. DL4J's exceptions rarely name the layer: it is found by building DL4J's layers one by one
 * ({@code KerasLayerUtils.getKerasLayerFromConfig}, what the import itself does) until one fails.
 */
public final class KerasImport {

    /** Who refused a model. */
    public enum Refuser {
        /** This library's Keras 3 → Keras 2 translation. */
        TRANSLATION("dl4j-he (Keras 3 translation)"),
        /** DL4J's own Keras import. */
        DL4J("DL4J 1.0.0-M2.1's Keras import"),
        /** This library's re-initialization. */
        REINIT("dl4j-he (re-initialization)");

        private final String label;

        Refuser(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Why a model could not be used: who refused it, at which layer, on what. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final Refuser refuser;
        private final String layer;
        private final String construct;

        Failure(Refuser refuser, String layer, String construct, Throwable cause) {
            super(
                    "refused by " + refuser + " at layer " + layer + " (" + construct + "): "
                            + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    cause);
            this.refuser = refuser;
            this.layer = layer;
            this.construct = construct;
        }

        /** Who refused. */
        public Refuser refuser() {
            return refuser;
        }

        /** The layer(s), quoted, or "(model)" when the failure is not in one layer. */
        public String layer() {
            return layer;
        }

        /** The construct: a layer class, an initializer, … */
        public String construct() {
            return construct;
        }
    }

    /** An imported and re-initialized model. */
    public static final class Result {
        /** The translation (its JSON is what DL4J imported). */
        public final Keras3Json.Translation translation;
        /** Whether a Sequential model (a MultiLayerConfiguration), else a ComputationGraphConfiguration. */
        public final boolean sequential;
        /** The re-initialized configuration. */
        public final Object configuration;
        /** What was re-initialized. */
        public final KerasPlan plan;

        Result(Keras3Json.Translation translation, boolean sequential, Object configuration, KerasPlan plan) {
            this.translation = translation;
            this.sequential = sequential;
            this.configuration = configuration;
            this.plan = plan;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> MODELS = Arrays.asList("Sequential", "Model", "Functional");

    private KerasImport() {}

    /**
     * @param dialect how to read initializers, or null for the model's keras_version
     * @throws Failure                  if a step refuses the model
     * @throws IllegalArgumentException if the JSON is not a Keras model (a Tokenizer's JSON, say)
     */
    public static Result run(KerasSource source, KerasDialect dialect) throws Failure {
        Keras3Json.Translation t;
        try {
            t = source.translate();
        } catch (KerasTranslationException e) {
            throw new Failure(Refuser.TRANSLATION, "'" + e.layer() + "'", e.construct(), e);
        } catch (IllegalArgumentException e) {
            throw new Failure(Refuser.TRANSLATION, "(model)", "model JSON", e);
        }
        boolean sequential;
        try {
            String cls = MAPPER.readTree(t.json()).path("class_name").asText();
            if (!MODELS.contains(cls)) {
                throw new IllegalArgumentException("not a Keras model: its class_name is " + cls + ", not one of "
                        + MODELS + " (a Keras preprocessing object or a subclassed model has no layer graph)");
            }
            sequential = "Sequential".equals(cls);
        } catch (IOException e) {
            throw new Failure(Refuser.TRANSLATION, "(model)", "model JSON", e);
        }
        Object imported;
        try {
            imported = sequential
                    ? new KerasSequentialModel()
                            .modelBuilder()
                            .modelJson(t.json())
                            .enforceTrainingConfig(false)
                            .buildSequential()
                            .getMultiLayerConfiguration()
                    : new KerasModel()
                            .modelBuilder()
                            .modelJson(t.json())
                            .enforceTrainingConfig(false)
                            .buildModel()
                            .getComputationGraphConfiguration();
        } catch (Exception | LinkageError | StackOverflowError e) {
            // LinkageError: DL4J's TensorFlowOpLayer import calls a gson method the classpath's gson lacks
            String[] at = locate(t.json());
            throw new Failure(
                    Refuser.DL4J, at == null ? "(model)" : "'" + at[0] + "'", at == null ? "model" : at[1], e);
        }
        try {
            if (sequential) {
                KerasReinit.Result<MultiLayerConfiguration> r =
                        KerasReinit.reinitialize((MultiLayerConfiguration) imported, t.json(), dialect);
                return new Result(t, true, r.configuration(), r.plan());
            }
            KerasReinit.Result<ComputationGraphConfiguration> r =
                    KerasReinit.reinitialize((ComputationGraphConfiguration) imported, t.json(), dialect);
            return new Result(t, false, r.configuration(), r.plan());
        } catch (RuntimeException | LinkageError e) {
            Set<String> classes = classesIn(String.valueOf(e.getMessage()));
            List<String> layers = layersContaining(imported, classes);
            throw new Failure(
                    Refuser.REINIT,
                    layers.isEmpty() ? "(not named by the exception)" : String.join(", ", layers),
                    classes.isEmpty() ? e.getClass().getSimpleName() : String.join(", ", classes),
                    e);
        }
    }

    /** The first layer ([name, Keras class]) whose DL4J layer cannot be built, or null if every one can. */
    @SuppressWarnings("unchecked")
    static String[] locate(String json) {
        try {
            Map<String, Object> root = KerasModelUtils.parseModelConfig(json, null);
            KerasModelConfiguration mc = new KerasModelConfiguration();
            int major = KerasModelUtils.determineKerasMajorVersion(root, mc);
            String backend = KerasModelUtils.determineKerasBackend(root, mc);
            KerasLayerConfiguration conf = major == 2 ? new Keras2LayerConfiguration() : new Keras1LayerConfiguration();
            Object config = root.get("config");
            Object layers = config instanceof Map ? ((Map<String, Object>) config).get("layers") : config;
            Map<String, KerasLayer> previous = new HashMap<>();
            for (Object o : (List<Object>) layers) {
                Map<String, Object> m = (Map<String, Object>) o;
                Object c = m.get("config");
                String name = String.valueOf(c instanceof Map ? ((Map<String, Object>) c).get("name") : m.get("name"));
                m.put("keras_version", major);
                if (major == 2 && backend != null) {
                    m.put("backend", backend);
                }
                try {
                    KerasLayer l = KerasLayerUtils.getKerasLayerFromConfig(
                            m, false, conf, Collections.emptyMap(), Collections.emptyMap(), previous);
                    previous.put(l.getLayerName(), l);
                } catch (Exception | LinkageError | StackOverflowError e) {
                    return new String[] {name, String.valueOf(m.get("class_name"))};
                }
            }
            return null;
        } catch (Exception e) {
            return null; // the probe itself failed: the failure is then reported for the model
        }
    }

    private static final Pattern CLASS = Pattern.compile("\\b(?:[a-z0-9_]+\\.)+([A-Z][A-Za-z0-9_]*)\\b");

    /**
     * The simple name of the first fully qualified class an exception message names: the class actually met (a
     * ClassCastException names it before the class it was expected to be).
     */
    private static Set<String> classesIn(String message) {
        Set<String> s = new LinkedHashSet<>();
        Matcher m = CLASS.matcher(message);
        if (m.find()) {
            s.add(m.group(1));
        }
        return s;
    }

    /** Names of the imported layers whose JSON (with the layers they wrap) has one of the classes. */
    private static List<String> layersContaining(Object conf, Set<String> classes) {
        List<Layer> layers = new ArrayList<>();
        if (conf instanceof MultiLayerConfiguration) {
            ((MultiLayerConfiguration) conf).getConfs().forEach(c -> layers.add(c.getLayer()));
        } else {
            for (GraphVertex v :
                    ((ComputationGraphConfiguration) conf).getVertices().values()) {
                if (v instanceof LayerVertex) {
                    layers.add(((LayerVertex) v).getLayerConf().getLayer());
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            String s;
            try {
                s = NeuralNetConfiguration.mapper().writeValueAsString(l); // names every wrapped layer's class
            } catch (IOException e) {
                s = l.getClass().getName();
            }
            String json = s;
            if (classes.stream().anyMatch(c -> json.contains("." + c + "\""))) {
                names.add("'" + l.getLayerName() + "' (" + l.getClass().getSimpleName() + ")");
            }
        }
        return names;
    }
}
